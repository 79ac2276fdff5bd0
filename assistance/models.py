from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class ServiceType(models.Model):
    """One kind of help a team gives, from the national catalogue.

    Names are data (edited in the admin, in both languages), not messages.
    """

    class Category(models.TextChoices):
        IDENTITY = "identity", _("electronic identity")
        PUBLIC_SERVICE = "public_service", _("online public services")
        CASHLESS = "cashless", _("cashless payment")
        COMMERCE = "commerce", _("online selling and social media")
        SAFETY = "safety", _("online safety")
        BASICS = "basics", _("device and app basics")
        OTHER = "other", _("other")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category)
    name_vi = models.CharField(_("name in Vietnamese"), max_length=150)
    name_en = models.CharField(_("name in English"), max_length=150)
    is_filing = models.BooleanField(
        _("online filing"),
        default=False,
        help_text=_(
            "A dossier filed on the public service portal; it has a reference."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("service type")
        verbose_name_plural = _("service catalogue")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name_vi
