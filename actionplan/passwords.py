"""Password rules of the service, beyond Django's: enough different characters, and an upper bound.

Both are listed in AUTH_PASSWORD_VALIDATORS, so they apply wherever a password is set: the change and reset
pages, the admin's "add user" and "change password" forms, and `createsuperuser`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError


class CharacterVarietyValidator:
    """Refuses passwords made of too few different characters, such as `aaaaaaaaaaaa` or `abababababab`."""

    def __init__(self, min_distinct: int = 5) -> None:
        self.min_distinct = min_distinct

    def validate(self, password: str, user=None) -> None:
        if len(set(password)) < self.min_distinct:
            raise ValidationError(
                f"This password repeats too few characters. Use at least {self.min_distinct} different characters.",
                code="password_too_little_variety",
            )

    def get_help_text(self) -> str:
        return f"Your password must use at least {self.min_distinct} different characters."


class MaximumLengthValidator:
    """Refuses passwords longer than any person would type, so a form cannot be made to hash megabytes."""

    def __init__(self, max_length: int = 1024) -> None:
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                f"This password is too long. It must be {self.max_length:,} characters or fewer.",
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return f"Your password must be {self.max_length:,} characters or fewer."
