"""Every URL of the URL conf, as each role, sent hostile query strings and form values by GET and POST: no 500.

The URLs come from the resolver, so a page added later is probed too; path parameters are filled with real ids
from the demo data and with unknown ones. A pattern whose parameters this module cannot fill fails the test, so
nothing is left out silently. Each request runs in a savepoint that is rolled back (a POST to an admin delete
page deletes), and the person is signed in again before each one (a POST to sign out signs out), as the service
would let them: an admin's session is verified by their authenticator app, so the admin's pages are probed too.
"""

from __future__ import annotations

import re
from datetime import date
from io import StringIO
from urllib.parse import urlencode

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from actionplan.govuk_fields import GovukDateField
from actionplan.models import User
from actions import local_plan_forms
from actions.imports import import_preview_create
from actions.models import Action, NationalChange, Status, StatusUpdate
from actions.spreadsheets import Table
from api.filters import ActionFilter, ReviewCycleFilter, StatusUpdateFilter, ThemeFilter
from api.services import api_token_create
from notifications.feeds import calendar_feed_create
from reviews import public_forms, recommendation_forms, revision_forms
from reviews.filters import DashboardFilter
from reviews.forms import BoardPackForm
from reviews.models import FindingSource, Recommendation, Revision, RevisionDecision
from reviews.revision_rules import Proposal
from reviews.revisions import revision_add_action, revision_decide, revision_start
from tests.conftest import Client
from themes.models import Plan, ReviewCycle, Theme

pytestmark = pytest.mark.django_db

UNKNOWN_ID = "999999999"
OVERFLOW = "9" * 30
BIG = 100 * 1024

# -- What is sent ---------------------------------------------------------------------------------------------


