"""Every admin page a user can open, and the English left on it.

The walk follows what the admin itself offers the user (its app list, each
model admin's permissions), so a model registered later is walked too. What
a page says is read as a person and a screen reader meet it: the text, and
the title, aria-label, placeholder and alt attributes and the buttons' values.
"""

import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import allauth
import django
import import_export
import simple_history
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from import_export.admin import ExportMixin, ImportMixin

# English words an admin page shows when a string was left untranslated.
# Whole words, any case; none of them is a Vietnamese word.
ENGLISH_WORDS = {
    "action", "actions", "add", "added", "addresses", "all", "and", "are",
    "available", "by", "cancel", "change", "changed", "choose", "chosen",
    "clear", "click", "close", "confirm", "content", "counts", "date",
    "delete", "deleted", "edit", "email", "enter", "export", "file", "filter",
    "for", "from", "go", "have", "here", "hide", "history", "home", "import",
    "items", "log", "main", "name", "new", "next", "none", "not", "now",
    "object", "objects", "of", "or", "page", "password", "please", "previous",
    "recent", "remove", "results", "save", "search", "select", "selected",
    "show", "site", "skip", "submit", "the", "theme", "this", "today",
    "toggle", "total", "unknown", "update", "user", "view", "welcome", "with",
    "yes", "you", "your",
}  # fmt: skip
ENGLISH_WORD = re.compile(r"\b(%s)\b" % "|".join(sorted(ENGLISH_WORDS)), re.IGNORECASE)
# A Vietnamese word given an English plural ("ngàys": a model without its
# plural name). No Vietnamese syllable ends in "s".
ENGLISH_PLURAL = re.compile(r"\b\w*[^\W\da-zA-Z_]\w*s\b")
# Names that stay as they are in Vietnamese text.
PROPER_NOUNS = ("VNeID", "OneTouch", "Excel", "CSV", "XLSX", "API", "iHanoi")

SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
BUTTON_INPUTS = ("submit", "button", "reset")
UNREAD_ELEMENTS = ("script", "style", "textarea")
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link",
    "meta", "source", "track", "wbr",
}  # fmt: skip


class PageText(HTMLParser):
    """The texts of a page as a user and a screen reader meet them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._unread = 0
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in SHOWN_ATTRIBUTES:
            self._add(attributes.get(name))
        if tag == "button" or (
            tag == "input" and attributes.get("type") in BUTTON_INPUTS
        ):
            self._add(attributes.get("value"))
        if tag in VOID_ELEMENTS:
            return
        self._open.append(tag)
        if tag in UNREAD_ELEMENTS:
            self._unread += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS and self._open and self._open[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag not in self._open:
            return
        while self._open:
            closed = self._open.pop()
            if closed in UNREAD_ELEMENTS:
                self._unread -= 1
            if closed == tag:
                break

    def handle_data(self, data):
        if not self._unread:
            self._add(data)

    def _add(self, text):
        text = " ".join((text or "").split())
        if text:
            self.texts.append(text)


def page_texts(html: str) -> list[str]:
    parser = PageText()
    parser.feed(html)
    parser.close()
    return parser.texts


# Catalogues -----------------------------------------------------------------

PLACEHOLDER = re.compile(r"%\([^)]+\)[sdif]|%[sdif]|\{[^}]*\}")


def _catalogue_files() -> list[Path]:
    """Every compiled catalogue of Django, the libraries and the project, in
    one language that has them all (their message ids are the English)."""
    roots = [
        Path(django.__file__).parent,
        Path(allauth.__file__).parent,
        Path(import_export.__file__).parent,
        Path(simple_history.__file__).parent,
    ]
    files = [
        path for root in roots for path in root.glob("**/locale/fr/LC_MESSAGES/*.mo")
    ]
    files += [Path(path) / "vi/LC_MESSAGES/django.mo" for path in settings.LOCALE_PATHS]
    return [path for path in files if path.is_file()]


def english_messages() -> tuple[set[str], re.Pattern | None]:
    """The English message ids that Vietnamese pages show translated: exact
    texts, and one pattern for those with placeholders."""
    exact: set[str] = set()
    patterns: set[str] = set()
    with translation.override("vi"):
        for path in _catalogue_files():
            with path.open("rb") as file:
                catalogue = gettext.GNUTranslations(file)._catalog
            for key in catalogue:
                if isinstance(key, tuple):  # a plural form
                    if key[1]:
                        continue
                    key = key[0]
                if not key:
                    continue
                context, _, message = key.rpartition("\x04")
                if context:
                    vietnamese = translation.pgettext(context, message)
                else:
                    vietnamese = translation.gettext(message)
                if vietnamese == message or not message.strip():
                    continue
                message = " ".join(message.split())
                if not re.search(r"[A-Za-z]{2}", PLACEHOLDER.sub("", message)):
                    continue  # "%s", "S", "…": nothing English to see
                if PLACEHOLDER.search(message):
                    parts = PLACEHOLDER.split(message)
                    patterns.add(".+?".join(re.escape(part) for part in parts))
                else:
                    exact.add(message)
    pattern = re.compile("(?:%s)" % "|".join(sorted(patterns))) if patterns else None
    return exact, pattern


# Data -----------------------------------------------------------------------


def data_texts() -> set[str]:
    """What the stored rows say (names, addresses, service names in English):
    data, not the admin's words."""
    texts: set[str] = set()
    project = {config.label for config in apps.get_app_configs()}
    for model in apps.get_models():
        if model._meta.app_label not in project:
            continue
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
        ]
        for row in model._default_manager.all().iterator():
            texts.add(" ".join(str(row).split()))
            for name in fields:
                value = getattr(row, name)
                if value:
                    texts.add(" ".join(str(value).split()))
    return {text for text in texts if text}


