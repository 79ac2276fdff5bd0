"""Messages of django-import-export and django-simple-history on admin pages.

Neither library ships a Vietnamese catalogue; listing their messages here puts
them in ours, where Django finds them first (see ``allauth_strings``).
"""

from django.utils.translation import gettext_noop, ngettext_lazy

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
]

# Django's own admin: messages its Vietnamese catalogue lacks or words in an
# older form (the change form's error note is plural-aware since Django 5).
DJANGO_ADMIN_MESSAGES = [
    ngettext_lazy(
        "Please correct the error below.", "Please correct the errors below.", 1
    ),
]
