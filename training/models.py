from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scope import Level, Scope
from areas.locks import month_lock_check, month_locks_check
from areas.models import Province, Ward
from assistance.models import ServiceType
from core.audit import AuditedHistory
from core.text import text_normalise
from teams.models import Member, Team, Tombstone


def is_run_by(scope: Scope, row) -> bool:
    """Whether ``scope`` runs a course or event: its province's or its ward's staff.

    Province staff keep what is offered over the whole province, a ward's
    officials what their ward offers; each reads the other's.
    """
    if scope.level == Level.NATIONAL:
        return True
    if scope.level == Level.PROVINCE:
        return row.ward_id is None and row.province_id == scope.province
    if scope.level == Level.WARD:
        return row.ward_id is not None and row.ward_id == scope.ward
    return False


def records_attendance(scope: Scope, event) -> bool:
    """Whether ``scope`` records who attended ``event`` (the scope limits whom).

    Ward officials record their own members at the province's events too:
    a provincial conference's list is kept ward by ward.
    """
    if is_run_by(scope, event):
        return True
    return (
        scope.level == Level.WARD
        and event.ward_id is None
        and event.province_id == scope.province
    )


class Course(models.Model):
    """A course members are trained on, offered by a province or one ward."""

    class Provider(models.TextChoices):
        ONETOUCH = "onetouch", _("OneTouch (ministry e-learning)")
        PROVINCE = "province", _("province")
        WARD = "ward", _("commune / ward")
        OTHER = "other", _("other")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        ONLINE = "online", _("online")
        COACHING = "coaching", _("coaching")

    # A ward's course has a province too; without a ward it is the whole
    # province's (accounts.scope: WARD_OPTIONAL).
    PROVINCE_PATH = "province"
    WARD_PATH = "ward"
    WARD_OPTIONAL = True

    title = models.CharField(_("title"), max_length=200)
    provider = models.CharField(_("provider"), max_length=20, choices=Provider)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode)
    topics = models.CharField(
        _("topics"),
        max_length=255,
        blank=True,
        help_text=_("For example: VNeID, online public services, online safety."),
    )
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
        help_text=_("Leave empty for a course offered over the whole province."),
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["province", "title"]

    def __str__(self):
        return self.title

    def clean(self):
        self.title = text_normalise(self.title)
        if (
            self.ward_id
            and self.province_id
            and self.ward.province_id != self.province_id
        ):
            raise ValidationError({"ward": _("The ward must be in the province.")})


class TrainingEvent(models.Model):
    """A course run on given days, in a place or online, for a province or a ward."""

    PROVINCE_PATH = "province"  # as for Course
    WARD_PATH = "ward"
    WARD_OPTIONAL = True

    course = models.ForeignKey(
        Course, models.PROTECT, related_name="events", verbose_name=_("course")
    )
    code = models.CharField(
        _("class code"),
        max_length=30,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9][A-Za-z0-9._/-]*$",
                _(
                    "Use letters without accents, digits, dots, hyphens, "
                    "underscores or slashes."
                ),
            )
        ],
        help_text=_(
            "Short and unique in the province, e.g. ONETOUCH-2026-01; "
            "attendance lists name the class by it."
        ),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(
        _("ends on"), null=True, blank=True, help_text=_("Leave empty for one day.")
    )
    place = models.CharField(_("place"), max_length=255, blank=True)
    is_online = models.BooleanField(_("online"), default=False)
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
        help_text=_("Leave empty for an event for the whole province."),
    )

    class Meta:
        verbose_name = _("training event")
        verbose_name_plural = _("training events")
        ordering = ["-starts_on", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "code"],
                name="training_event_code_unique_in_province",
                violation_error_message=_(
                    "Another training event of the province has this code."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="training_event_ends_after_start",
                violation_error_message=_("The event cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(is_online=True) | ~Q(place=""),
                name="training_event_has_a_place",
                violation_error_message=_(
                    "Give the place of the event, or tick “online”."
                ),
            ),
        ]

    def __str__(self):
        return "%s — %s" % (self.code, self.course)

    def save(self, *args, **kwargs):
        self.prepare()
        super().save(*args, **kwargs)

    def prepare(self):
        self.code = text_normalise(self.code).upper()
        self.place = text_normalise(self.place)

    def clean(self):
        self.prepare()
        errors = {}
        if (
            self.ward_id
            and self.province_id
            and self.ward.province_id != self.province_id
        ):
            errors["ward"] = _("The ward must be in the province.")
        if self.course_id and self.province_id:
            course = self.course
            if course.province_id != self.province_id:
                errors["course"] = _("The course is offered in another province.")
            elif course.ward_id and course.ward_id != self.ward_id:
                errors["ward"] = _(
                    "A ward's course runs for that ward: choose %(ward)s."
                ) % {"ward": course.ward}
        if errors:
            raise ValidationError(errors)
        self.lock_check()

    def record_wards(self, ward_id=None) -> set:
        """The wards whose training records the event is: its own (or
        ``ward_id``) and those of the members on its list, as stored."""
        ward_id = self.ward_id if ward_id is None else ward_id
        wards = {ward_id} if ward_id else set()
        if self.pk:
            wards.update(
                Attendance.objects.filter(event_id=self.pk)
                .values_list("member__ward_id", flat=True)
                .distinct()
            )
        return wards

    def lock_check(self) -> None:
        """Refuse an event added to, or moved into or out of, a ward's
        approved month (its date or its ward changed)."""
        stored = self.pk and (
            TrainingEvent.objects.filter(pk=self.pk)
            .values_list("starts_on", "ward_id")
            .first()
        )
        if stored == (self.starts_on, self.ward_id):
            return
        members = self.record_wards(ward_id="")
        records = [(ward, self.starts_on) for ward in members | {self.ward_id}]
        if stored:
            day, ward_id = stored
            records += [(ward, day) for ward in members | {ward_id}]
        month_locks_check(records)

    def delete_check(self) -> None:
        """Refuse deleting an event, and its list with it, in an approved month."""
        month_locks_check((ward, self.starts_on) for ward in self.record_wards())


