"""python manage.py seed_demo [--password PW] [--scale N] [--site-url URL]: the demo plans, people and histories."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from demo import data
from demo.builder import demo_seed


def _scale(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise CommandError(f"--scale must be a whole number from 1 to {data.MAX_LOCAL_PLANS}, not {value!r}.") from None
    if not 1 <= number <= data.MAX_LOCAL_PLANS:
        raise CommandError(f"--scale must be a whole number from 1 to {data.MAX_LOCAL_PLANS}, not {number}.")
    return number


def _site_url(value: str) -> str:
    """The address the service is served at, as people open it: http(s)://host[:port], nothing after the host."""
    text = value.strip().rstrip("/")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if (
        parts is None
        or any(character.isspace() for character in text)
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path
        or parts.query
        or parts.fragment
        or parts.username
        or (port is None and ":" in parts.netloc.rsplit("]", 1)[-1])
    ):
        raise CommandError(
            f"--site-url must be the address the service is served at, such as http://127.0.0.1:8001, not {value!r}."
        )
    return text


class Command(BaseCommand):
    help = (
        "Create the demo: the national RASSO joint action plan with its five themes and actions, local plans that "
        "mirror it, review cycles, status histories and the demo users. Running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            help="Password for the users this run creates. Without it a random one is generated and printed once.",
        )
        parser.add_argument(
            "--site-url",
            metavar="URL",
            help="The address the service is served at, for the line saying where to sign in "
            "(default: the SITE_URL setting). `make run` passes the HOST and PORT it serves.",
        )
        parser.add_argument(
            "--scale",
            default=str(data.DEFAULT_LOCAL_PLANS),
            metavar="N",
            help=f"Number of local plans, one per police force and CPS Area pair (1 to {data.MAX_LOCAL_PLANS}; "
            f"default {data.DEFAULT_LOCAL_PLANS}).",
        )

    def handle(self, *args, password: str | None, scale: str | int, site_url: str | None = None, **options) -> None:
        local_plans = _scale(str(scale))
        site = _site_url(site_url) if site_url is not None else settings.SITE_URL.rstrip("/")
        if password is not None and not password.strip():
            raise CommandError("--password must not be empty.")
        generated = password is None
        chosen = secrets.token_urlsafe(16) if generated else password
        try:
            report = demo_seed(password=chosen, local_plans=local_plans)
        except ValidationError as error:
            # Only possible when rows made by hand clash with the demo, e.g. a "police.lead" in a CPS Area.
            raise CommandError(f"The demo data conflicts with existing data, nothing was written: {error}") from None

        created = report.created
        if not any(created.values()):
            self.stdout.write("The demo data is already in place; nothing was changed.")
        else:
            parts = [f"{created[name]} {name}" for name in sorted(created) if created[name]]
            self.stdout.write(self.style.SUCCESS("Created " + ", ".join(parts) + "."))
        totals = report.totals
        self.stdout.write(
            f"In the database: {totals['national plans']} national and {totals['local plans']} local plans, "
            f"{totals['actions']} actions, {totals['status updates']} status updates, {totals['users']} users."
        )
        self.stdout.write(
            "Users: admin (admin), police.lead and cps.lead (leads), board.member (board member), and local leads "
            "such as avon-and-somerset.police.lead and cps-south-west.cps.lead."
        )
        if report.users_created:
            if generated:
                self.stdout.write(
                    f"Password for the {len(report.users_created)} users just created (shown only this once): "
                    + self.style.WARNING(chosen)
                )
            else:
                self.stdout.write(f"The {len(report.users_created)} users just created have the password you gave.")
        else:
            self.stdout.write("No users were created; existing users keep their passwords.")
        self.stdout.write(
            "Admins need two-factor authentication: the first time admin signs in, the service shows a QR code "
            "to scan with an authenticator app (or a key to type, e.g. into `oathtool --totp -b KEY`), then "
            "asks for its 6-digit code at every sign-in. "
            + (
                "Everyone else is asked too (OTP_REQUIRED_FOR_ALL is on)."
                if settings.OTP_REQUIRED_FOR_ALL
                else "The other demo users sign in with the password alone."
            )
        )
        self.stdout.write(f"Sign in at {site}{reverse('login')}")
