"""Settings for a developer's machine: `make run`."""

from __future__ import annotations

import os

# A development key is acceptable only here; production.py demands a real one.
os.environ.setdefault("DJANGO_SECRET_KEY", "local-development-only-not-secret")
os.environ.setdefault("DJANGO_DEBUG", "true")

from .base import *  # noqa: E402,F403
