"""Summary tables: what dashboards and the statistics API read.

Rows are keyed by ward and day (and team, service, member, household, or a
workshop's topic and audience) and
are only ever recomputed from the raw rows of their bucket, never
incremented, so a repeated or lost refresh cannot make them drift. The
registry counts are one row per ward, recomputed on a schedule.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import Hamlet, Province, Ward
from assistance.models import ServiceType
from core.audit import ward_history
from households.models import Household
from teams.models import Member, Team


def derived_key(to, on_delete, **options):
    """A summary row's key: no constraint or index of its own in the database.

    Summary rows are recomputed from raw rows whose keys the database already
    checks; checking them again, and keeping an index per key, would make a
    rebuild write several times what it computes. Deleting the row pointed to
    still cascades (Django does it, reading the rows without an index: deleting
    a member or a household is rare, rebuilding is not). The bucket's unique
    index (ward, day, …) serves the refreshes and every read, an area's wards
    over a span of days; the household-day rows have one more, by household
    (DayHousehold).
    """
    return models.ForeignKey(
        to,
        on_delete,
        related_name="+",
        db_constraint=False,
        db_index=False,
        **options,
    )


SESSION_FIGURES = (
    "sessions",
    "walk_ins",
    "minutes",
    "elderly",
    "disability",
    "poor",
    "priority",
)
SERVICE_FIGURES = ("done", "follow_up", "failed", "open_follow_up")


class SessionCounts(models.Model):
    """Sessions and how many of them helped each priority group."""

    sessions = models.PositiveIntegerField(default=0)
    walk_ins = models.PositiveIntegerField(default=0)
    minutes = models.PositiveIntegerField(default=0)
    elderly = models.PositiveIntegerField(default=0)
    disability = models.PositiveIntegerField(default=0)
    poor = models.PositiveIntegerField(default=0)
    priority = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class ServiceCounts(models.Model):
    """Services given, by type and outcome."""

    service_type = derived_key(ServiceType, models.CASCADE)
    category = models.CharField(max_length=20)
    done = models.PositiveIntegerField(default=0)
    follow_up = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    open_follow_up = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class DayTeamStat(SessionCounts):
    """Sessions of one team on one day."""

    WARD_PATH = "ward"

    ward = derived_key(Ward, models.CASCADE)
    day = models.DateField()
    team = derived_key(Team, models.CASCADE)
    hamlet = derived_key(Hamlet, models.SET_NULL, null=True, blank=True)

    class Meta:
        verbose_name = _("sessions by team and day")
        verbose_name_plural = _("sessions by team and day")
        constraints = [
            # With the figures, the bucket's index answers an area's days by
            # ward without reading the rows (PostgreSQL; SQLite goes without:
            # config.settings). So do the other buckets' below.
            models.UniqueConstraint(
                fields=["ward", "day", "team"],
                include=[*SESSION_FIGURES],
                name="day_team_stat_bucket",
            )
        ]

    def __str__(self):
        return "%s %s %s" % (self.ward_id, self.day, self.team_id)


class DayServiceStat(ServiceCounts):
    """Services given in one ward on one day, by outcome."""

    WARD_PATH = "ward"

    ward = derived_key(Ward, models.CASCADE)
    day = models.DateField()

    class Meta:
        verbose_name = _("services by ward and day")
        verbose_name_plural = _("services by ward and day")
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "day", "service_type"],
                include=["category", *SERVICE_FIGURES],
                name="day_service_stat_bucket",
            )
        ]
        # The follow-ups still open, of any day: few rows of many, read by
        # the old follow-ups' alert (reports.alerts).
        indexes = [
            models.Index(
                fields=["ward", "day"],
                include=["open_follow_up"],
                condition=models.Q(open_follow_up__gt=0),
                name="day_service_stat_open",
            )
        ]

    def __str__(self):
        return "%s %s %s" % (self.ward_id, self.day, self.service_type_id)


class DayMemberStat(models.Model):
    """Sessions each member took part in on one day: workload."""

    WARD_PATH = "ward"

    ward = derived_key(Ward, models.CASCADE)
    day = models.DateField()
    member = derived_key(Member, models.CASCADE)
    team = derived_key(Team, models.CASCADE)
    sessions = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("sessions by member and day")
        verbose_name_plural = _("sessions by member and day")
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "day", "member", "team"],
                include=["sessions"],
                name="day_member_stat_bucket",
            )
        ]

    def __str__(self):
        return "%s %s %s" % (self.ward_id, self.day, self.member_id)


class DayHousehold(models.Model):
    """A household helped on a day, so that households reached count once."""

    WARD_PATH = "ward"

    ward = derived_key(Ward, models.CASCADE)
    day = models.DateField()
    household = derived_key(Household, models.CASCADE)
    hamlet = derived_key(Hamlet, models.SET_NULL, null=True, blank=True)
    # The household's day before this one in the same ward (None: its first).
    # A period's households reached are its rows whose previous day lies
    # before the period: each household counts once, on its first day in it,
    # so the counts add up across days and wards (reports.reached).
    previous = models.DateField(null=True, blank=True)
    # What the register says of the household now, for coverage: it is
    # registered in this row's ward, and (registered here) of a priority
    # group. Set when the row is written and when the household changes
    # (reports.services.register_follow), so coverage needs no look-up of the
    # register and sums up the provinces' and the nation's days ahead.
    registered = models.BooleanField(default=False)
    priority = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("household reached on a day")
        verbose_name_plural = _("households reached on a day")
        constraints = [
            # Holding the previous day and the register's flags too, the
            # bucket's index answers the households reached and the coverage
            # of any wards and days without reading the rows (PostgreSQL;
            # SQLite cannot build it, and goes without: config.settings).
            models.UniqueConstraint(
                fields=["ward", "day", "household"],
                include=["previous", "registered", "priority"],
                name="day_household_bucket",
            )
        ]
        # A refresh sets the previous days of the bucket's households from
        # their own rows (reports.reached); by the ward-first index alone it
        # read the ward's every day.
        indexes = [models.Index(fields=["household"], name="day_household_household")]

    def __str__(self):
        return "%s %s %s" % (self.ward_id, self.day, self.household_id)


class DayWorkshopStat(models.Model):
    """Workshops for residents held in one ward on one day, by topic and audience."""

    WARD_PATH = "ward"

    ward = derived_key(Ward, models.CASCADE)
    day = models.DateField()
    topic = models.CharField(max_length=20)
    audience = models.CharField(max_length=10)
    workshops = models.PositiveIntegerField(default=0)
    attendees = models.PositiveIntegerField(default=0)
    women = models.PositiveIntegerField(default=0)
    elderly = models.PositiveIntegerField(default=0)
    disability = models.PositiveIntegerField(default=0)
    poor = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("workshops by ward and day")
        verbose_name_plural = _("workshops by ward and day")
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "day", "topic", "audience"],
                name="day_workshop_stat_bucket",
            )
        ]

    def __str__(self):
        return "%s %s %s %s" % (self.ward_id, self.day, self.topic, self.audience)


class RollupFigures(SessionCounts):
    """What a province's or the nation's day adds up from its wards' rows.

    Only what adds up across wards: sessions and their groups (the team
    rows), the member-days and their sessions (the member rows, for sessions
    per member per duty day) and the workshops. Households reached do not
    add up (one household helped on two days, or by two wards, is counted
    once): they are read from the household-day rows.
    """

    # Rows of DayMemberStat (a member's day in a team) and their sessions.
    member_days = models.PositiveIntegerField(default=0)
    member_sessions = models.PositiveIntegerField(default=0)
    workshops = models.PositiveIntegerField(default=0)
    attendees = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class ProvinceDayStat(RollupFigures):
    """A province's day, the sum of its wards' rows (reports.services).

    Recomputed from the ward rows of the day whenever one of its wards'
    buckets is, never incremented.
    """

    province = derived_key(Province, models.CASCADE)
    day = models.DateField()

    class Meta:
        verbose_name = _("figures by province and day")
        verbose_name_plural = _("figures by province and day")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "day"], name="province_day_stat_bucket"
            )
        ]
        # The nation's day is re-summed from its provinces' rows of the day.
        indexes = [models.Index(fields=["day"], name="province_day_stat_day")]

    def __str__(self):
        return "%s %s" % (self.province_id, self.day)


class ProvinceDayServiceStat(ServiceCounts):
    """A province's services of a day by type, the sum of its wards' rows."""

    province = derived_key(Province, models.CASCADE)
    day = models.DateField()

    class Meta:
        verbose_name = _("services by province and day")
        verbose_name_plural = _("services by province and day")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "day", "service_type"],
                name="province_day_service_stat_bucket",
            )
        ]
        indexes = [models.Index(fields=["day"], name="province_day_service_stat_day")]

    def __str__(self):
        return "%s %s %s" % (self.province_id, self.day, self.service_type_id)


class NationDayStat(RollupFigures):
    """The nation's day, the sum of the provinces' rows of that day."""

    day = models.DateField(unique=True)

    class Meta:
        verbose_name = _("national figures by day")
        verbose_name_plural = _("national figures by day")

    def __str__(self):
        return str(self.day)


class NationDayServiceStat(ServiceCounts):
    """The nation's services of a day by type, the sum of the provinces'."""

    day = models.DateField()

    class Meta:
        verbose_name = _("national services by day")
        verbose_name_plural = _("national services by day")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "service_type"], name="nation_day_service_stat_bucket"
            )
        ]

    def __str__(self):
        return "%s %s" % (self.day, self.service_type_id)


class ReachCounts(models.Model):
    """Households reached on a day, by the day each was reached before.

    The rows of a day sum the household-day rows of that day by their
    ``previous`` day: a period's households reached are the sum of its days'
    rows whose previous day lies before the period (reports.reached).
    """

    day = models.DateField()
    previous = models.DateField(null=True, blank=True)
    households = models.PositiveIntegerField(default=0)
    # Of those, the households registered now in the ward that helped them,
    # and those of a priority group: coverage's households reached.
    registered = models.PositiveIntegerField(default=0)
    priority = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class ProvinceDayReach(ReachCounts):
    """A province's households reached on a day, the sum of its wards' rows."""

    province = derived_key(Province, models.CASCADE)

    class Meta:
        verbose_name = _("households reached by province and day")
        verbose_name_plural = _("households reached by province and day")
        indexes = [
            models.Index(fields=["province", "day"], name="province_day_reach_bucket"),
            # The nation's day is re-summed from its provinces' rows of the day.
            models.Index(fields=["day"], name="province_day_reach_day"),
        ]

    def __str__(self):
        return "%s %s %s" % (self.province_id, self.day, self.previous)


class NationDayReach(ReachCounts):
    """The nation's households reached on a day, the sum of the provinces'."""

    class Meta:
        verbose_name = _("national households reached by day")
        verbose_name_plural = _("national households reached by day")
        indexes = [models.Index(fields=["day"], name="nation_day_reach_day")]

    def __str__(self):
        return "%s %s" % (self.day, self.previous)


class WardRegistryStat(models.Model):
    """The registry of one ward in figures, recomputed on a schedule."""

    WARD_PATH = "ward"

    ward = models.OneToOneField(
        Ward, models.CASCADE, primary_key=True, related_name="+"
    )
    households = models.PositiveIntegerField(default=0)
    households_with_focal = models.PositiveIntegerField(default=0)
    priority_households = models.PositiveIntegerField(default=0)
    residents = models.PositiveIntegerField(default=0)
    residents_level2 = models.PositiveIntegerField(default=0)
    hamlets = models.PositiveIntegerField(default=0)
    hamlets_covered = models.PositiveIntegerField(default=0)
    teams = models.PositiveIntegerField(default=0)
    members = models.PositiveIntegerField(default=0)
    # Training of the calendar year the figures were refreshed in.
    members_trained_this_year = models.PositiveIntegerField(default=0)
    courses_completed_this_year = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("registry figures of a ward")
        verbose_name_plural = _("registry figures of a ward")

    def __str__(self):
        return str(self.ward_id)


class TeamRegistryStat(models.Model):
    """Members of each active team, for the ward's table by team."""

    WARD_PATH = "ward"

    team = models.OneToOneField(
        Team, models.CASCADE, primary_key=True, related_name="+"
    )
    ward = models.ForeignKey(Ward, models.CASCADE, related_name="+")
    hamlet = models.ForeignKey(
        Hamlet, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    members = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("registry figures of a team")
        verbose_name_plural = _("registry figures of a team")

    def __str__(self):
        return str(self.team_id)


class HamletRegistryStat(models.Model):
    """The registry of one hamlet in figures: what coverage is counted against.

    Written with the ward's row (reports.services.registry_recompute), whose
    ``refreshed_at`` moves when a hamlet's figures do.
    """

    WARD_PATH = "ward"

    hamlet = models.OneToOneField(
        Hamlet, models.CASCADE, primary_key=True, related_name="+"
    )
    ward = models.ForeignKey(Ward, models.CASCADE, related_name="+")
    households = models.PositiveIntegerField(default=0)
    priority_households = models.PositiveIntegerField(default=0)
    focal_households = models.PositiveIntegerField(default=0)
    residents = models.PositiveIntegerField(default=0)
    residents_level2 = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("registry figures of a hamlet")

    def __str__(self):
        return str(self.hamlet_id)


class WardStamp(models.Model):
    """When a ward's figures last changed: the statistics API's ETag.

    A refresh moves a stamp only when it changed the ward's summary rows
    (reports.services), so an unchanged ward keeps its ETag and its as_of.
    """

    WARD_PATH = "ward"

    ward = models.OneToOneField(
        Ward, models.CASCADE, primary_key=True, related_name="+"
    )
    changed_at = models.DateTimeField()
    # The workshops' rows alone: the training answer does not move with sessions.
    workshops_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("figures last changed")
        verbose_name_plural = _("figures last changed")

    def __str__(self):
        return "%s %s" % (self.ward_id, self.changed_at)


class PendingRefresh(models.Model):
    """A bucket whose figures are still to be recomputed.

    Written in the transaction that changes the bucket's raw rows, so it is
    stored exactly when they are; removed in the refresh's own transaction,
    so a refresh that dies half-way (a killed worker, a lost connection)
    leaves it in place. The queue only says "soon": this row says "still
    owed", and the sweep (every minute) recomputes what stayed owed too long,
    whatever happened to the queue or the broker.
    """

    ward = derived_key(Ward, models.CASCADE, verbose_name=_("ward"))
    day = models.DateField(_("day"))
    since = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("pending refresh")
        verbose_name_plural = _("pending refreshes")
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "day"], name="one_pending_per_bucket"
            )
        ]

    def __str__(self):
        return "%s %s" % (self.ward_id, self.day)