class EnglishFinder:
    def __init__(self):
        self.exact, self.pattern = english_messages()
        self.data = data_texts()
        self._data_by_word: dict[str, list[str]] = {}
        for text in self.data:
            for word in ENGLISH_WORD.findall(text):
                self._data_by_word.setdefault(word.lower(), []).append(text)

    def english_in(self, text: str) -> str | None:
        """Why ``text`` is English, or None."""
        if text in self.data:
            return None
        bare = text.rstrip(":").strip()
        if bare in self.exact:
            return "an English message"
        if self.pattern is not None and self.pattern.fullmatch(bare):
            return "an English message"
        remaining = text
        for noun in PROPER_NOUNS:
            remaining = remaining.replace(noun, " ")
        for word in ENGLISH_WORD.findall(remaining):
            for value in self._data_by_word.get(word.lower(), ()):
                remaining = remaining.replace(value, " ")
        words = ENGLISH_WORD.findall(remaining)
        if words:
            return "English words: %s" % ", ".join(words)
        plurals = ENGLISH_PLURAL.findall(text)
        if plurals and text not in self.data:
            return "English plurals: %s" % ", ".join(plurals)
        return None


# The walk -------------------------------------------------------------------


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def admin_pages(user) -> list[str]:
    """Every admin page ``user`` may open: index, app indexes, and for each
    model the list (with facets), the add page and, for one row in scope, the
    change, history, delete, import and export pages."""
    request = RequestFactory().get("/admin/")
    request.user = user
    site = admin.site
    pages = [
        reverse("admin:index"),
        reverse("admin:password_change"),
        reverse("admin:export_jobs"),
    ]
    for app in site.get_app_list(request):
        pages.append(app["app_url"])
        for entry in app["models"]:
            model = entry["model"]
            model_admin = site._registry[model]
            info = model._meta.app_label, model._meta.model_name
            changelist = entry["admin_url"]
            if not changelist:
                continue
            pages += [changelist, changelist + "?_facets=1", changelist + "?q=zzzz"]
            if entry.get("add_url"):
                pages.append(entry["add_url"])
            if isinstance(
                model_admin, ImportMixin
            ) and model_admin.has_import_permission(request):
                pages.append(reverse("admin:%s_%s_import" % info))
            if isinstance(
                model_admin, ExportMixin
            ) and model_admin.has_export_permission(request):
                pages.append(reverse("admin:%s_%s_export" % info))
            rows = model_admin.get_queryset(request).order_by("pk")
            history = getattr(model, "history", None)
            if history is not None:  # a row with a history to show
                rows = rows.filter(pk__in=history.values(model._meta.pk.attname))
            row = rows.first()
            if row is None:
                continue
            pages += [
                reverse("admin:%s_%s_change" % info, args=[row.pk]),
                reverse("admin:%s_%s_history" % info, args=[row.pk]),
            ]
            if model_admin.has_delete_permission(request, row):
                pages.append(reverse("admin:%s_%s_delete" % info, args=[row.pk]))
            if history is not None:
                version = (
                    history.filter(**{model._meta.pk.attname: row.pk})
                    .order_by("-history_id")
                    .first()
                )
                if version is not None:
                    pages.append(
                        reverse(
                            "admin:%s_%s_simple_history" % info,
                            args=[row.pk, version.history_id],
                        )
                    )
            password = _url("admin:%s_%s_password_change" % info, row.pk)
            if password and model_admin.has_change_permission(request, row):
                pages.append(password)
    return pages
