"""Input and output shapes of the capture API; validation of input only."""

from functools import lru_cache

from django.utils.encoding import smart_str
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.serializers import ReferenceField
from core.serializers import FieldsBuiltOnce, JsonTypes, LiveRow
from households.models import Resident

from ..catalogue import service_catalogue
from ..models import AssistanceSession, ServiceType, SessionService
from ..services import WALK_IN_FIELDS, session_may_edit


class ServiceCodeField(serializers.SlugRelatedField):
    """A service of the active catalogue by its code, from the process's copy.

    The copy is checked once per request (on its first line), not per line.
    """

    default_error_messages = {
        # DRF's names the slug field ("code=...") half in English.
        "does_not_exist": _(
            'No active service of the catalogue has the code "{value}".'
        ),
    }

    def to_internal_value(self, data):
        root = self.root
        catalogue = getattr(root, "service_catalogue", None)
        if catalogue is None:
            # The version the capture read with its kept answers, if it did.
            version = root.context.get("catalogue_version")
            catalogue = root.service_catalogue = service_catalogue(version)
        # The same answers as a lookup in the queryset, which names the field.
        try:
            return catalogue[smart_str(data)]
        except KeyError:
            self.fail(
                "does_not_exist", slug_name=self.slug_field, value=smart_str(data)
            )


