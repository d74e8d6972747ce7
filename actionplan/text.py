"""What prose may hold: the one rule for narratives, reasons and plan content, wherever they are written."""

from __future__ import annotations

import re

# PostgreSQL cannot store a NUL in text, and no other control character but tab and newlines belongs in prose.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Invisible characters that reverse the order in which the text after them is shown (embeddings, overrides and
# isolates): "Trojan Source" text that reads one way on screen and another in an export or an email.
DIRECTION_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def prose_problem(text: str, *, what: str) -> str | None:
    """Why `text` cannot be stored as prose (`what` names it: "The narrative"), or None."""
    if CONTROL_CHARACTERS.search(text):
        return f"{what} contains a character that cannot be saved: remove it or type the text again"
    if DIRECTION_CONTROLS.search(text):
        return (
            f"{what} contains an invisible character that changes the direction of the text: "
            "remove it or type the text again"
        )
    return None
