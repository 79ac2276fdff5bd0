from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from areas.models import Province, Ward
from core.audit import AuditedHistory, WardHistory
from households.models import Household, Resident
from teams.models import Member, ServicePoint, Team, Tombstone


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

    # The service whose success raises a resident's e-ID to level 2.
    LEVEL2_ACTIVATION = "vneid_level2"

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


class Indicator(models.TextChoices):
    """What a campaign can set a target for; counted in its area and dates."""

    SESSIONS = "sessions", _("assistance sessions")
    HOUSEHOLDS_REACHED = "households_reached", _("households reached")
    LEVEL2_ACTIVATIONS = "level2_activations", _("level-2 e-ID activations")
    ONLINE_FILINGS = "online_filings", _("online filings")
    CASHLESS_SETUPS = "cashless_setups", _("cashless payment set-ups")
    PRIORITY_REACHED = "priority_reached", _("sessions with priority groups")
    PRIORITY_HOUSEHOLDS_REACHED = (
        "priority_households_reached",
        _("priority households reached"),
    )


class SessionQuerySet(models.QuerySet):
    def in_period(self, start: date, end: date):
        """Sessions whose local date falls between ``start`` and ``end``."""
        return self.filter(started_on__gte=start, started_on__lte=end)


class AssistanceSession(models.Model):
    """One time a team helped a household, a resident or a walk-in citizen.

    The phone makes up ``client_uuid`` before it sends anything, so a resend
    after a lost answer, or an offline replay, finds the stored session
    instead of adding a twin.
    """

    class Place(models.TextChoices):
        HOME = "home", _("home visit")
        CENTRE = "centre", _("service centre")
        MOBILE = "mobile", _("mobile point")
        PHONE = "phone", _("by phone")

    class Source(models.TextChoices):
        FIELD = "field", _("field page")
        ADMIN = "admin", _("admin")
        API = "api", _("API")

    class AgeGroup(models.TextChoices):
        YOUTH = "under_18", _("under 18")
        ADULT = "18_59", _("18 to 59")
        ELDER = "60_plus", _("60 and over")

    WARD_PATH = "ward"
    TEAM_PATH = "team"

    client_uuid = models.UUIDField(_("client UUID"), unique=True, editable=False)
    # The team's ward, copied so that scoping and aggregation need no join.
    # The (ward, day) and (team, time) indexes below lead with these keys and
    # serve their lookups: one index less to update on every new session.
    ward = models.ForeignKey(
        Ward,
        models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,
        verbose_name=_("ward"),
    )
    team = models.ForeignKey(
        Team,
        models.PROTECT,
        related_name="sessions",
        db_index=False,
        verbose_name=_("team"),
    )
    members = models.ManyToManyField(
        Member, related_name="sessions", verbose_name=_("members")
    )
    started_at = models.DateTimeField(_("when"))
    # The local (Vietnam) day of started_at: the unit of every count.
    started_on = models.DateField(_("day"), editable=False, db_index=True)
    place = models.CharField(_("where"), max_length=10, choices=Place)
    service_point = models.ForeignKey(
        ServicePoint,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("service point"),
    )
    household = models.ForeignKey(
        Household,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("household"),
    )
    resident = models.ForeignKey(
        Resident,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("resident"),
    )
    # A walk-in is described, never identified.
    walk_in_gender = models.CharField(
        _("gender"), max_length=10, choices=Resident.Gender, blank=True
    )
    walk_in_age_group = models.CharField(
        _("age group"), max_length=10, choices=AgeGroup, blank=True
    )
    walk_in_elderly_alone = models.BooleanField(
        _("elderly living alone"), default=False
    )
    walk_in_disability = models.BooleanField(_("person with disability"), default=False)
    walk_in_poor = models.BooleanField(_("poor or near-poor household"), default=False)
    walk_in_ethnic_minority = models.BooleanField(_("ethnic minority"), default=False)
    walk_in_no_smartphone = models.BooleanField(_("uses a basic phone"), default=False)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    notes = models.TextField(_("notes"), blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    # A digest of the content first submitted: a resend with the same UUID
    # and the same content is a replay, with other content a conflict.
    content_digest = models.CharField(max_length=64, editable=False)

    objects = SessionQuerySet.as_manager()
    # The trail is read one session at a time (by id) in a ward: the indexes
    # copied from the session's own fields would only slow every new session.
    history = AuditedHistory(
        bases=[WardHistory],
        excluded_fields=["content_digest"],
        cascade_delete_history=False,
        no_db_index=[
            "client_uuid",
            "team",
            "started_on",
            "service_point",
            "household",
            "resident",
            "recorded_by",
        ],
    )

    class Meta:
        verbose_name = _("assistance session")
        verbose_name_plural = _("assistance sessions")
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["ward", "started_on"]),
            models.Index(fields=["team", "started_at"]),
        ]

    def __str__(self):
        local = timezone.localtime(self.started_at)
        return "%s, %s" % (self.get_place_display(), local.strftime("%d/%m/%Y %H:%M"))

    @property
    def is_walk_in(self) -> bool:
        return self.household_id is None and self.resident_id is None

    def derive(
        self, *, team_ward_id: str | None = None, resident_household_id=None
    ) -> None:
        """Fill the fields copied from others before a save.

        A person helped is their household reached (counts and filters go by
        household); the team's ward is copied so that scoping and aggregation
        need no join; the local day is the unit of every count. A caller that
        already knows the team's ward or the resident's household passes it
        and saves reading the row.
        """
        if self.resident_id and self.household_id is None:
            self.household_id = resident_household_id or self.resident.household_id
        self.ward_id = team_ward_id or self.team.ward_id
        self.started_on = timezone.localdate(self.started_at)


