from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import Hamlet, Ward


class Team(models.Model):
    """A community digital technology team (Tổ công nghệ số cộng đồng)."""

    WARD_PATH = "ward"

    ward = models.ForeignKey(
        Ward, models.PROTECT, related_name="teams", verbose_name=_("ward")
    )
    hamlet = models.ForeignKey(
        Hamlet,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="teams",
        verbose_name=_("hamlet"),
        help_text=_("Leave empty for a ward-level team."),
    )
    name = models.CharField(_("name"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["ward", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "name"], name="team_name_unique_in_ward"
            ),
        ]

    def __str__(self):
        return self.name
