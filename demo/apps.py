from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo and scale data: the top layer, which nothing imports."""

    name = "demo"
    verbose_name = _("Demo data")

    def ready(self):
        # Declares the columns its COPY fills, for the check at start.
        from . import scale_load  # noqa: F401
