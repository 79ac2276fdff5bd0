from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from areas.models import Hamlet, Ward
from core.audit import ward_history
from core.phones import phone_normalise
from core.text import search_key, text_normalise

EARLIEST_BIRTH_YEAR = 1900
LATEST_BIRTH_YEAR = 2100  # checked against today's year in Resident.clean()


class Household(models.Model):
    """A household of the ward, as the hamlet's register knows it."""

    class Poverty(models.TextChoices):
        NONE = "", _("not poor")
        NEAR_POOR = "near_poor", _("near-poor")
        POOR = "poor", _("poor")

    WARD_PATH = "ward"
    # What the register says of a household beyond its place and code: the
    # columns an import, the API and a phone's resend all compare.
    PROFILE_FIELDS = (
        "head_name",
        "address",
        "phone",
        "size",
        "elderly_alone",
        "disability",
        "poverty",
        "ethnic_minority",
        "no_smartphone",
    )

    ward = models.ForeignKey(
        Ward, models.PROTECT, related_name="households", verbose_name=_("ward")
    )
    hamlet = models.ForeignKey(
        Hamlet, models.PROTECT, related_name="households", verbose_name=_("hamlet")
    )
    code = models.CharField(
        _("household code"),
        max_length=30,
        help_text=_("The code in the ward's register; unique within the ward."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    head_name = models.CharField(_("head of household"), max_length=150)
    phone = models.CharField(_("phone"), max_length=15, blank=True)
    size = models.PositiveSmallIntegerField(
        _("number of people"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
    )
    elderly_alone = models.BooleanField(_("elderly living alone"), default=False)
    disability = models.BooleanField(_("person with disability"), default=False)
    poverty = models.CharField(
        _("poor or near-poor"),
        max_length=10,
        choices=Poverty,
        blank=True,
        default=Poverty.NONE,
    )
    ethnic_minority = models.BooleanField(_("ethnic minority"), default=False)
    no_smartphone = models.BooleanField(
        _("no smartphone in the household"), default=False
    )
    registered_on = models.DateField(_("registered on"), auto_now_add=True)
    search_text = models.TextField(editable=False, default="")
    # A household added on a phone: made up there, so an offline resend is
    # stored once.
    client_uuid = models.UUIDField(
        _("client UUID"),
        unique=True,
        null=True,
        blank=True,
        editable=False,
        default=None,
        db_default=None,  # bulk loads leave it out
    )
    # What the phone first sent: a resend of it stays a resend after an
    # official corrects the household in the admin.
    content_digest = models.CharField(
        max_length=64, blank=True, default="", db_default="", editable=False
    )

    history = ward_history()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["ward_id", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "code"],
                name="household_code_unique_in_ward",
                violation_error_message=_(
                    "A household with this code is already registered in the ward."
                ),
            ),
        ]
        indexes = [models.Index(fields=["hamlet", "code"])]

    def __str__(self):
        return "%s — %s" % (self.code, self.head_name)

    def save(self, *args, **kwargs):
        self.prepare()
        super().save(*args, **kwargs)
        self._residents_follow()

    def _residents_follow(self):
        """Residents carry the ward for scoping: they move with their household,
        each with a history record, so the new ward sees their trail too."""
        moved = list(self.residents.exclude(ward=self.ward_id))
        for resident in moved:
            resident.ward_id = self.ward_id
        if moved:
            bulk_update_with_history(
                moved,
                Resident,
                ["ward"],
                default_change_reason=gettext("moved with the household"),
            )

    def prepare(self):
        """Normalise what people type; bulk imports call this instead of save()."""
        self.code = text_normalise(self.code).upper()
        self.address = text_normalise(self.address)
        self.head_name = text_normalise(self.head_name)
        self.phone = phone_normalise(self.phone)
        self.search_text = search_key(
            self.code, self.head_name, self.address, self.phone
        )

    def clean(self):
        try:
            self.prepare()
        except ValidationError as error:  # only the phone can be refused
            raise ValidationError({"phone": error}) from error
        if self.hamlet_id and self.ward_id and self.hamlet.ward_id != self.ward_id:
            raise ValidationError(
                {"hamlet": _("The hamlet must be in the household's ward.")}
            )

    @property
    def focal_person(self):
        return self.residents.filter(is_focal_person=True).first()


class Resident(models.Model):
    """A person of a household. No national ID number is ever stored."""

    class Gender(models.TextChoices):
        FEMALE = "female", _("female")
        MALE = "male", _("male")
        OTHER = "other", _("other")

    class VneidLevel(models.TextChoices):
        NONE = "none", _("no e-ID")
        LEVEL_1 = "level1", _("level 1")
        LEVEL_2 = "level2", _("level 2")

    class Skill(models.TextChoices):
        NONE = "none", _("cannot use a smartphone")
        BASIC = "basic", _("basic: calls, messages, photos")
        INDEPENDENT = "independent", _("uses online services alone")
        ADVANCED = "advanced", _("can help others")

    # Denormalised from the household so that scoping, and the audit trail of a
    # deleted resident, need no join.
    WARD_PATH = "ward"

    household = models.ForeignKey(
        Household, models.CASCADE, related_name="residents", verbose_name=_("household")
    )
    ward = models.ForeignKey(
        Ward,
        models.PROTECT,
        related_name="residents",
        verbose_name=_("ward"),
        editable=False,
    )
    full_name = models.CharField(_("full name"), max_length=150)
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"),
        validators=[
            MinValueValidator(EARLIEST_BIRTH_YEAR),
            MaxValueValidator(LATEST_BIRTH_YEAR),
        ],
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender)
    phone = models.CharField(_("phone"), max_length=15, blank=True)
    has_smartphone = models.BooleanField(_("owns a smartphone"), default=False)
    vneid_level = models.CharField(
        _("VNeID"), max_length=10, choices=VneidLevel, default=VneidLevel.NONE
    )
    digital_skill = models.CharField(
        _("digital skills"), max_length=12, choices=Skill, default=Skill.NONE
    )
    is_focal_person = models.BooleanField(
        _("digital focal person"),
        default=False,
        help_text=_(
            "The household's person able to use a smartphone for the others; "
            "at most one per household."
        ),
    )
    disability = models.BooleanField(_("person with disability"), default=False)
    ethnic_minority = models.BooleanField(_("ethnic minority"), default=False)
    search_text = models.TextField(editable=False, default="")

    history = ward_history()

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["household_id", "birth_year", "full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(is_focal_person=True),
                name="one_focal_person_per_household",
                violation_error_message=_(
                    "This household already has a digital focal person."
                ),
            ),
            models.CheckConstraint(
                condition=Q(is_focal_person=False) | Q(has_smartphone=True),
                name="focal_person_owns_a_smartphone",
                violation_error_message=_(
                    "The digital focal person must own a smartphone."
                ),
            ),
            models.UniqueConstraint(
                fields=["household", "full_name", "birth_year"],
                name="resident_unique_in_household",
                violation_error_message=_(
                    "This household already has a resident with this name and "
                    "birth year."
                ),
            ),
        ]
        indexes = [models.Index(fields=["ward", "vneid_level"])]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.prepare()
        super().save(*args, **kwargs)

    def prepare(self):
        """Normalise what people type; bulk imports call this instead of save()."""
        if self.household_id:
            self.ward_id = self.household.ward_id
        self.full_name = text_normalise(self.full_name)
        self.phone = phone_normalise(self.phone)
        self.search_text = search_key(self.full_name, self.phone)

    def clean(self):
        try:
            self.prepare()
        except ValidationError as error:  # only the phone can be refused
            raise ValidationError({"phone": error}) from error
        if self.birth_year and self.birth_year > timezone.localdate().year:
            raise ValidationError(
                {"birth_year": _("The birth year cannot be in the future.")}
            )


