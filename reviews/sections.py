"""The sections `reviews` adds to the action and plan pages of `actions` (registered in `ReviewsConfig.ready`)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from actions.permissions import can_manage_public_page, can_manage_recommendations, can_revise_plan
from actions.sections import PageSection, register_section

from .models import PublicPage, Revision, RevisionDecision
from .recommendation_selectors import progress_of, recommendations_for_action


def action_revisions_context(*, request, obj) -> dict | None:
    """What published revisions did to the action: added, changed, merged, superseded or withdrew it, or closed
    other actions into it."""
    decisions = list(
        RevisionDecision.objects.filter(revision__status=Revision.Status.PUBLISHED)
        .filter(Q(action=obj) | Q(into_action=obj) | Q(successor__action=obj))
        .exclude(fate=RevisionDecision.Fate.CARRIED)
        .select_related("revision", "action", "into_action", "successor__action")
        .order_by("revision__published_at", "id")
    )
    if not decisions:
        return None
    return {
        "action": obj,
        "decisions": decisions,
        "links": getattr(request.user, "reads_dashboards", False),
    }


def plan_revisions_context(*, request, obj) -> dict | None:
    """The plan's edition, its revisions and, for an admin, a way to start one."""
    revisions = list(Revision.objects.readable_by(request.user).filter(plan=obj).order_by("-effective_on", "-id"))
    can_start = can_revise_plan(request.user, obj)
    if not revisions and not can_start:
        return None
    return {
        "plan": obj,
        "revisions": revisions,
        "can_start": can_start and not any(r.is_draft for r in revisions),
        "links": getattr(request.user, "reads_dashboards", False),
    }


def action_recommendations_context(*, request, obj) -> dict | None:
    """The inspection recommendations the action answers, and for an admin the way to link another."""
    rows = recommendations_for_action(action=obj)
    manager = can_manage_recommendations(request.user)
    if not rows and not manager:
        return None
    return {
        "action": obj,
        "rows": [(r, progress_of(r)) for r in rows],
        "can_manage": manager,
        "links": getattr(request.user, "reads_dashboards", False),
    }


def plan_public_page_context(*, request, obj) -> dict | None:
    """Whether the plan's progress is public and where; for an admin, the way to manage it."""
    page = PublicPage.objects.filter(plan=obj).first()
    manager = can_manage_public_page(request.user, obj)
    if not manager and not (page and page.enabled):
        return None
    return {
        "plan": obj,
        "page": page,
        "can_manage": manager,
        "url": request.build_absolute_uri(reverse("public:progress", kwargs={"slug": obj.slug})),
    }


def register() -> None:
    register_section(
        "action",
        PageSection(key="revisions", template="reviews/_action_revisions.html", context=action_revisions_context),
    )
    register_section(
        "action",
        PageSection(
            key="recommendations",
            template="reviews/_action_recommendations.html",
            context=action_recommendations_context,
            order=50,
        ),
    )
    register_section(
        "plan",
        PageSection(key="revisions", template="reviews/_plan_revisions.html", context=plan_revisions_context),
    )
    register_section(
        "plan",
        PageSection(key="public-page", template="reviews/_plan_public_page.html", context=plan_public_page_context),
    )
