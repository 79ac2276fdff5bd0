"""Messages of django-allauth shown on our pages, for makemessages to collect.

allauth ships no Vietnamese catalogue; listing its messages here puts them in
ours, where Django finds them first (LOCALE_PATHS wins over app catalogues).
"""

from django.utils.translation import gettext_noop

ALLAUTH_MESSAGES = [
    gettext_noop("Username"),
    gettext_noop("Password"),
    gettext_noop("Remember Me"),
    gettext_noop("Email"),
    gettext_noop("Current Password"),
    gettext_noop("New Password"),
    gettext_noop("New Password (again)"),
    gettext_noop("Password (again)"),
    gettext_noop("You must type the same password each time."),
    gettext_noop("Please type your current password."),
    gettext_noop("The username and/or password you specified are not correct."),
    gettext_noop("Too many failed login attempts. Try again later."),
    gettext_noop("Be patient, you are sending too many requests."),
    gettext_noop("The password reset token was invalid."),
    gettext_noop("Incorrect password."),
    gettext_noop("Successfully signed in as %(name)s."),
    gettext_noop("You have signed out."),
    gettext_noop("Password successfully changed."),
    gettext_noop("Password successfully set."),
    # allauth.mfa: two-factor sign-in
    gettext_noop("Code"),
    gettext_noop("Authenticator code"),
    gettext_noop("Incorrect code."),
    gettext_noop("You cannot deactivate two-factor authentication."),
    gettext_noop(
        "You cannot generate recovery codes without having two-factor "
        "authentication enabled."
    ),
    gettext_noop("Use your password"),
    gettext_noop("Use authenticator app or code"),
]
