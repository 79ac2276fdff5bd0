from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The model-free base: text, phones, audit, logs, spreadsheets."""

    name = "core"
    verbose_name = _("Platform base")
