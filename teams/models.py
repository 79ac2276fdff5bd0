from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from areas.models import Hamlet, Ward
from core.audit import ward_history
from core.phones import phone_normalise
from core.text import search_key, text_normalise


class Team(models.Model):
    """A community digital technology team (Tổ công nghệ số cộng đồng)."""

    class Kind(models.TextChoices):
        HAMLET = "hamlet", _("hamlet or residential-group team")
        YOUTH = "youth", _("youth volunteer team")
        TECHNICAL = "technical", _("technical response team")
        OTHER = "other", _("other")

    WARD_PATH = "ward"
    TEAM_PATH = ""

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
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.HAMLET)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
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

    def clean(self):
        if self.hamlet_id and self.ward_id and self.hamlet.ward_id != self.ward_id:
            raise ValidationError(
                {"hamlet": _("The hamlet must be in the team's ward.")}
            )


class Member(models.Model):
    """A volunteer of the ward; serves in one or more of its teams."""

    class Affiliation(models.TextChoices):
        YOUTH_UNION = "youth_union", _("Youth Union")
        POLICE = "police", _("police")
        WOMENS_UNION = "womens_union", _("Women's Union")
        FATHERLAND_FRONT = "fatherland_front", _("Fatherland Front")
        STUDENT = "student", _("student")
        TEACHER = "teacher", _("teacher")
        HAMLET_STAFF = "hamlet_staff", _("hamlet staff")
        TELECOM = "telecom", _("telecom or business")
        OTHER = "other", _("other")

    WARD_PATH = "ward"

    ward = models.ForeignKey(
        Ward, models.PROTECT, related_name="members", verbose_name=_("ward")
    )
    full_name = models.CharField(_("full name"), max_length=150)
    phone = models.CharField(
        _("phone"),
        max_length=15,
        help_text=_("A Vietnamese number; stored as 0912345678."),
    )
    affiliation = models.CharField(
        _("affiliation"), max_length=20, choices=Affiliation, default=Affiliation.OTHER
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
        verbose_name=_("login account"),
    )
    teams = models.ManyToManyField(
        Team, through="Membership", related_name="members", verbose_name=_("teams")
    )
    search_text = models.TextField(editable=False, default="")

    history = ward_history()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["ward", "full_name"]
        constraints = [
            # The phone identifies a volunteer within the ward: re-imports
            # update the person instead of adding a twin.
            models.UniqueConstraint(
                fields=["ward", "phone"], name="member_phone_unique_in_ward"
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.prepare()
        super().save(*args, **kwargs)

    def prepare(self):
        """Normalise what people type; bulk imports call this instead of save()."""
        self.full_name = text_normalise(self.full_name)
        self.phone = phone_normalise(self.phone)
        self.search_text = search_key(self.full_name, self.phone)

    def clean(self):
        try:
            self.prepare()
        except ValidationError as error:  # only the phone can be refused
            raise ValidationError({"phone": error}) from error
        if not self.phone:
            raise ValidationError({"phone": _("A phone number is required.")})


class Membership(models.Model):
    """A member's place in a team, with its role and dates."""

    class Role(models.TextChoices):
        LEADER = "leader", _("leader")
        DEPUTY = "deputy", _("deputy")
        MEMBER = "member", _("member")

    WARD_PATH = "team__ward"

    member = models.ForeignKey(
        Member, models.CASCADE, related_name="memberships", verbose_name=_("member")
    )
    team = models.ForeignKey(
        Team, models.CASCADE, related_name="memberships", verbose_name=_("team")
    )
    role = models.CharField(
        _("role in the team"), max_length=10, choices=Role, default=Role.MEMBER
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["team", "role", "member"]
        constraints = [
            models.UniqueConstraint(
                fields=["team"],
                condition=Q(role="leader", left_on__isnull=True),
                name="one_current_leader_per_team",
                violation_error_message=_(
                    "This team already has a leader; record the date the "
                    "current leader left first."
                ),
            ),
            models.UniqueConstraint(
                fields=["team", "member"],
                condition=Q(left_on__isnull=True),
                name="one_current_membership_per_member_and_team",
                violation_error_message=_("This person is already in this team."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="membership_left_after_joining",
                violation_error_message=_(
                    "The date of leaving cannot be before the date of joining."
                ),
            ),
        ]

    def __str__(self):
        return "%s — %s" % (self.member, self.team)

    def clean(self):
        if self.member_id and self.team_id and self.member.ward_id != self.team.ward_id:
            raise ValidationError({"team": _("The team must be in the member's ward.")})


class ServicePoint(models.Model):
    """Where members serve citizens: the commune's centre or a mobile point."""

    class Kind(models.TextChoices):
        CENTRE = "centre", _("public administration service centre")
        MOBILE = "mobile", _("mobile digital-literacy point")
        OTHER = "other", _("other")

    WARD_PATH = "ward"

    ward = models.ForeignKey(
        Ward, models.PROTECT, related_name="service_points", verbose_name=_("ward")
    )
    hamlet = models.ForeignKey(
        Hamlet,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="service_points",
        verbose_name=_("hamlet"),
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.MOBILE)
    address = models.CharField(_("address"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service point")
        verbose_name_plural = _("service points")
        ordering = ["ward", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "name"], name="service_point_name_unique_in_ward"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.name = text_normalise(self.name)
        if self.hamlet_id and self.ward_id and self.hamlet.ward_id != self.ward_id:
            raise ValidationError(
                {"hamlet": _("The hamlet must be in the service point's ward.")}
            )


class Shift(models.Model):
    """A half-day of duty at a service point, with the members rostered on it."""

    class Period(models.TextChoices):
        MORNING = "morning", _("morning")
        AFTERNOON = "afternoon", _("afternoon")

    WARD_PATH = "service_point__ward"

    service_point = models.ForeignKey(
        ServicePoint,
        models.CASCADE,
        related_name="shifts",
        verbose_name=_("service point"),
    )
    date = models.DateField(_("date"))
    period = models.CharField(_("period"), max_length=10, choices=Period)
    members = models.ManyToManyField(
        Member, related_name="shifts", blank=True, verbose_name=_("members on duty")
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        ordering = ["-date", "period", "service_point"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_point", "date", "period"],
                name="one_shift_per_point_and_half_day",
                violation_error_message=_(
                    "This service point already has a shift at that time."
                ),
            ),
        ]

    def __str__(self):
        return "%s, %s %s" % (
            self.service_point,
            self.get_period_display(),
            self.date.strftime("%d/%m/%Y"),
        )


class Tombstone(models.Model):
    """A deleted team record (a session, a workshop), kept for a while so that
    incremental pulls learn of it.

    It keeps the record's id (ids are never reused, so a pull pages live rows
    and tombstones as one list) and the ward and team it was scoped by. The
    references are not constraints: a tombstone never holds back deleting a
    team, nor goes with it. ``updated_at`` is named as the record's field:
    the deletion is the row's last change, and one filter set reads live
    rows and tombstones alike.
    """

    WARD_PATH = "ward"
    TEAM_PATH = "team"

    id = models.BigIntegerField(primary_key=True)
    ward = models.ForeignKey(
        Ward,
        models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("ward"),
    )
    team = models.ForeignKey(
        "teams.Team",
        models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("team"),
    )
    updated_at = models.DateTimeField(_("deleted at"), db_index=True)

    class Meta:
        abstract = True
        ordering = ["-id"]


class SupportStaffQuerySet(models.QuerySet):
    def current(self, day):
        """Staff assigned on ``day``: started, and not yet ended."""
        return self.filter(starts_on__lte=day).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day)
        )


class SupportStaff(models.Model):
    """An IT support person the province assigns to a commune for a period.

    Province staff keep these rows; the programme asks for at least two per
    commune (``SUPPORT_STAFF_WANTED``).
    """

    class Organisation(models.TextChoices):
        TELECOM = "telecom", _("telecom company")
        IT_COMPANY = "it_company", _("IT company")
        PROVINCE = "province", _("province department")
        OTHER = "other", _("other")

    WARD_PATH = "ward"

    ward = models.ForeignKey(
        Ward, models.PROTECT, related_name="support_staff", verbose_name=_("ward")
    )
    full_name = models.CharField(_("full name"), max_length=150)
    organisation = models.CharField(
        _("organisation"), max_length=20, choices=Organisation
    )
    organisation_name = models.CharField(
        _("name of the organisation"),
        max_length=150,
        blank=True,
        help_text=_("For example VNPT Hà Nội, Viettel, the Department of Science."),
    )
    phone = models.CharField(
        _("phone"),
        max_length=15,
        help_text=_("A Vietnamese number; stored as 0912345678."),
    )
    starts_on = models.DateField(_("assigned from"))
    ends_on = models.DateField(
        _("assigned until"),
        null=True,
        blank=True,
        help_text=_("Leave empty while the assignment lasts."),
    )
    search_text = models.TextField(editable=False, default="")

    objects = SupportStaffQuerySet.as_manager()
    history = ward_history()

    class Meta:
        verbose_name = _("IT support staff")
        verbose_name_plural = _("IT support staff")
        ordering = ["ward", "full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="support_staff_ends_after_start",
                violation_error_message=_(
                    "The assignment cannot end before it starts."
                ),
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.prepare()
        super().save(*args, **kwargs)

    def prepare(self):
        self.full_name = text_normalise(self.full_name)
        self.organisation_name = text_normalise(self.organisation_name)
        self.phone = phone_normalise(self.phone)
        self.search_text = search_key(
            self.full_name, self.phone, self.organisation_name
        )

    def clean(self):
        try:
            self.prepare()
        except ValidationError as error:  # only the phone can be refused
            raise ValidationError({"phone": error}) from error
        if not self.phone:
            raise ValidationError({"phone": _("A phone number is required.")})


# The programme's ask: at least two IT support staff in every commune.
SUPPORT_STAFF_WANTED = 2
