"""Input and output shapes of the household API; validation of input only."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.serializers import ReferenceField
from core.phones import validate_phone
from core.serializers import FieldsBuiltOnce, JsonTypes

from ..models import Household


class HouseholdInput(JsonTypes, FieldsBuiltOnce, serializers.Serializer):
    client_uuid = serializers.UUIDField(
        help_text=_("Made up by the client; a resend with the same UUID is harmless.")
    )
    hamlet = ReferenceField(
        required=False,
        help_text=_(
            "The hamlet, among the ward's; a hamlet team's members may leave it "
            "out (their team's hamlet)."
        ),
    )
    head_name = serializers.CharField(max_length=150)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    phone = serializers.CharField(
        max_length=30,
        required=False,
        allow_blank=True,
        validators=[validate_phone],
        help_text=_("A Vietnamese number, written in any usual way."),
    )
    size = serializers.IntegerField(min_value=1, max_value=99, default=1)
    elderly_alone = serializers.BooleanField(required=False, default=False)
    disability = serializers.BooleanField(required=False, default=False)
    poverty = serializers.ChoiceField(
        choices=Household.Poverty.choices, required=False, default=""
    )
    ethnic_minority = serializers.BooleanField(required=False, default=False)
    no_smartphone = serializers.BooleanField(required=False, default=False)
    confirm_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "Store it even if it may repeat a household already registered "
            "(after the member checked the candidates)."
        ),
    )


class HouseholdOutput(FieldsBuiltOnce, serializers.ModelSerializer):
    hamlet_name = serializers.CharField(source="hamlet.name", read_only=True)

    class Meta:
        model = Household
        fields = (
            "id",
            "client_uuid",
            "code",
            "ward",
            "hamlet",
            "hamlet_name",
            *Household.PROFILE_FIELDS,
            "registered_on",
        )


class DuplicateReason(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class DuplicateCandidate(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    head = serializers.CharField()
    hamlet = serializers.CharField()
    address = serializers.CharField()
    reasons = DuplicateReason(many=True)


class LikelyDuplicateAnswer(serializers.Serializer):
    """What a 409 likely_duplicate adds to the error: the households it may
    repeat."""

    candidates = DuplicateCandidate(many=True, required=False)
