from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Province(models.Model):
    """A province or centrally-run city, keyed by its official two-digit code."""

    class Kind(models.TextChoices):
        PROVINCE = "tinh", pgettext_lazy("division type", "province")
        CITY = "thanh_pho", pgettext_lazy("division type", "centrally-run city")

    PROVINCE_PATH = ""  # a province is its own area

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    codename = models.SlugField(_("code name"), max_length=100, unique=True)
    ward_officials_mfa_required = models.BooleanField(
        _("ward officials must use two-factor sign-in"),
        default=False,
        help_text=_(
            "Tick to make every ward official of the province set up an "
            "authenticator app before anything else at their next sign-in."
        ),
    )

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Ward(models.Model):
    """A commune, ward or special zone (xã, phường, đặc khu) since July 2025."""

    class Kind(models.TextChoices):
        COMMUNE = "xa", pgettext_lazy("division type", "commune")
        WARD = "phuong", pgettext_lazy("division type", "ward")
        SPECIAL_ZONE = "dac_khu", pgettext_lazy("division type", "special zone")

    WARD_PATH = ""  # a ward is its own area

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    province = models.ForeignKey(
        Province,
        models.PROTECT,
        related_name="wards",
        verbose_name=_("province"),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    codename = models.SlugField(_("code name"), max_length=100)

    class Meta:
        verbose_name = _("commune / ward")
        verbose_name_plural = _("communes / wards")
        ordering = ["province", "name"]

    def __str__(self):
        return self.name


class Hamlet(models.Model):
    """A hamlet, village or residential group, created by ward officials."""

    class Kind(models.TextChoices):
        THON = "thon", _("village (thôn)")
        AP = "ap", _("hamlet (ấp)")
        BAN = "ban", _("village (bản)")
        KHU_PHO = "khu_pho", _("quarter (khu phố)")
        TO_DAN_PHO = "to_dan_pho", _("residential group (tổ dân phố)")

    WARD_PATH = "ward"

    ward = models.ForeignKey(
        Ward, models.PROTECT, related_name="hamlets", verbose_name=_("ward")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("hamlet / residential group")
        verbose_name_plural = _("hamlets / residential groups")
        ordering = ["ward", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "name"], name="hamlet_name_unique_in_ward"
            ),
        ]

    def __str__(self):
        return self.name


class MonthLock(models.Model):
    """A ward's month whose report the province approved: its records are frozen.

    The report itself lives in ``reports``, above the apps that write records;
    this row is what their write paths consult, so they need not import it.
    ``reports`` sets it on approval and clears it on an audited reopen, in the
    same transaction as the report's change.
    """

    WARD_PATH = "ward"

    ward = models.ForeignKey(
        Ward, models.CASCADE, related_name="+", verbose_name=_("ward")
    )
    month = models.DateField(_("month"))  # its first day
    locked_at = models.DateTimeField(_("locked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("locked month")
        verbose_name_plural = _("locked months")
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "month"], name="month_lock_unique_in_ward"
            ),
        ]

    def __str__(self):
        return "%s %s" % (self.ward, self.month.strftime("%m/%Y"))