class ScheduledRun(models.Model):
    """When each scheduled recompute last finished, for the monitoring.

    A reconcile that stops running (no beat, no worker) leaves the figures
    as they were; this is what shows it (config.metrics).
    """

    class Job(models.TextChoices):
        STATISTICS = "statistics", _("statistics reconcile")
        REGISTRY = "registry", _("registry statistics")
        SWEEP = "sweep", _("owed refreshes sweep")

    job = models.CharField(_("job"), max_length=20, choices=Job, primary_key=True)
    finished_at = models.DateTimeField(_("finished"))

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")

    def __str__(self):
        return "%s %s" % (self.job, self.finished_at)


class AlertDigestSent(models.Model):
    """The week's alert digest sent to an official: beat firing twice in a
    week, or a retried task, finds it and sends nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    week = models.DateField(help_text="The Monday of the week.")
    alerts = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("alert digest sent")
        verbose_name_plural = _("alert digests sent")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "week"], name="one_alert_digest_per_week"
            )
        ]

    def __str__(self):
        return "%s %s" % (self.user_id, self.week)


class MonthlyReport(models.Model):
    """A ward's report of one month: drafted, submitted, approved or returned.

    Approving it freezes its figures in ``snapshot`` and locks the month's
    records (``areas.MonthLock``); a reopen, with its reason, unlocks them and
    needs a new approval. Every change is kept in ``history``, with who made
    it and why.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned")
        APPROVED = "approved", _("approved")

    WARD_PATH = "ward"

    ward = models.ForeignKey(
        Ward, models.PROTECT, related_name="+", verbose_name=_("ward")
    )
    month = models.DateField(_("month"))  # its first day
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT
    )
    difficulties = models.TextField(_("difficulties and proposals"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    snapshot = models.JSONField(_("approved figures"), null=True, blank=True)
    # Raised by each change: an edit made on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    history = ward_history()

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-month", "ward"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "month"], name="monthly_report_unique_in_ward"
            ),
        ]

    def __str__(self):
        return "%s %s" % (self.ward, self.month.strftime("%m/%Y"))
