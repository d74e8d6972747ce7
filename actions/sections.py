"""Sections that higher layers add to the action and plan pages, without this app importing them.

The action page belongs to `actions`, but some of what it shows is the board's judgement, kept in `reviews`
(the revisions that changed the action, the inspection recommendations it answers, its public summary). A higher
app registers a section here when it starts (`AppConfig.ready`): a template and a function that gives the
template its context for one action (or plan) and one request, or None to leave the section out. This app calls
them without knowing which apps registered them, so the layers stay in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest


@dataclass(frozen=True)
class PageSection:
    key: str
    template: str
    # context(request=..., obj=...) -> dict for the template, or None when the section has nothing to show.
    context: Callable[..., dict | None]
    order: int = 100


@dataclass(frozen=True)
class RenderedSection:
    key: str
    template: str
    context: dict = field(default_factory=dict)


_SECTIONS: dict[str, dict[str, PageSection]] = {"action": {}, "plan": {}}


def register_section(page: str, section: PageSection) -> None:
    """Add a section to the action page (`page="action"`) or the plan page (`"plan"`); the same key replaces."""
    if page not in _SECTIONS:
        raise ValueError(f"No page called {page!r}: sections go on {', '.join(_SECTIONS)}")
    _SECTIONS[page][section.key] = section


def page_sections(page: str, *, request: HttpRequest, obj) -> list[RenderedSection]:
    """The registered sections of a page that have something to show for `obj`, in order."""
    rendered = []
    for section in sorted(_SECTIONS[page].values(), key=lambda s: (s.order, s.key)):
        context = section.context(request=request, obj=obj)
        if context is not None:
            rendered.append(RenderedSection(key=section.key, template=section.template, context=context))
    return rendered
