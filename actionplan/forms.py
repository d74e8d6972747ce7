"""Forms of signing in and of a person's own account, with GOV.UK wording for their errors.

Every field refuses what no person would type (oversized values, control characters, NUL) with a message,
before anything is looked up, counted or stored.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction

from .auth import client_ip
from .dates import PeriodDate, PeriodDateError, format_period, parse_period
from .signin import sign_in_throttled
from .two_factor import CODE_DIGITS, recovery_code_is_well_formed, recovery_code_normalise

USERNAME_MAX = 150
PASSWORD_MAX = 1024
EMAIL_MAX = 254


def has_control_characters(value: str) -> bool:
    """Control and invisible formatting characters (NUL, escape, direction overrides and the like)."""
    return any(unicodedata.category(char) in ("Cc", "Cf") for char in value)


class SignInForm(AuthenticationForm):
    """Django's sign-in form: usernames only of the shape the service gives, the per-username limit first."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is not active. Ask an admin of the plan to reactivate it.",
    }
    # Set when the per-username limit refused this attempt: the page answers 429 with Retry-After.
    throttle = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        username, password = self.fields["username"], self.fields["password"]
        username.error_messages["required"] = "Enter your username"
        username.error_messages["null_characters_not_allowed"] = "Enter a username without control characters"
        # Django's form sets max_length after the field is made, so it is not checked: these are.
        username.validators += [
            MaxLengthValidator(USERNAME_MAX, message=f"Username must be {USERNAME_MAX} characters or fewer"),
            UnicodeUsernameValidator(
                message="Enter a username with only letters, numbers and the characters @ . + - _"
            ),
        ]
        password.error_messages["required"] = "Enter your password"
        password.error_messages["null_characters_not_allowed"] = "Enter a password without null characters"
        password.validators.append(
            MaxLengthValidator(PASSWORD_MAX, message=f"Password must be {PASSWORD_MAX:,} characters or fewer")
        )

    def clean(self):
        username = self.cleaned_data.get("username")
        if username is not None and self.cleaned_data.get("password") and self.request is not None:
            self.throttle = sign_in_throttled(request=self.request, username=username)
            if self.throttle is not None:
                raise ValidationError(
                    "There have been too many attempts to sign in with this username. "
                    f"Wait {self.throttle.wait_words} and try again.",
                    code="throttled",
                )
        return super().clean()


class CodeField(forms.CharField):
    """A code typed from an app or a list: spaces and dashes allowed, then checked for its shape."""

    def __init__(self, *, required_message: str, **kwargs) -> None:
        super().__init__(
            max_length=64,
            strip=True,
            error_messages={
                "required": required_message,
                "max_length": "The code is too long: enter it as shown",
                "null_characters_not_allowed": "Enter the code without control characters",
            },
            **kwargs,
        )


class TotpCodeForm(forms.Form):
    """The 6-digit code of an authenticator app."""

    code = CodeField(required_message="Enter the 6-digit code from your authenticator app")

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == CODE_DIGITS and code.isascii() and code.isdigit()):
            raise ValidationError("Enter the code as 6 digits, like 123456")
        return code


class RecoveryCodeForm(forms.Form):
    recovery_code = CodeField(required_message="Enter one of your recovery codes")

    def clean_recovery_code(self) -> str:
        code = recovery_code_normalise(self.cleaned_data["recovery_code"])
        if not recovery_code_is_well_formed(code):
            raise ValidationError("Enter the recovery code as shown, like abcd-efgh-jkmn")
        return code


class ConfirmForm(forms.Form):
    """A form that only confirms (turning off two-factor, new recovery codes): nothing to fill in but the token."""


# -- Passwords ----------------------------------------------------------------------------------------------------


class _PasswordFieldsMixin:
    """GOV.UK wording, a length bound and no control characters for every password field of the form."""

    REQUIRED = {
        "old_password": "Enter your current password",
        "new_password1": "Enter a new password",
        "new_password2": "Enter the new password again",
    }

    def _tidy_password_fields(self) -> None:
        for name, field in self.fields.items():
            field.error_messages["required"] = self.REQUIRED.get(name, "Enter a password")
            field.error_messages["null_characters_not_allowed"] = "Enter a password without null characters"
            field.validators.append(
                MaxLengthValidator(PASSWORD_MAX, message=f"Password must be {PASSWORD_MAX:,} characters or fewer")
            )
            field.strip = False
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": "The two new passwords do not match: enter the same password twice",
            "password_incorrect": "Your current password is not correct: enter it again",
        }


class NewPasswordForm(_PasswordFieldsMixin, SetPasswordForm):
    """Choosing a new password from a reset link."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._tidy_password_fields()


class ChangePasswordForm(_PasswordFieldsMixin, PasswordChangeForm):
    """Changing one's own password. A wrong current password counts towards the sign-in lockout, as a wrong
    password at sign-in does, so a session left open cannot be used to guess it."""

    def __init__(self, user, *args, request=None, **kwargs) -> None:
        self.request = request
        super().__init__(user, *args, **kwargs)
        self._tidy_password_fields()

    def clean_old_password(self) -> str:
        try:
            return super().clean_old_password()
        except ValidationError:
            user_login_failed.send(
                sender=__name__,
                credentials={"username": self.user.get_username(), "stage": "password_change"},
                request=self.request,
            )
            raise


class ResetRequestForm(PasswordResetForm):
    """Asks for a reset link. The email goes from a Celery worker, so the answer takes as long, and says the
    same, whether or not the address belongs to anyone."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.max_length = EMAIL_MAX
        email.validators = [
            *[validator for validator in email.validators if not isinstance(validator, MaxLengthValidator)],
            MaxLengthValidator(EMAIL_MAX, message=f"Email address must be {EMAIL_MAX} characters or fewer"),
        ]
        email.error_messages.update(
            {
                "required": "Enter your email address",
                "invalid": "Enter an email address in the correct format, like name@example.com",
                "null_characters_not_allowed": "Enter an email address in the correct format, like name@example.com",
            }
        )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if has_control_characters(email):
            raise ValidationError("Enter an email address in the correct format, like name@example.com")
        return email

    def save(self, *, request=None, **kwargs) -> None:
        from .tasks import password_reset_send

        email = self.cleaned_data["email"]
        transaction.on_commit(lambda: password_reset_send.delay(email=email, ip_address=client_ip(request)))


class PeriodDateField(forms.Field):
    """A date as published plans give it: a day, a month or a quarter ("24 March 2021", "Dec 2021", "Q1 2022").

    Cleans to a `PeriodDate` (the day, or the period's last day, with its precision), or None when left blank.
    """

    widget = forms.TextInput

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault(
            "help_text", 'A day, a month or a quarter, for example "24 March 2021", "Dec 2021" or "Q1 2022".'
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, PeriodDate):
            return str(value)
        if isinstance(value, date):
            return format_period(value)
        return value

    def to_python(self, value) -> PeriodDate | None:
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, PeriodDate):
            return value
        try:
            return parse_period(value)
        except PeriodDateError as error:
            raise forms.ValidationError(str(error), code="invalid") from None
