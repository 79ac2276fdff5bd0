from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from import_export import fields

from areas.resources import RegistryResource
from core.import_widgets import (
    ChoiceWidget,
    DateWidget,
    InWardWidget,
    PhoneWidget,
    TextWidget,
    YesNoWidget,
    cell_text,
    hamlet_widget,
)
from core.text import text_fold

from .models import Member, Membership, Team

TEAM_COLUMN = "Tên tổ"
PHONE_COLUMN = "Điện thoại"


class TeamResource(RegistryResource):
    name = fields.Field(
        attribute="name",
        column_name=TEAM_COLUMN,
        widget=TextWidget(required=True, max_length=150),
    )
    hamlet = fields.Field(
        attribute="hamlet",
        column_name="Thôn/Tổ dân phố",
        widget=hamlet_widget(required=False),
    )
    kind = fields.Field(
        attribute="kind",
        column_name="Loại tổ",
        widget=ChoiceWidget(Team.Kind, required=False, default=Team.Kind.HAMLET),
    )
    founded_on = fields.Field(
        attribute="founded_on", column_name="Ngày thành lập", widget=DateWidget()
    )
    is_active = fields.Field(
        attribute="is_active", column_name="Đang hoạt động", widget=YesNoWidget()
    )

    required_columns = (TEAM_COLUMN,)

    class Meta(RegistryResource.Meta):
        model = Team
        name = "Tổ công nghệ số"
        fields = ("ward", "name", "hamlet", "kind", "founded_on", "is_active")
        import_id_fields = ("ward", "name")

    def row_key(self, row):
        ward = self.row_ward(row)
        name = text_fold(cell_text(row.get(TEAM_COLUMN)))
        return (ward.pk, name) if ward and name else None

    def instance_key(self, instance):
        return (instance.ward_id, text_fold(instance.name))


class MemberResource(RegistryResource):
    """Members, and optionally their place in one team per row."""

    full_name = fields.Field(
        attribute="full_name",
        column_name="Họ và tên",
        widget=TextWidget(required=True, max_length=150),
    )
    phone = fields.Field(
        attribute="phone", column_name=PHONE_COLUMN, widget=PhoneWidget(required=True)
    )
    affiliation = fields.Field(
        attribute="affiliation",
        column_name="Lực lượng",
        widget=ChoiceWidget(
            Member.Affiliation, required=False, default=Member.Affiliation.OTHER
        ),
    )
    # Not model fields: a current membership written after the members.
    team = fields.Field(
        column_name=TEAM_COLUMN,
        widget=InWardWidget(
            "teams",
            gettext_noop("There is no team “%(name)s” in %(ward)s."),
            required=False,
        ),
    )
    team_role = fields.Field(
        column_name="Vai trò trong tổ",
        widget=ChoiceWidget(
            Membership.Role, required=False, default=Membership.Role.MEMBER
        ),
    )
    joined_on = fields.Field(column_name="Ngày tham gia", widget=DateWidget())

    required_columns = ("Họ và tên", PHONE_COLUMN)

    class Meta(RegistryResource.Meta):
        model = Member
        name = "Thành viên"
        fields = (
            "ward",
            "full_name",
            "phone",
            "affiliation",
            "team",
            "team_role",
            "joined_on",
        )
        import_id_fields = ("ward", "phone")

    def __init__(self, who=None, **kwargs):
        super().__init__(who, **kwargs)
        self._teams = {}
        self._places = []  # (member, team, role, joined_on), written after import
        self._leaders = {}  # team id -> member key holding the leader role

    def teams(self, ward) -> dict:
        if ward.pk not in self._teams:
            self._teams[ward.pk] = {
                text_fold(team.name): team for team in Team.objects.filter(ward=ward)
            }
        return self._teams[ward.pk]

    def row_key(self, row):
        ward = self.row_ward(row)
        try:
            phone = PhoneWidget().clean(row.get(PHONE_COLUMN))
        except ValueError:
            return None
        return (ward.pk, phone) if ward and phone else None

    def instance_key(self, instance):
        return (instance.ward_id, instance.phone)

    def export_field(self, field, instance, **kwargs):
        if field.attribute is None:
            return ""  # team columns are for import; a member may have several
        return super().export_field(field, instance, **kwargs)

    def _cell(self, name, row, errors, default=None):
        field = self.fields[name]
        if field.column_name not in row:
            return default
        try:
            return field.clean(row)
        except ValueError as error:
            errors.setdefault(field.column_name, []).append(str(error))
            return default

    def row_check(self, instance, row, errors):
        team = self._cell("team", row, errors)
        role = self._cell("team_role", row, errors, Membership.Role.MEMBER)
        joined_on = self._cell("joined_on", row, errors)
        if team is None:
            return
        if role == Membership.Role.LEADER:
            key = self.row_key(row)
            holder = self._leaders.get(team.pk)
            if holder is None:
                holder = self._current_leader_key(team)
            if holder not in (None, key):
                errors.setdefault(self.fields["team_role"].column_name, []).append(
                    gettext(
                        "Team “%(team)s” already has a leader; record the day the "
                        "current leader left first."
                    )
                    % {"team": team.name}
                )
                return
            self._leaders[team.pk] = key
        self._places.append((instance, team, role, joined_on))

    def _current_leader_key(self, team):
        leader = (
            Membership.objects.filter(team=team, role=Membership.Role.LEADER)
            .filter(left_on__isnull=True)
            .select_related("member")
            .first()
        )
        return (team.ward_id, leader.member.phone) if leader else None

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if result.has_errors() or result.has_validation_errors():
            return
        self.memberships_write()

    def memberships_write(self):
        """Give each member their current place in the team named on their row."""
        today = timezone.localdate()
        current = {
            (membership.member_id, membership.team_id): membership
            for membership in Membership.objects.filter(
                team__in={team for _, team, _, _ in self._places},
                left_on__isnull=True,
            )
        }
        new, changed = [], []
        for member, team, role, joined_on in self._places:
            membership = current.get((member.pk, team.pk))
            if membership is None:
                new.append(
                    Membership(
                        member=member,
                        team=team,
                        role=role,
                        joined_on=joined_on or today,
                    )
                )
            elif membership.role != role or (
                joined_on and membership.joined_on != joined_on
            ):
                membership.role = role
                membership.joined_on = joined_on or membership.joined_on
                changed.append(membership)
        Membership.objects.bulk_update(changed, ["role", "joined_on"])
        Membership.objects.bulk_create(new)
