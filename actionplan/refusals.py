"""A refusal written for the person refused: the 403 page shows its title, its reasons and where to go next."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class Refusal(PermissionDenied):
    """PermissionDenied that says why, in words for the person: raised by views, shown by the 403 page.

    `reasons` are sentences shown as paragraphs; `links` are (label, url) pairs for what the person can do instead.
    """

    def __init__(self, title: str, reasons: list[str], links: list[tuple[str, str]] | None = None) -> None:
        super().__init__(" ".join([title, *reasons]))
        self.title = title
        self.reasons = list(reasons)
        self.links = list(links or [])
