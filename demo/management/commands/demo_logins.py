"""The last words of scripts/start.sh: where the platform runs and who may sign in.

It is a command, not shell text, so that it speaks the platform's language
(Vietnamese by default) through the same translations as the pages.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import Role, User
from demo.management.commands.seed_demo import USERS, login_lines


class Command(BaseCommand):
    help = "Print the platform's address, the demo logins and where the logs are."

    def add_arguments(self, parser):
        parser.add_argument("--url", required=True, help="The address it answers at.")
        parser.add_argument(
            "--logs", required=True, help="The folder of the server's logs."
        )

    def execute(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            return super().execute(*args, **options)

    def handle(self, *args, **options):
        by_name = User.objects.in_bulk(
            [username for username, *_rest in USERS], field_name="username"
        )
        users = [by_name[name] for name, *_rest in USERS if name in by_name]
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                gettext("The platform is running at %(url)s") % {"url": options["url"]}
            )
        )
        self.stdout.write(gettext("Sign in with one of these accounts:"))
        for line in login_lines(users):
            self.stdout.write(line)
        self.stdout.write(two_factor_line())
        self.stdout.write(
            gettext("Logs of the web server and the background workers: %(logs)s")
            % {"logs": options["logs"]}
        )
        self.stdout.write(gettext("Stop with Ctrl+C."))
        self.stdout.write("")


def two_factor_line() -> str:
    """Whether the logins above also ask for an authenticator app's code."""
    required = settings.MFA_REQUIRED_ROLES
    if not required:
        return gettext(
            "Two-factor sign-in is not required here (MFA_REQUIRED_ROLES is "
            "empty), so the accounts above sign in with the password alone. "
            "In production national administrators and province staff must "
            "set up an authenticator app at their first sign-in."
        )
    labels = ", ".join(str(Role(role).label) for role in required if role in Role)
    return gettext(
        "Two-factor sign-in is required of: %(roles)s. At their first sign-in "
        "they set up an authenticator app on their phone."
    ) % {"roles": labels}
