import ipaddress

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL = "national", _("national administrator")
    PROVINCE = "province", _("province staff")
    WARD = "ward", _("ward official")
    TEAM_LEADER = "team_leader", _("team leader")
    TEAM_MEMBER = "team_member", _("team member")


ADMIN_ROLES = (Role.NATIONAL, Role.PROVINCE, Role.WARD)
TEAM_ROLES = (Role.TEAM_LEADER, Role.TEAM_MEMBER)


class PlatformUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.NATIONAL)
        return super().create_superuser(username, email, password, **extra_fields)


class AreaAssignment(models.Model):
    """The area a user or an API key is tied to, kept consistent with its level.

    The wider areas are stored, not looked up, so that scoping any row is one
    indexed comparison; :meth:`sync_area` fills them from the narrowest one
    and clears what the level does not use.
    """

    PROVINCE_PATH = "province"
    WARD_PATH = "ward"

    province = models.ForeignKey(
        "areas.Province",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    ward = models.ForeignKey(
        "areas.Ward",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune / ward"),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.sync_area()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.sync_area()
        required = self.area_required()
        if required is not None and getattr(self, "%s_id" % required[0]) is None:
            field, message = required
            raise ValidationError({field: message})

    def area_level(self) -> str:
        """``"national"``, ``"province"``, ``"ward"`` or ``"team"``."""
        raise NotImplementedError

    def area_required(self) -> tuple[str, str] | None:
        """The area field the level needs, and the message when it is empty."""
        raise NotImplementedError

    def sync_area(self):
        level = self.area_level()
        if level in ("ward", "team") and self.ward_id:
            self.province_id = self.ward.province_id
        if level not in ("ward", "team"):
            self.ward = None
        if level == "national":
            self.province = None


class User(AreaAssignment, AbstractUser):
    """A person who signs in; the role and area decide what they may see."""

    # No default: an account without a role is refused by the database.
    role = models.CharField(_("role"), max_length=20, choices=Role)
    team = models.ForeignKey(
        "teams.Team",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("team"),
    )
    # Sessions signed in before this moment are ended at their next request
    # (accounts.sessions): "end sessions" works whatever the session store.
    sessions_ended_at = models.DateTimeField(
        _("sessions ended at"), null=True, blank=True, editable=False
    )

    objects = PlatformUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        role=Role.NATIONAL,
                        province__isnull=True,
                        ward__isnull=True,
                        team__isnull=True,
                    )
                    | Q(
                        role=Role.PROVINCE,
                        province__isnull=False,
                        ward__isnull=True,
                        team__isnull=True,
                    )
                    | Q(
                        role=Role.WARD,
                        province__isnull=False,
                        ward__isnull=False,
                        team__isnull=True,
                    )
                    | Q(
                        role__in=TEAM_ROLES,
                        province__isnull=False,
                        ward__isnull=False,
                        team__isnull=False,
                    )
                ),
                name="user_role_matches_area",
                violation_error_message=_(
                    "The role and the area do not match: province staff need a "
                    "province, ward officials a ward, team leaders and members a "
                    "team."
                ),
            ),
        ]

    def __str__(self):
        return self.username

    def save(self, *args, **kwargs):
        self.is_staff = self.role in ADMIN_ROLES
        # The national administrator runs the whole platform, libraries' admin
        # pages included; every other role gets its rights from its scope.
        self.is_superuser = self.role == Role.NATIONAL
        super().save(*args, **kwargs)

    def area_level(self) -> str:
        return "team" if self.role in TEAM_ROLES else self.role

    def area_required(self):
        return {
            Role.PROVINCE: (
                "province",
                _("Province staff must be tied to a province."),
            ),
            Role.WARD: ("ward", _("A ward official must be tied to a ward.")),
            Role.TEAM_LEADER: ("team", _("A team leader must be tied to a team.")),
            Role.TEAM_MEMBER: ("team", _("A team member must be tied to a team.")),
        }.get(self.role)

    def sync_area(self):
        # A team member's ward is the team's; anyone else has no team.
        if self.role in TEAM_ROLES and self.team_id:
            self.ward_id = self.team.ward_id
        if self.role not in TEAM_ROLES:
            self.team = None
        super().sync_area()

    def get_full_name(self):
        # Vietnamese order: family name (họ) first, then given name (tên).
        return " ".join(part for part in (self.last_name, self.first_name) if part)

    def get_short_name(self):
        return self.first_name


