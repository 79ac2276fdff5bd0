from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")
    # The member's training history on the member's page (teams.admin).
    member_admin_inlines = ["training.admin.MemberAttendanceInline"]

    def ready(self):
        from . import tombstones  # noqa: F401  (connects its receiver)