class AttendanceQuerySet(models.QuerySet):
    def certified(self):
        return self.filter(certificate_date__isnull=False)


class MemberWardHistory(models.Model):
    """Historical attendance rows reach their ward through the member."""

    WARD_PATH = "member__ward"

    class Meta:
        abstract = True


class Attendance(models.Model):
    """A member on a training event's list: registered, attended or completed."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        ATTENDED = "attended", _("attended")
        COMPLETED = "completed", _("completed")

    WARD_PATH = "member__ward"

    event = models.ForeignKey(
        TrainingEvent,
        models.CASCADE,
        related_name="attendances",
        verbose_name=_("training event"),
    )
    member = models.ForeignKey(
        Member,
        models.CASCADE,
        related_name="attendances",
        verbose_name=_("member"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.REGISTERED
    )
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("From 0 to 100, when the course gives one."),
    )
    certificate_date = models.DateField(
        _("certificate date"),
        null=True,
        blank=True,
        help_text=_("Only for members who completed the course."),
    )

    objects = AttendanceQuerySet.as_manager()
    # Members' training records are personal data: changes are audited.
    history = AuditedHistory(bases=[MemberWardHistory], cascade_delete_history=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["event", "member"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "member"],
                name="one_attendance_per_member_and_event",
                violation_error_message=_(
                    "This member is already on the event's list."
                ),
            ),
            models.CheckConstraint(
                condition=Q(certificate_date__isnull=True) | Q(status="completed"),
                name="attendance_certificate_only_when_completed",
                violation_error_message=_(
                    "A certificate is only given to members who completed the course."
                ),
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="attendance_score_from_0_to_100",
                violation_error_message=_("The score must be from 0 to 100."),
            ),
        ]

    def __str__(self):
        return "%s — %s" % (self.member, self.event.code)

    def clean(self):
        errors = {}
        if self.certificate_date and self.status != self.Status.COMPLETED:
            errors["certificate_date"] = _(
                "A certificate is only given to members who completed the course."
            )
        # On an event's add page the event is not saved yet: read the object.
        event = getattr(self, "event", None)
        member = getattr(self, "member", None)
        if (
            event is not None
            and event.starts_on
            and self.certificate_date
            and self.certificate_date < event.starts_on
        ):
            errors["certificate_date"] = _(
                "The certificate cannot be dated before the event starts."
            )
        if event is not None and event.province_id and member is not None:
            if event.ward_id is not None and member.ward_id != event.ward_id:
                errors["member"] = _(
                    "%(member)s is not a member of %(ward)s, which the event is for."
                ) % {"member": member.full_name, "ward": event.ward}
            elif member.ward.province_id != event.province_id:
                errors["member"] = _(
                    "%(member)s is not a member of a ward of %(province)s."
                ) % {"member": member.full_name, "province": event.province}
        if errors:
            raise ValidationError(errors)
        if event is not None and member is not None:
            self.lock_check()

    def lock_check(self) -> None:
        """Refuse a place on a list of a member's ward's approved month."""
        month_lock_check(ward_id=self.member.ward_id, day=self.event.starts_on)


class Workshop(models.Model):
    """A group session a team runs for residents; counted, nobody named."""

    class Audience(models.TextChoices):
        STUDENTS = "students", _("students")
        ELDERLY = "elderly", _("elderly people")
        TRADERS = "traders", _("traders and small shops")
        GENERAL = "general", _("general public")

    WARD_PATH = "ward"
    TEAM_PATH = "team"

    # Phones make this up before sending, so an offline resend is stored once.
    client_uuid = models.UUIDField(
        _("client UUID"), unique=True, null=True, blank=True, editable=False
    )
    team = models.ForeignKey(
        Team, models.PROTECT, related_name="workshops", verbose_name=_("team")
    )
    # The team's ward, copied so that scoping and aggregation need no join.
    ward = models.ForeignKey(
        Ward, models.PROTECT, related_name="+", editable=False, verbose_name=_("ward")
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=255)
    topic = models.CharField(_("topic"), max_length=20, choices=ServiceType.Category)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience)
    attendees = models.PositiveIntegerField(
        _("attendees"), validators=[MinValueValidator(1)]
    )
    women = models.PositiveIntegerField(_("of whom women"), default=0)
    elderly = models.PositiveIntegerField(_("of whom elderly (60+)"), default=0)
    disability = models.PositiveIntegerField(
        _("of whom people with disability"), default=0
    )
    poor = models.PositiveIntegerField(
        _("of whom from poor or near-poor households"), default=0
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    # What the phone first sent: a resend of it stays a replay after an
    # official corrects the workshop in the admin.
    content_digest = models.CharField(
        max_length=64, blank=True, default="", editable=False
    )

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["ward", "held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(attendees__gte=1),
                name="workshop_has_attendees",
                violation_error_message=_("A workshop needs at least one attendee."),
            ),
            models.CheckConstraint(
                condition=Q(women__lte=F("attendees")),
                name="workshop_women_within_attendees",
                violation_error_message=_("There cannot be more women than attendees."),
            ),
            models.CheckConstraint(
                condition=Q(elderly__lte=F("attendees")),
                name="workshop_elderly_within_attendees",
                violation_error_message=_(
                    "There cannot be more elderly people than attendees."
                ),
            ),
            models.CheckConstraint(
                condition=Q(disability__lte=F("attendees")),
                name="workshop_disability_within_attendees",
                violation_error_message=_(
                    "There cannot be more people with disability than attendees."
                ),
            ),
            models.CheckConstraint(
                condition=Q(poor__lte=F("attendees")),
                name="workshop_poor_within_attendees",
                violation_error_message=_(
                    "There cannot be more people from poor households than attendees."
                ),
            ),
        ]

    def __str__(self):
        return "%s, %s" % (self.get_topic_display(), self.held_on.strftime("%d/%m/%Y"))

    def save(self, *args, **kwargs):
        self.prepare()
        super().save(*args, **kwargs)

    @property
    def men(self) -> int:
        return self.attendees - self.women

    def prepare(self):
        self.ward_id = self.team.ward_id
        self.place = text_normalise(self.place)

    def clean(self):
        if self.held_on and self.held_on > timezone.localdate():
            raise ValidationError(
                {"held_on": _("Log a workshop once it is held: the date is ahead.")}
            )
        if self.team_id:
            month_lock_check(ward_id=self.team.ward_id, day=self.held_on)


class WorkshopTombstone(Tombstone):
    """A deleted workshop, as incremental pulls show it (see ``Tombstone``)."""

    client_uuid = models.UUIDField(_("client UUID"), null=True)
    held_on = models.DateField(_("date"))

    class Meta(Tombstone.Meta):
        verbose_name = _("deleted workshop")
        verbose_name_plural = _("deleted workshops")

    def __str__(self):
        return str(self.client_uuid or self.pk)