def parameter_names() -> list[str]:
    """The names the service's pages and the admin read, and a few that nothing reads."""
    names = set(DashboardFilter.base_filters) | set(BoardPackForm.base_fields)
    # The API's filters, and what its status update takes.
    for api_filter in (ActionFilter, ReviewCycleFilter, StatusUpdateFilter, ThemeFilter):
        names |= set(api_filter.base_filters)
    names |= {"effective_date", "revised_target_date", "format"}
    names |= {"page", "next", "q", "o", "p", "e", "all", "_changelist_filters", "term"}
    names |= {"app_label", "model_name", "field_name", "fmt", "id", "pk", "slug", "unknown"}
    # The update form, the sign-in form, the reminder choices, the admin's list actions.
    names |= {"status", "rag", "narrative", "evidence_url", "revision_reason", "version", "closure_reason"}
    names |= {f"revised_target_date_{n}" for n in range(3)} | {f"effective_on_{n}" for n in range(3)}
    # The API tokens page, the calendar address, the spreadsheet import.
    names |= {"name", "calendar", "file", "joined", "confirm", "discard"}
    names |= {"username", "password", "optional", "action", "_selected_action", "select_across", "index", "post"}
    names |= {"password1", "password2", "old_password", "new_password1", "new_password2", "_save", "_continue"}
    # The code pages and the password reset request.
    names |= {"code", "recovery_code", "email"}
    # The fields of the plan's own forms: revisions, recommendations, local plans and the public page.
    for module in (revision_forms, recommendation_forms, local_plan_forms, public_forms):
        for form in vars(module).values():
            if isinstance(form, type) and issubclass(form, forms.BaseForm):
                for name, field in form.base_fields.items():
                    names |= {f"{name}_{n}" for n in range(3)} if isinstance(field, GovukDateField) else {name}
    names |= {"applies", "answer", "confirm", "which", "action_pk", "recommendation", "preview"}
    for model, model_admin in admin.site._registry.items():
        for entry in model_admin.list_filter:
            if isinstance(entry, str):
                names |= {entry, f"{entry}__exact", f"{entry}__id__exact", f"{entry}__isnull"}
            else:
                names.add(getattr(entry, "parameter_name", "") or "")
        if model_admin.date_hierarchy:
            names |= {f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")}
        names |= {field.name for field in model._meta.concrete_fields}
    return sorted(name for name in names if name)


def hostile_sets(names: list[str]) -> dict[str, list[tuple[str, str]]]:
    ids = ["organisation", "lead", "cycle", "version", "id", "pk", "plan", "theme", "page", "p", "index"]
    return {
        "nul": [(name, f"1\x00{name}") for name in names] + [("plan\x00", "national")],
        "control characters": [(name, "\x1b[31m\x07\x08") for name in names],
        "100 KB": [(name, "9" * BIG if name in ids else "x" * BIG) for name in names[:12]],
        "bidi overrides": [(name, "\u202enational\u202c\u2066\u2067\u2068\u2069\u202a") for name in names],
        "sql-shaped": [(name, "1' OR '1'='1'; DROP TABLE actions_action; --") for name in names],
        "unknown ids": [(name, value) for name in names for value in (UNKNOWN_ID, "-1", "0", OVERFLOW)],
        "repeated": [(name, value) for name in names for value in ("national", "1", "red", "yes", "")],
        "odd numbers": [(name, value) for name in names for value in ("1e309", "NaN", "١٢", "１", "2023-02-30")],
        "too many fields": [("rag", "red")] * 1200,
        # The admin's own parameters: most make it refuse the request early, so they have sets of their own.
        **{
            f"admin parameters {value!r}": [
                (name, value) for name in ("_to_field", "_popup", "_changelist_filters", "_save", "_addanother")
            ]
            for value in ("", "\u202eid", "1' OR '1'='1", "id", "password")
        },
    }


# -- Where it is sent -----------------------------------------------------------------------------------------


def patterns(resolver: URLResolver | None = None, prefix: str = ""):
    """(pattern text, callback) for every URL pattern, with the prefixes of the resolvers above it."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        text = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from patterns(entry, text)
        elif isinstance(entry, URLPattern):
            yield text, entry.callback


class Ids:
    """Real ids from the demo data for each kind of object a URL names."""

    def __init__(self):
        lead = User.objects.get(username="police.lead")
        led = Action.objects.filter(police_lead=lead).order_by("pk").first()
        self.action = led or Action.objects.order_by("pk").first()
        self.cycle = ReviewCycle.objects.order_by("pk").first()
        self.local_plan = Plan.objects.filter(kind=Plan.Kind.LOCAL).order_by("pk").first()
        self.theme = Theme.objects.order_by("pk").first()
        self.status_update = StatusUpdate.objects.order_by("pk").first()
        # A person's own records behind the pages that name them: an API token, a calendar address, an import.
        self.token, _key = api_token_create(user=lead, name="Hostile input probe")
        _feed, self.calendar_key = calendar_feed_create(user=lead)
        admin_user = User.objects.get(username="admin")
        table = Table(
            headers=["Reference", "Theme", "Title", "Side", "Target date"],
            rows=[(2, ["", "1", "An action brought in by the probe", "Joint", "Q1 2030"])],
        )
        self.action_import = import_preview_create(
            plan=Plan.objects.get(slug="national"), table=table, by=admin_user, file_name="probe.csv", joined="today"
        )
        self.local_copy = Action.objects.filter(plan=self.local_plan, mirrors__isnull=False).order_by("pk").first()
        self.national_change = NationalChange.objects.order_by("pk").first()
        self.completed = Action.objects.filter(plan__slug="national", status=Status.COMPLETED).order_by("pk").first()
        self.published = Revision.objects.filter(status=Revision.Status.PUBLISHED).order_by("pk").first()
        self.draft = Revision.objects.filter(status=Revision.Status.DRAFT).order_by("pk").first()
        self.decided = RevisionDecision.objects.filter(revision=self.draft).exclude(fate="added").first()
        self.added = RevisionDecision.objects.filter(revision=self.draft, fate="added").first()
        self.recommendation = Recommendation.objects.order_by("pk").first()
        self.source = FindingSource.objects.order_by("pk").first()

    def object_id(self, model) -> str:
        if model is Action:
            return str(self.action.pk)
        instance = model._default_manager.order_by("-pk").first()
        return str(instance.pk) if instance is not None else UNKNOWN_ID

    def history_id(self, model) -> str:
        record = model.history.order_by("-pk").first() if hasattr(model, "history") else None
        return str(record.history_id) if record is not None else UNKNOWN_ID


ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def fillings(text: str, callback, ids: Ids) -> list[dict[str, str]]:
    """Values for the parameters of one pattern: the real object, then unknown or malformed ones."""
    model_admin = getattr(callback, "model_admin", None)
    model = model_admin.model if model_admin is not None else None
    names = [match["name"] for match in ROUTE_PARAMETER.finditer(text)]
    if not names and "(" not in text:
        return [{}]
    if text.endswith("^([^/]+)/history/([^/]+)/$"):  # django-simple-history's page of one historical record
        app_label, model_name = text.split("/")[1:3]
        model = next(
            m for m in admin.site._registry if (m._meta.app_label, m._meta.model_name) == (app_label, model_name)
        )
        return [
            {"0": ids.object_id(model), "1": ids.history_id(model)},
            {"0": UNKNOWN_ID, "1": UNKNOWN_ID},
            {"0": "abc", "1": OVERFLOW},
        ]
    if "(?P<app_label>" in text:
        return [{"app_label": "actions"}, {"app_label": "themes"}]
    if "(?P<url>" in text:
        return [{"url": "no/such/page/"}, {"url": "actions/action/" + "x" * 2000}]
    if model is not None and names == ["object_id"]:
        return [{"object_id": ids.object_id(model)}, {"object_id": UNKNOWN_ID}, {"object_id": "abc/../1"}]
    if names == ["id"] and "/password/" in text:
        user = User.objects.get(username="police.lead")
        return [{"id": str(user.pk)}, {"id": UNKNOWN_ID}, {"id": OVERFLOW}]
    if names == ["content_type_id", "object_id"]:
        content_type = ContentType.objects.get_for_model(Action)
        return [
            {"content_type_id": str(content_type.pk), "object_id": str(ids.action.pk)},
            {"content_type_id": UNKNOWN_ID, "object_id": UNKNOWN_ID},
            {"content_type_id": "abc", "object_id": OVERFLOW},
        ]
    if text in ("actions/<int:pk>/", "actions/<int:pk>/update/", "actions/<int:pk>/completion/"):
        return [{"pk": str(ids.action.pk)}, {"pk": UNKNOWN_ID}, {"pk": OVERFLOW}]
    if text == "reviews/<int:pk>/" or re.fullmatch(r"reviews/<int:pk>/(change|open|close|minutes)/", text):
        return [{"pk": str(ids.cycle.pk)}, {"pk": UNKNOWN_ID}, {"pk": OVERFLOW}]
    if text == "notifications/cycles/<int:pk>/chase/":
        return [{"pk": str(ids.cycle.pk)}, {"pk": UNKNOWN_ID}, {"pk": OVERFLOW}]
    if text == "reviews/<int:pk>/actions/<int:action_pk>/decision/":
        return [
            {"pk": str(ids.cycle.pk), "action_pk": str(ids.action.pk)},
            {"pk": str(ids.cycle.pk), "action_pk": UNKNOWN_ID},
            {"pk": UNKNOWN_ID, "action_pk": str(ids.action.pk)},
            {"pk": OVERFLOW, "action_pk": OVERFLOW},
        ]
    if text == "accounts/password/reset/<uidb64>/<token>/":
        user = User.objects.get(username="police.lead")
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        return [
            {"uidb64": uid, "token": default_token_generator.make_token(user)},
            {"uidb64": uid, "token": "set-password"},
            {"uidb64": urlsafe_base64_encode(force_bytes(UNKNOWN_ID)), "token": "abc-123"},
            {"uidb64": urlsafe_base64_encode(force_bytes(OVERFLOW)), "token": "x" * 300},
            {"uidb64": "%E2%80%AE", "token": "%00"},
        ]
    if text == "reviews/plans/<slug:slug>/schedule/":
        return [{"slug": "national"}, {"slug": "no-such-plan"}]
    if text == "reviews/dashboard/themes/<int:number>/":
        return [{"number": "1"}, {"number": "99"}, {"number": OVERFLOW}]
    if text == "reviews/dashboard/actions.<str:fmt>":
        return [{"fmt": "csv"}, {"fmt": "xlsx"}, {"fmt": "pdf"}, {"fmt": "csv%E2%80%AE"}]
    api_ids = {
        "api/v1/^themes/(?P<pk>[^/.]+)/$": ids.theme.pk,
        "api/v1/^actions/(?P<pk>[^/.]+)/$": ids.action.pk,
        "api/v1/^actions/(?P<pk>[^/.]+)/status-updates/$": ids.action.pk,
        "api/v1/^status-updates/(?P<pk>[^/.]+)/$": ids.status_update.pk,
        "api/v1/^review-cycles/(?P<pk>[^/.]+)/$": ids.cycle.pk,
    }
    if text in api_ids:
        return [{"pk": str(api_ids[text])}, {"pk": UNKNOWN_ID}, {"pk": OVERFLOW}, {"pk": "abc"}, {"pk": "-1"}]
    if text == "api/v1/^plans/(?P<slug>[-a-zA-Z0-9_]+)/$":
        return [{"slug": "national"}, {"slug": ids.local_plan.slug}, {"slug": "no-such-plan"}]
    if text == "api-tokens/<int:pk>/revoke/":
        return [{"pk": str(ids.token.pk)}, {"pk": UNKNOWN_ID}, {"pk": OVERFLOW}]
    if text == "notifications/calendar/<str:key>.ics":
        return [{"key": ids.calendar_key}, {"key": "nothing"}, {"key": "x" * 2000}, {"key": "%E2%80%AE"}]
    if text == "plans/<slug:slug>/import/":
        return [{"slug": "national"}, {"slug": ids.local_plan.slug}, {"slug": "no-such-plan"}]
    if text == "plans/<slug:slug>/import/<uuid:pk>/":
        real = str(ids.action_import.pk)
        return [
            {"slug": "national", "pk": real},
            {"slug": "national", "pk": "00000000-0000-0000-0000-000000000000"},
            {"slug": ids.local_plan.slug, "pk": real},
            {"slug": "no-such-plan", "pk": real},
        ]
    if text == "plans/<slug:slug>/import/template.<str:fmt>":
        return [
            {"slug": "national", "fmt": "csv"},
            {"slug": "national", "fmt": "xlsx"},
            {"slug": "national", "fmt": "pdf"},
        ]
    # Plan revisions: the draft (its pages take decisions), the published one, and unknown ones.
    revisions = [{"pk": str(ids.draft.pk)}, {"pk": str(ids.published.pk)}, {"pk": UNKNOWN_ID}, {"pk": OVERFLOW}]
    if text in (
        "reviews/revisions/<int:pk>/",
        "reviews/revisions/<int:pk>/add/",
        "reviews/revisions/<int:pk>/publish/",
    ):
        return revisions
    if text == "reviews/revisions/<int:pk>/actions/<int:action_pk>/":
        return [
            {"pk": str(ids.draft.pk), "action_pk": str(ids.decided.action_id)},
            {"pk": str(ids.draft.pk), "action_pk": str(ids.local_copy.pk)},
            {"pk": str(ids.published.pk), "action_pk": str(ids.decided.action_id)},
            {"pk": UNKNOWN_ID, "action_pk": UNKNOWN_ID},
            {"pk": OVERFLOW, "action_pk": OVERFLOW},
        ]
    if "(?P<fate>" in text:
        action = str(ids.decided.action_id)
        return [
            {"pk": str(ids.draft.pk), "action_pk": action, "fate": fate}
            for fate in ("changed", "merged", "superseded", "withdrawn", "carried", "added", "nosuch")
        ] + [
            {"pk": UNKNOWN_ID, "action_pk": action, "fate": "withdrawn"},
            {"pk": OVERFLOW, "action_pk": OVERFLOW, "fate": "changed"},
        ]
    if text in (
        "reviews/revisions/<int:pk>/added/<int:decision_pk>/",
        "reviews/revisions/<int:pk>/decisions/<int:decision_pk>/remove/",
    ):
        return [
            {"pk": str(ids.draft.pk), "decision_pk": str(ids.added.pk)},
            {"pk": str(ids.draft.pk), "decision_pk": str(ids.decided.pk)},
            {"pk": str(ids.published.pk), "decision_pk": str(ids.added.pk)},
            {"pk": UNKNOWN_ID, "decision_pk": UNKNOWN_ID},
            {"pk": OVERFLOW, "decision_pk": OVERFLOW},
        ]
    if "(?P<which>" in text:
        return [
            {"pk": str(ids.published.pk), "which": "before"},
            {"pk": str(ids.published.pk), "which": "after"},
            {"pk": str(ids.draft.pk), "which": "after"},
            {"pk": UNKNOWN_ID, "which": "before"},
        ]
    # Inspection recommendations and their sources.
    if text in ("reviews/recommendations/<int:pk>/", "reviews/recommendations/<int:pk>/edit/"):
        return [{"pk": str(ids.recommendation.pk)}, {"pk": UNKNOWN_ID}, {"pk": OVERFLOW}]
    if text == "reviews/recommendations/<int:pk>/unlink/<int:action_pk>/":
        linked = ids.recommendation.links.order_by("pk").first()
        return [
            {"pk": str(ids.recommendation.pk), "action_pk": str(linked.action_id if linked else ids.action.pk)},
            {"pk": str(ids.recommendation.pk), "action_pk": UNKNOWN_ID},
            {"pk": UNKNOWN_ID, "action_pk": str(ids.action.pk)},
            {"pk": OVERFLOW, "action_pk": OVERFLOW},
        ]
    if text in ("reviews/recommendations/sources/<int:pk>/", "reviews/recommendations/sources/<int:pk>/edit/"):
        return [{"pk": str(ids.source.pk)}, {"pk": UNKNOWN_ID}, {"pk": OVERFLOW}]
    if text in (
        "reviews/recommendations/sources/<int:source_pk>/add/",
        "reviews/recommendations/sources/<int:source_pk>/paste/",
    ):
        return [{"source_pk": str(ids.source.pk)}, {"source_pk": UNKNOWN_ID}, {"source_pk": OVERFLOW}]
    if text == "reviews/recommendations/for-action/<int:action_pk>/":
        return [{"action_pk": str(ids.action.pk)}, {"action_pk": UNKNOWN_ID}, {"action_pk": OVERFLOW}]
    # The public progress page, its settings and its summaries.
    slugs = [{"slug": "national"}, {"slug": ids.local_plan.slug}, {"slug": "no-such-plan"}, {"slug": "x" * 300}]
    if text in ("public/<slug:slug>/", "reviews/public-pages/<slug:slug>/"):
        return slugs
    if text == "reviews/public-pages/<slug:slug>/summaries/<int:action_pk>/":
        return [
            {"slug": "national", "action_pk": str(ids.completed.pk)},
            {"slug": "national", "action_pk": str(ids.action.pk)},
            {"slug": ids.local_plan.slug, "action_pk": str(ids.completed.pk)},
            {"slug": "no-such-plan", "action_pk": UNKNOWN_ID},
            {"slug": "national", "action_pk": OVERFLOW},
        ]
    # Local plans: making one, adding to one, and a local copy's "not applicable" and national change.
    if text in ("plans/<slug:slug>/local-plans/new/", "plans/<slug:slug>/actions/new/"):
        return slugs
    if text in ("actions/<int:pk>/not-applicable/", "actions/<int:pk>/national-change/"):
        changed = ids.national_change.local_action_id if ids.national_change else ids.local_copy.pk
        return [{"pk": str(changed)}, {"pk": str(ids.local_copy.pk)}, {"pk": str(ids.action.pk)}, {"pk": UNKNOWN_ID}]
    if text == "plans/<slug:slug>/":
        return [{"slug": "national"}, {"slug": ids.local_plan.slug}, {"slug": "no-such-plan"}]
    if text == "plans/<slug:slug>/themes/<int:number>/":
        return [
            {"slug": "national", "number": "1"},
            {"slug": ids.local_plan.slug, "number": "2"},
            {"slug": "national", "number": "99"},
            {"slug": "national", "number": OVERFLOW},
            {"slug": "no-such-plan", "number": "1"},
        ]
    raise AssertionError(f"The test does not know how to fill the parameters of {text!r}: add it to fillings()")


def build_path(text: str, values: dict[str, str]) -> str:
    if "(" in text:  # a regular expression: replace each group, named or not, in order
        counter = iter(range(100))

        def group(match: re.Match) -> str:
            name = match["name"] or str(next(counter))
            return values[name]

        path = re.sub(r"\((?:\?P<(?P<name>\w+)>)?[^()]*\)", group, text)
    else:
        path = ROUTE_PARAMETER.sub(lambda match: values[match["name"]], text)
    # A regular expression's anchors (the API router's patterns have them without any group).
    path = path.replace("^", "").replace("$", "")
    return "/" + path


def urls_to_probe(ids: Ids) -> list[tuple[str, bool]]:
    """(path, whether it names the real object) for every pattern and every filling of its parameters."""
    urls = []
    for text, callback in patterns():
        for number, values in enumerate(fillings(text, callback, ids)):
            urls.append((build_path(text, values), number == 0))
    return urls


# -- The probe ------------------------------------------------------------------------------------------------


@pytest.fixture
def demo(db):
    call_command("seed_demo", scale="1", password="hostile-password-123", stdout=StringIO())
    User.objects.create_user(username="no.role", password="hostile-password-123", role=User.Role.NONE)
    # A draft revision of the national plan with a decision and a new action, so that its pages take input.
    admin_user, national = User.objects.get(username="admin"), Plan.objects.get(slug="national")
    draft = revision_start(
        plan=national, by=admin_user, name="Next refresh", effective_on=date.today(), rationale="Why"
    )
    action = national.actions.filter(status__in=(Status.NOT_STARTED, Status.IN_PROGRESS)).order_by("pk").first()
    revision_decide(revision=draft, action=action, by=admin_user, fate="withdrawn", reason="No longer needed")
    theme = national.themes.order_by("number").first()
    proposal = Proposal(
        theme=theme,
        title="A new action",
        side="police",
        police_lead=User.objects.get(username="police.lead"),
        start_date=action.start_date,
        target_date=action.target_date,
    )
    revision_add_action(revision=draft, by=admin_user, proposal=proposal)
    return Ids()


def probe(client: Client, user: User | None, method: str, url: str, data: list[tuple[str, str]]) -> str | None:
    """Send one request in a savepoint that is rolled back; a description of the failure, or None."""
    # A fresh session each time: the previous request's session may have been rolled back with its savepoint
    # (a sign-in or sign-out replaces it), while a cached_db session store still remembers it.
    client.cookies.clear()
    if user is not None:
        client.force_login(user)
    try:
        with transaction.atomic():
            if method == "GET":
                separator = "&" if "?" in url else "?"
                response = client.get(f"{url}{separator}{urlencode(data)}")
            else:
                response = client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")
            transaction.set_rollback(True)
    except Exception as error:  # noqa: BLE001 - any exception is what this test looks for
        return f"{method} {url[:120]} raised {type(error).__name__}: {str(error)[:200]}"
    if response.status_code >= 500:
        return f"{method} {url[:120]} answered {response.status_code}"
    return None


# Unknown and malformed ids, and pages a role cannot open, answer before reading parameters: two sets suffice.
FEW = ("nul", "unknown ids")


@pytest.mark.parametrize("username", ["police.lead", "board.member", "admin", "no.role", None])
def test_no_url_answers_hostile_input_with_a_server_error(demo, username):
    user = User.objects.get(username=username) if username else None
    client = Client()
    sets = hostile_sets(parameter_names())
    urls = urls_to_probe(demo)
    assert len(urls) > 150, "every pattern of the URL conf, with real and unknown ids"

    failures = []
    for url, real in urls:
        reaches = not url.startswith("/admin/") or (user is not None and user.is_admin)
        for set_name, data in sets.items():
            if not (real and reaches) and set_name not in FEW:
                continue
            for method in ("GET", "POST"):
                failure = probe(client, user, method, url, data)
                if failure:
                    failures.append(f"[{set_name}] {failure}")
    assert failures == [], "\n".join(sorted(set(re.sub(r"\d+", "N", f) for f in failures))[:400])
    # Nothing the probe sent was kept.
    assert StatusUpdate.objects.filter(narrative__contains="DROP TABLE").count() == 0
