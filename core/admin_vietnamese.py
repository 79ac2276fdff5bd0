"""Where Django's admin would show English or code names on Vietnamese pages:
its scripts' messages its Vietnamese catalogue lacks, and the rows that only
link two records in a delete confirmation."""

from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext, pgettext
from django.views.i18n import JavaScriptCatalog

from .admin_library_strings import (
    ADMIN_SCRIPT_IN_CONTEXT,
    ADMIN_SCRIPT_MESSAGES,
    ADMIN_SCRIPT_PLURALS,
)


class LinkRowsDeleteMixin:
    def get_deleted_objects(self, objs, request):
        # Django lists each row that only links two records (a member on a
        # session) as "Assistancesession-member relationship: ... object
        # (12)"; the confirmation counts them in words instead.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        links = {
            str(model._meta.verbose_name_plural): model
            for model in apps.get_models(include_auto_created=True)
            if model._meta.auto_created
        }
        prefixes = tuple(
            "%s: " % capfirst(model._meta.verbose_name) for model in links.values()
        )
        counts = {
            (_link_label(links[str(name)]) if str(name) in links else name): count
            for name, count in counts.items()
        }
        return _without_lines(deleted, prefixes), counts, perms_needed, protected


def _link_label(model) -> str:
    one, other = (
        field.related_model._meta.verbose_name_plural
        for field in model._meta.concrete_fields
        if field.is_relation
    )
    return gettext("links between %(one)s and %(other)s") % {
        "one": one,
        "other": other,
    }


def _without_lines(items: list, prefixes: tuple[str, ...]) -> list:
    kept = []
    for item in items:
        if isinstance(item, list):
            inner = _without_lines(item, prefixes)
            if inner:
                kept.append(inner)
        elif not str(item).startswith(prefixes):
            kept.append(item)
    return kept


# The admin's scripts ---------------------------------------------------------


class AdminScriptCatalog(JavaScriptCatalog):
    """Django's catalogue for the admin's scripts, with the messages its
    Vietnamese one lacks (the member picker's) taken from ours, where
    makemessages and the project's translations keep them."""

    def get_catalog(self):
        catalog = super().get_catalog()
        for message in ADMIN_SCRIPT_MESSAGES:
            self._fill(catalog, message, gettext(message))
        for context, message in ADMIN_SCRIPT_IN_CONTEXT:
            key = "%s\x04%s" % (context, message)
            self._fill(catalog, key, pgettext(context, message), message)
        for singular, plural in ADMIN_SCRIPT_PLURALS:
            forms = self._plural_forms(singular, plural)
            if singular not in catalog and forms[0] != singular:
                catalog[singular] = forms
        return catalog

    @staticmethod
    def _fill(catalog, key, translated, message=None) -> None:
        if key not in catalog and translated != (message or key):
            catalog[key] = translated

    def _plural_forms(self, singular, plural) -> list[str]:
        """Each plural form of the language, found by a count that picks it."""
        forms = [None] * self._num_plurals
        for count in range(200):
            index = self.translation.plural(count)
            if index < len(forms) and forms[index] is None:
                forms[index] = ngettext(singular, plural, count)
        return [form if form is not None else plural for form in forms]
