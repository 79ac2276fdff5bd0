"""Messages of django-import-export and django-simple-history on admin pages,
and of Django's admin where its Vietnamese catalogues lack them.

Neither library ships a Vietnamese catalogue; listing their messages here puts
them in ours, where Django finds them first (see ``allauth_strings``).
"""

from django.utils.translation import gettext_noop, ngettext_lazy, pgettext_lazy

IMPORT_EXPORT_MESSAGES = [
    gettext_noop("Import"),
    gettext_noop("Export"),
    gettext_noop("Submit"),
    gettext_noop("Confirm import"),
    gettext_noop("Preview"),
    gettext_noop("New"),
    gettext_noop("Update"),
    gettext_noop("Skipped"),
    gettext_noop("Delete"),
    gettext_noop("Errors"),
    gettext_noop("Line number"),
    gettext_noop("Select all"),
    gettext_noop("File to import"),
    gettext_noop("Format"),
    gettext_noop("Resource"),
    gettext_noop("Non field specific"),
    gettext_noop("Some rows failed to validate"),
    gettext_noop(
        "Please correct these errors in your data where possible, then reupload "
        "it using the form above."
    ),
    gettext_noop(
        "Below is a preview of data to be imported. If you are satisfied with the "
        "results, click 'Confirm import'"
    ),
    gettext_noop("This importer will import the following fields: "),
    gettext_noop("This exporter will export the following fields: "),
    gettext_noop("Export selected %(verbose_name_plural)s"),
    gettext_noop("Import finished: {} new, {} updated, {} deleted and {} skipped {}."),
    gettext_noop(
        "%(exc_name)s encountered while trying to read file. "
        "Ensure you have chosen the correct format for the file."
    ),
    gettext_noop(
        "No valid data to import. Ensure your file has the correct headers or "
        "data for import."
    ),
]

SIMPLE_HISTORY_MESSAGES = [
    gettext_noop("History"),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("Change history: %s"),
    gettext_noop("View history: %s"),
    gettext_noop("View %s"),
    gettext_noop("Changed"),
    gettext_noop("Created"),
    gettext_noop("Deleted"),
    gettext_noop("Change reason"),
    gettext_noop("Changed by"),
    gettext_noop("Changes"),
    gettext_noop("Comment"),
    gettext_noop("Date/time"),
    gettext_noop("Object"),
    gettext_noop("None"),
    gettext_noop("View %(verbose_name)s"),
    ngettext_lazy("entry", "entries", 1),
]

# Django's own admin: messages its Vietnamese catalogue lacks or words in an
# older form (the change form's error note is plural-aware since Django 5).
DJANGO_ADMIN_MESSAGES = [
    ngettext_lazy(
        "Please correct the error below.", "Please correct the errors below.", 1
    ),
    # Older Vietnamese wording: "Hoạt động" (activity) for the list's action.
    gettext_noop("Action:"),
    gettext_noop("Go"),
    gettext_noop("Run the selected action"),
    gettext_noop("Skip to main content"),
    gettext_noop("Toggle navigation"),
    gettext_noop("Filter navigation items"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Show counts"),
    gettext_noop("Hide counts"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Click here to select the objects across all pages"),
    gettext_noop("View selected %(model)s"),
    gettext_noop(
        "After you’ve created a user, you’ll be able to edit more user options."
    ),
    gettext_noop(
        "Raw passwords are not stored, so there is no way to see the user’s password."
    ),
    # Django's "e-mail" is a word Vietnamese officials meet as "thư điện tử".
    gettext_noop("email address"),
    # The delete confirmation's line for the rows that only link two records.
    gettext_noop("links between %(one)s and %(other)s"),
]

# Django's admin scripts (the member picker, the calendar): messages its
# Vietnamese script catalogue lacks. The admin's script catalogue takes them
# from ours (``accounts.admin_site.AdminScriptCatalog``).
ADMIN_SCRIPT_MESSAGES = [
    gettext_noop("Choose all %s"),
    gettext_noop("Remove all %s"),
    gettext_noop("Choose selected %s"),
    gettext_noop("Remove selected %s"),
    gettext_noop(
        'Choose %s by selecting them and then select the "Choose" arrow button.'
    ),
    gettext_noop(
        'Remove %s by selecting them and then select the "Remove" arrow button.'
    ),
    gettext_noop("Type into this box to filter down the list of selected %s."),
    gettext_noop("(click to clear)"),
    gettext_noop("Sunday"),
    gettext_noop("Monday"),
    gettext_noop("Tuesday"),
    gettext_noop("Wednesday"),
    gettext_noop("Thursday"),
    gettext_noop("Friday"),
    gettext_noop("Saturday"),
]
# (singular, plural): the call below marks each for makemessages.
ADMIN_SCRIPT_PLURALS = [
    ("%s selected option not visible", "%s selected options not visible"),
]
ADMIN_SCRIPT_MARKS = [
    ngettext_lazy(
        "%s selected option not visible", "%s selected options not visible", 1
    ),
]
# (context, message), marked the same way. Django's calendar lists them,
# though it shows only the one-letter initials, which Django translates.
ADMIN_SCRIPT_IN_CONTEXT = [
    ("abbrev. day Sunday", "Sun"),
    ("abbrev. day Monday", "Mon"),
    ("abbrev. day Tuesday", "Tue"),
    ("abbrev. day Wednesday", "Wed"),
    ("abbrev. day Thursday", "Thur"),
    ("abbrev. day Friday", "Fri"),
    ("abbrev. day Saturday", "Sat"),
]
ADMIN_SCRIPT_MARKS += [
    pgettext_lazy("abbrev. day Sunday", "Sun"),
    pgettext_lazy("abbrev. day Monday", "Mon"),
    pgettext_lazy("abbrev. day Tuesday", "Tue"),
    pgettext_lazy("abbrev. day Wednesday", "Wed"),
    pgettext_lazy("abbrev. day Thursday", "Thur"),
    pgettext_lazy("abbrev. day Friday", "Fri"),
    pgettext_lazy("abbrev. day Saturday", "Sat"),
]
