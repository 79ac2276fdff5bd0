from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
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


class User(AbstractUser):
    """A person who signs in; the role and area decide what they may see."""

    PROVINCE_PATH = "province"
    WARD_PATH = "ward"

    # No default: an account without a role is refused by the database.
    role = models.CharField(_("role"), max_length=20, choices=Role)
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
        verbose_name=_("ward"),
    )
    team = models.ForeignKey(
        "teams.Team",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("team"),
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

    def clean(self):
        super().clean()
        self.sync_area()
        required = {
            Role.PROVINCE: (
                "province",
                _("Province staff must be tied to a province."),
            ),
            Role.WARD: ("ward", _("A ward official must be tied to a ward.")),
            Role.TEAM_LEADER: ("team", _("A team leader must be tied to a team.")),
            Role.TEAM_MEMBER: ("team", _("A team member must be tied to a team.")),
        }
        if self.role in required:
            field, message = required[self.role]
            if getattr(self, f"{field}_id") is None:
                raise ValidationError({field: message})

    def save(self, *args, **kwargs):
        self.sync_area()
        self.is_staff = self.role in ADMIN_ROLES
        # The national administrator runs the whole platform, libraries' admin
        # pages included; every other role gets its rights from its scope.
        self.is_superuser = self.role == Role.NATIONAL
        super().save(*args, **kwargs)

    def sync_area(self):
        """Fill the wider areas from the narrowest one and clear the rest.

        The ward and province of a team member are stored, not looked up, so
        that scoping any row is one indexed comparison.
        """
        if self.role in TEAM_ROLES and self.team_id:
            self.ward_id = self.team.ward_id
        if self.role in (Role.WARD, *TEAM_ROLES) and self.ward_id:
            self.province_id = self.ward.province_id
        if self.role not in TEAM_ROLES:
            self.team = None
        if self.role not in (Role.WARD, *TEAM_ROLES):
            self.ward = None
        if self.role == Role.NATIONAL:
            self.province = None

    def get_full_name(self):
        # Vietnamese order: family name (họ) first, then given name (tên).
        return " ".join(part for part in (self.last_name, self.first_name) if part)

    def get_short_name(self):
        return self.first_name
