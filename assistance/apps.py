from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "assistance"
    verbose_name = _("Assistance")

    def ready(self):
        # Each connects its receivers.
        from . import catalogue, replays, tombstones  # noqa: F401