def networks_validate(entries) -> None:
    """Refuse anything but a list of IP addresses and networks, naming each."""
    if not isinstance(entries, list):
        raise ValidationError(_("Give a list of addresses."))
    bad = [entry for entry in entries if network_or_none(entry) is None]
    if bad:
        raise ValidationError(
            [
                ValidationError(
                    _(
                        "“%(entry)s” is not an IP address or a network "
                        "(e.g. 203.0.113.7 or 203.0.113.0/24)."
                    ),
                    params={"entry": entry},
                )
                for entry in bad
            ]
        )


def network_or_none(entry) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """The network an entry names; a bare address is a network of one."""
    if not isinstance(entry, str):
        return None
    try:
        return ipaddress.ip_network(entry.strip(), strict=False)
    except ValueError:
        return None


class ApiKey(AreaAssignment):
    """A machine client's key: it reads the statistics and areas of one area.

    Only a hash of the key is stored (see ``accounts.api_keys``); the key
    itself is shown once, to the administrator who creates it. A key stands
    in for a user in the statistics API, so it answers the few questions
    authentication and scoping ask of one.
    """

    class Level(models.TextChoices):
        NATIONAL = "national", _("national")
        PROVINCE = "province", _("province")
        WARD = "ward", _("commune / ward")

    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("Who uses the key, e.g. “Provincial data warehouse”."),
    )
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    key_hash = models.CharField(
        _("key hash"), max_length=64, unique=True, editable=False
    )
    level = models.CharField(_("level"), max_length=10, choices=Level)
    created_by = models.ForeignKey(
        User,
        models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, editable=False)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Untick to switch the key off at once."),
    )
    expires_on = models.DateField(
        _("expires on"),
        null=True,
        blank=True,
        help_text=_(
            "The last day the key works (Vietnam time); empty: until switched off."
        ),
    )
    allowed_networks = models.JSONField(
        _("allowed addresses"),
        default=list,
        blank=True,
        validators=[networks_validate],
        help_text=_(
            "IP addresses or networks the key may be used from, one a line "
            "(e.g. 203.0.113.7 or 203.0.113.0/24); empty: from anywhere."
        ),
    )

    # Read by Django REST framework and accounts.scope from ``request.user``.
    is_authenticated = True
    is_anonymous = False

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(level="national", province__isnull=True, ward__isnull=True)
                    | Q(level="province", province__isnull=False, ward__isnull=True)
                    | Q(level="ward", province__isnull=False, ward__isnull=False)
                ),
                name="api_key_level_matches_area",
                violation_error_message=_(
                    "The level and the area do not match: a province key needs "
                    "a province, a ward key a ward."
                ),
            ),
        ]

    def __str__(self):
        return "%s (%s…)" % (self.name, self.prefix)

    def area_level(self) -> str:
        return self.level

    def area_required(self):
        return {
            self.Level.PROVINCE: ("province", _("A province key needs a province.")),
            self.Level.WARD: ("ward", _("A ward key needs a ward.")),
        }.get(self.level)

    def is_expired(self, today=None) -> bool:
        """Whether the key's last day has passed, in Vietnam's day."""
        if self.expires_on is None:
            return False
        today = today or timezone.localdate(timezone=timezone.get_default_timezone())
        return today > self.expires_on

    def admits(self, address: str | None) -> bool:
        """Whether a request from ``address`` may use the key."""
        if not self.allowed_networks:
            return True
        try:
            client = ipaddress.ip_address(address or "")
        except ValueError:
            return False
        if client.version == 6 and client.ipv4_mapped:  # ::ffff:203.0.113.7
            client = client.ipv4_mapped
        networks = (network_or_none(entry) for entry in self.allowed_networks)
        return any(
            network is not None
            and network.version == client.version
            and client in network
            for network in networks
        )


class ExportJob(models.Model):
    """A large Excel export, built by a worker from a changelist's filters.

    The job keeps the query string, not the rows: the worker rebuilds the
    owner's scope when it runs, so the file holds what the owner may see then.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    owner = models.ForeignKey(
        User,
        models.CASCADE,
        related_name="export_jobs",
        verbose_name=_("owner"),
    )
    model_label = models.CharField(_("list"), max_length=100)  # "households.household"
    query = models.CharField(_("filters"), max_length=2000, blank=True)
    file_format = models.CharField(_("format"), max_length=10, default="xlsx")
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.QUEUED
    )
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    file_path = models.CharField(_("file"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return "%s #%s" % (self.model_label, self.pk)

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
