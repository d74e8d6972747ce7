"""The API tokens page: a person creates, names, sees the last use of and revokes their own tokens."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from .forms import ApiTokenForm
from .selectors import api_tokens_of
from .services import MAX_ACTIVE_TOKENS, api_token_create, api_token_revoke

# The new token waits in the session for the page that shows it once, and is removed as it is shown.
NEW_TOKEN_SESSION_KEY = "api:new-token"


@method_decorator(never_cache, name="dispatch")
class ApiTokenListView(View):
    template_name = "api/token_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(ApiTokenForm(), new=request.session.pop(NEW_TOKEN_SESSION_KEY, None))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            try:
                token, key = api_token_create(user=request.user, name=form.cleaned_data["name"])
            except ValidationError as error:
                for message in error.message_dict.get("name", []):
                    form.add_error("name", message)
            else:
                request.session[NEW_TOKEN_SESSION_KEY] = {"name": token.name, "key": key}
                return HttpResponseRedirect(reverse("api_tokens:list"))
        return self.render(form, status=400)

    def render(self, form: ApiTokenForm, *, new: dict | None = None, status: int = 200) -> HttpResponse:
        tokens = list(api_tokens_of(user=self.request.user))
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "new_token": new,
                "active": [token for token in tokens if token.is_active],
                "revoked": [token for token in tokens if not token.is_active],
                "max_tokens": MAX_ACTIVE_TOKENS,
                "api_root": reverse("api:api-root"),
                "docs_url": reverse("api:docs"),
            },
            status=status,
        )


class ApiTokenRevokeView(View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        token = get_object_or_404(api_tokens_of(user=request.user), pk=pk)
        was_active = token.is_active
        api_token_revoke(token=token, by=request.user)
        if was_active:
            messages.success(request, f"Token “{token.name}” revoked: it no longer works")
        return HttpResponseRedirect(reverse("api_tokens:list"))
