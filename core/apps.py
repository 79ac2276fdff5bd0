from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The model-free base: text, phones, audit, logs, spreadsheets."""

    name = "core"
    verbose_name = _("Platform base")

    def ready(self):
        # Registers the contracts of hand-written SQL (core.checks, and the
        # staged import's audit rows).
        from . import checks, staged_import  # noqa: F401