class HouseholdMerge(models.Model):
    """The audit record of a household merged into another: the same family
    registered twice. The merged household's own trail (its deletion among
    it) stays in its history; this says who merged it into which, and what
    moved."""

    WARD_PATH = "ward"

    ward = models.ForeignKey(
        Ward, models.PROTECT, related_name="+", verbose_name=_("ward")
    )
    kept = models.ForeignKey(
        Household,
        models.SET_NULL,
        null=True,
        related_name="merges",
        verbose_name=_("household kept"),
    )
    kept_code = models.CharField(_("code of the household kept"), max_length=30)
    merged_code = models.CharField(_("code of the household merged"), max_length=30)
    merged_pk = models.PositiveBigIntegerField(_("id of the household merged"))
    moved = models.JSONField(
        _("rows moved"),
        default=dict,
        help_text=_("How many rows of each kind moved to the household kept."),
    )
    residents_joined = models.PositiveIntegerField(
        _("residents already in the household kept"),
        default=0,
        help_text=_(
            "Residents registered in both households (same name and birth year): "
            "their records were joined into the kept household's."
        ),
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("merged by"),
    )
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("household merge")
        verbose_name_plural = _("household merges")
        ordering = ["-merged_at", "-pk"]

    def __str__(self):
        return "%s → %s" % (self.merged_code, self.kept_code)
