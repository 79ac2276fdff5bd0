"""Input and output shapes of the workshop capture API; validation of input only."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.serializers import ScopedPrimaryKeyField
from assistance.models import ServiceType
from core.serializers import JsonTypes, LiveRow
from teams.models import Team

from ..models import Workshop


class WorkshopInput(JsonTypes, serializers.Serializer):
    client_uuid = serializers.UUIDField(
        help_text=_("Made up by the client; a resend with the same UUID is harmless.")
    )
    team = ScopedPrimaryKeyField(
        queryset=Team.objects.all(),
        required=False,
        help_text=_("Defaults to the team of a team leader."),
    )
    held_on = serializers.DateField(help_text=_("The day the workshop was held."))
    place = serializers.CharField(max_length=255)
    topic = serializers.ChoiceField(choices=ServiceType.Category.choices)
    audience = serializers.ChoiceField(choices=Workshop.Audience.choices)
    attendees = serializers.IntegerField(min_value=1, max_value=100_000)
    women = serializers.IntegerField(min_value=0, required=False, default=0)
    elderly = serializers.IntegerField(min_value=0, required=False, default=0)
    disability = serializers.IntegerField(min_value=0, required=False, default=0)
    poor = serializers.IntegerField(min_value=0, required=False, default=0)


class WorkshopUpdateInput(WorkshopInput):
    """An edit: everything but the UUID, which names the workshop for good."""

    client_uuid = None


class WorkshopOutput(serializers.ModelSerializer):
    ward = serializers.CharField(source="ward_id", read_only=True)

    class Meta:
        model = Workshop
        fields = [
            "id",
            "client_uuid",
            "ward",
            "team",
            "held_on",
            "place",
            "topic",
            "audience",
            "attendees",
            "women",
            "elderly",
            "disability",
            "poor",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class WorkshopListItem(LiveRow, WorkshopOutput):
    """A workshop in a list, where a pull may show tombstones beside it."""

    class Meta(WorkshopOutput.Meta):
        fields = [*WorkshopOutput.Meta.fields, "deleted"]
        read_only_fields = fields