class ServiceLineInput(JsonTypes, FieldsBuiltOnce, serializers.Serializer):
    service = ServiceCodeField(
        slug_field="code",
        queryset=ServiceType.objects.filter(is_active=True),
        help_text=_("The service's code in the catalogue, e.g. vneid_level2."),
    )
    outcome = serializers.ChoiceField(choices=SessionService.Outcome.choices)
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True)
    dossier_ref = serializers.CharField(max_length=50, required=False, allow_blank=True)

    def validate(self, attrs):
        # A PATCH is partial for the session, which DRF carries down to the
        # lines; a line itself is always given whole.
        missing = {
            name: [self.fields[name].error_messages["required"]]
            for name in ("service", "outcome")
            if name not in attrs
        }
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class SessionInput(JsonTypes, FieldsBuiltOnce, serializers.Serializer):
    client_uuid = serializers.UUIDField(
        help_text=_("Made up by the client; a resend with the same UUID is harmless.")
    )
    # Plain ids: the service checks in one query that each row exists and is
    # in the sender's scope (a related field would read each row on its own).
    team = ReferenceField(
        required=False,
        help_text=_("Defaults to the team of a team member or leader."),
    )
    members = serializers.ListField(
        child=ReferenceField(),
        required=False,
        help_text=_("Defaults to the member linked to the signed-in account."),
    )
    started_at = serializers.DateTimeField()
    place = serializers.ChoiceField(choices=AssistanceSession.Place.choices)
    service_point = ReferenceField(required=False, allow_null=True)
    household = ReferenceField(required=False, allow_null=True)
    resident = ReferenceField(required=False, allow_null=True)
    walk_in_gender = serializers.ChoiceField(
        choices=Resident.Gender.choices, required=False, allow_blank=True
    )
    walk_in_age_group = serializers.ChoiceField(
        choices=AssistanceSession.AgeGroup.choices, required=False, allow_blank=True
    )
    walk_in_elderly_alone = serializers.BooleanField(required=False, default=False)
    walk_in_disability = serializers.BooleanField(required=False, default=False)
    walk_in_poor = serializers.BooleanField(required=False, default=False)
    walk_in_ethnic_minority = serializers.BooleanField(required=False, default=False)
    walk_in_no_smartphone = serializers.BooleanField(required=False, default=False)
    services = ServiceLineInput(many=True, allow_empty=False)
    duration_minutes = serializers.IntegerField(
        min_value=1, max_value=600, required=False, allow_null=True
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    source = serializers.ChoiceField(
        choices=[
            (AssistanceSession.Source.FIELD, AssistanceSession.Source.FIELD.label),
            (AssistanceSession.Source.API, AssistanceSession.Source.API.label),
        ],
        default=AssistanceSession.Source.API,
    )


BATCH_MAX = 100  # sessions in one batch: a phone's queue after a day offline


@extend_schema_field(
    {
        "type": "array",
        "minItems": 1,
        "maxItems": BATCH_MAX,
        # Any item is taken, and answered on its own: one that is not a
        # session is that item's 400, never the whole batch's.
        "items": {
            "description": (
                "A session as POST /api/v1/sessions/ takes it (see "
                "SessionInputRequest); checked and answered on its own."
            )
        },
    }
)
class SessionItems(serializers.ListField):
    """The sessions of a batch as sent, each checked later on its own (as a
    single POST is), so that one refused item never refuses the others."""


class SessionBatchInput(serializers.Serializer):
    sessions = SessionItems(
        allow_empty=False,
        min_length=1,
        max_length=BATCH_MAX,
        help_text=_(
            "1 to 100 sessions, each as a single POST takes it; each is stored "
            "or refused on its own."
        ),
        error_messages={
            "required": _("Send the sessions as a list."),
            "null": _("Send the sessions as a list."),
            "not_a_list": _("Send the sessions as a list."),
            "empty": _("Send at least one session."),
            "min_length": _("Send at least one session."),
            "max_length": _("Send at most {max_length} sessions at once."),
        },
    )


class SessionBatchResult(serializers.Serializer):
    client_uuid = serializers.CharField(
        allow_null=True,
        help_text=_("The item's client_uuid as sent; null if it sent none."),
    )
    status = serializers.ChoiceField(
        choices=[201, 200, 400, 403, 409],
        help_text=_(
            "The status a single POST of the item would answer: 201 stored, "
            "200 already stored (a resend), 400 refused, 403 not allowed, 409 "
            "the UUID is stored with other content."
        ),
    )
    body = serializers.JSONField(
        help_text=_(
            "The body a single POST of the item would answer: the session "
            "(201, 200) or why it was refused (400, 403, 409)."
        )
    )
    location = serializers.CharField(
        required=False,
        help_text=_("The new session's address; only with 201."),
    )


class SessionBatchOutput(serializers.Serializer):
    results = SessionBatchResult(
        many=True, help_text=_("One answer per session, in the order sent.")
    )


class SessionUpdateInput(SessionInput):
    """An edit: everything but the UUID, which names the session for good."""

    client_uuid = None
    source = None


class ServiceLineOutput(FieldsBuiltOnce, serializers.ModelSerializer):
    service = serializers.SlugRelatedField(
        source="service_type", slug_field="code", read_only=True
    )
    service_name = serializers.CharField(source="service_type.name", read_only=True)

    class Meta:
        model = SessionService
        fields = [
            "service",
            "service_name",
            "outcome",
            "reason",
            "dossier_ref",
            "closed_at",
        ]


class BlankAsNull(serializers.ChoiceField):
    """A choice that may be unset: answered ``null``, never ``""`` (which no
    enum of the schema allows)."""

    def to_representation(self, value):
        return None if value in ("", None) else super().to_representation(value)


class SessionOutput(FieldsBuiltOnce, serializers.ModelSerializer):
    ward = serializers.CharField(source="ward_id", read_only=True)
    services = ServiceLineOutput(many=True, read_only=True)
    may_edit = serializers.SerializerMethodField()
    # A household's session describes no walk-in: these are null.
    walk_in_gender = BlankAsNull(
        choices=Resident.Gender.choices, read_only=True, allow_null=True
    )
    walk_in_age_group = BlankAsNull(
        choices=AssistanceSession.AgeGroup.choices, read_only=True, allow_null=True
    )

    class Meta:
        model = AssistanceSession
        fields = [
            "id",
            "client_uuid",
            "ward",
            "team",
            "members",
            "started_at",
            "started_on",
            "place",
            "service_point",
            "household",
            "resident",
            *WALK_IN_FIELDS,
            "services",
            "duration_minutes",
            "notes",
            "source",
            "created_at",
            "updated_at",
            "may_edit",
        ]
        read_only_fields = fields

    def get_may_edit(self, session) -> bool:
        return session_may_edit(self.context["request"].user, session)


class SessionListItem(LiveRow, SessionOutput):
    """A session in a list, where a pull may show tombstones beside it."""

    class Meta(SessionOutput.Meta):
        fields = [*SessionOutput.Meta.fields, "deleted"]
        read_only_fields = fields


class SessionShown(SessionOutput):
    """:class:`SessionOutput` but its members, lines and ``may_edit``: one
    instance is bound once per process and shows every new session
    :func:`session_shown` is asked for, with the members and lines the
    service stored."""

    members = None
    services = None
    may_edit = None

    class Meta(SessionOutput.Meta):
        fields = [
            name
            for name in SessionOutput.Meta.fields
            if name not in ("members", "services", "may_edit")
        ]
        read_only_fields = fields


@lru_cache(maxsize=1)
def _shown() -> tuple[SessionShown, ServiceLineOutput]:
    return SessionShown(), ServiceLineOutput()


def session_shown(session: AssistanceSession, request) -> dict:
    """What :class:`SessionOutput` shows of a session just stored, as its
    answer's body: from the ``member_ids`` and ``service_rows`` the service
    left on it, without reading them again.

    Every capture answers with one new session: binding the output's fields
    anew for each cost as much as showing them.
    """
    session_output, line_output = _shown()
    shown = session_output.to_representation(session)
    shown["members"] = session.member_ids
    shown["services"] = [
        line_output.to_representation(row) for row in session.service_rows
    ]
    shown["may_edit"] = session_may_edit(request.user, session)
    return {name: shown[name] for name in SessionOutput.Meta.fields}