class SessionService(models.Model):
    """A service given in a session, and how it ended."""

    class Outcome(models.TextChoices):
        DONE = "done", _("done")
        FOLLOW_UP = "follow_up", _("started, needs follow-up")
        FAILED = "failed", _("could not be done")

    WARD_PATH = "session__ward"
    TEAM_PATH = "session__team"

    session = models.ForeignKey(
        AssistanceSession,
        models.CASCADE,
        related_name="services",
        db_index=False,  # the unique (session, service) index leads with it
        verbose_name=_("session"),
    )
    service_type = models.ForeignKey(
        ServiceType,
        models.PROTECT,
        related_name="session_services",
        verbose_name=_("service"),
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome)
    reason = models.CharField(
        _("reason"),
        max_length=255,
        blank=True,
        help_text=_("Why it could not be done."),
    )
    dossier_ref = models.CharField(
        _("dossier reference"),
        max_length=50,
        blank=True,
        help_text=_("The reference the portal gave the filing."),
    )
    # Set when a later session finishes the same service for the same people,
    # or a member closes the follow-up by hand.
    closed_at = models.DateTimeField(_("follow-up closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("service given")
        verbose_name_plural = _("services given")
        ordering = ["session", "service_type__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "service_type"],
                name="one_line_per_service_in_session",
                violation_error_message=_("This service is already in the session."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["outcome", "closed_at"], name="session_service_open_follow_up"
            ),
        ]

    def __str__(self):
        return "%s: %s" % (self.service_type, self.get_outcome_display())


class Campaign(models.Model):
    """A named drive over a province or one ward, with targets to reach."""

    PROVINCE_PATH = "province"
    WARD_PATH = "ward"
    WARD_OPTIONAL = True  # no ward: a drive over the whole province

    name = models.CharField(_("name"), max_length=150)
    province = models.ForeignKey(
        Province, models.PROTECT, related_name="+", verbose_name=_("province")
    )
    ward = models.ForeignKey(
        Ward,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ward"),
        help_text=_("Leave empty for a drive over the whole province."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="campaign_ends_after_start",
                violation_error_message=_("The campaign cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        ward, province = self.ward_id, self.province_id
        if ward and province and self.ward.province_id != province:
            raise ValidationError({"ward": _("The ward must be in the province.")})


class CampaignTarget(models.Model):
    """How much of one indicator a campaign means to reach."""

    PROVINCE_PATH = "campaign__province"

    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="targets", verbose_name=_("campaign")
    )
    indicator = models.CharField(_("indicator"), max_length=30, choices=Indicator)
    target = models.PositiveIntegerField(_("target"))

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["campaign", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "indicator"],
                name="one_target_per_indicator",
                violation_error_message=_(
                    "This campaign already has a target for this indicator."
                ),
            ),
        ]

    def __str__(self):
        return "%s: %s" % (self.get_indicator_display(), self.target)


class HouseholdAssignment(models.Model):
    """A household a team leader hands to a member to visit in one week."""

    WARD_PATH = "ward"
    TEAM_PATH = "team"

    # The team's ward, copied as on sessions: scoping and the trail need no join.
    ward = models.ForeignKey(
        Ward, models.PROTECT, related_name="+", editable=False, verbose_name=_("ward")
    )
    team = models.ForeignKey(
        Team, models.CASCADE, related_name="assignments", verbose_name=_("team")
    )
    household = models.ForeignKey(
        Household,
        models.CASCADE,
        related_name="assignments",
        verbose_name=_("household"),
    )
    member = models.ForeignKey(
        Member, models.CASCADE, related_name="assignments", verbose_name=_("member")
    )
    week_start = models.DateField(_("week starting"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )

    history = AuditedHistory(bases=[WardHistory], cascade_delete_history=False)

    class Meta:
        verbose_name = _("visit assignment")
        verbose_name_plural = _("visit assignments")
        ordering = ["-week_start", "household"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "week_start"],
                name="one_assignment_per_household_and_week",
                violation_error_message=_(
                    "This household is already assigned for that week."
                ),
            ),
        ]

    def __str__(self):
        return "%s → %s" % (self.household, self.member)


class SessionTombstone(Tombstone):
    """A deleted session, as incremental pulls show it (see ``Tombstone``)."""

    client_uuid = models.UUIDField(_("client UUID"))
    household = models.ForeignKey(
        Household,
        models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("household"),
    )
    started_on = models.DateField(_("day"))

    class Meta(Tombstone.Meta):
        verbose_name = _("deleted session")
        verbose_name_plural = _("deleted sessions")

    def __str__(self):
        return str(self.client_uuid)
