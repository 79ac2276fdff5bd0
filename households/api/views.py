"""The household API: a team member adds a household of the team's ward."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.views import APIView

from accounts.scope import Level, scope, scope_for, scoped
from accounts.serializers import reference_missing
from areas.models import Hamlet
from core.api_errors import Conflict
from core.capture import CaptureAnswers, capture_response

from ..models import Household
from ..services import LikelyDuplicates, household_record
from .serializers import HouseholdInput, HouseholdOutput, LikelyDuplicateAnswer

CONFLICT = gettext_lazy(
    "Household %(uuid)s is already stored with other content; to change it, "
    "ask a ward official."
)
MOVED = gettext_lazy(
    "Household %(uuid)s is already stored and is no longer in your ward."
)


class LikelyDuplicate(Conflict):
    default_code = "likely_duplicate"


def _hamlet_of(user, sent) -> int:
    """The hamlet the household is added in: the team's, or one of its ward's."""
    team = user.team
    if team.hamlet_id:
        if sent is not None and sent != team.hamlet_id:
            raise ApiValidationError(
                {"hamlet": [_("Add households of your team's hamlet only.")]}
            )
        return team.hamlet_id
    if sent is None:
        raise ApiValidationError({"hamlet": [_("Choose the household's hamlet.")]})
    hamlets = scope(Hamlet.objects.filter(ward_id=team.ward_id), user)
    if not hamlets.filter(pk=sent).exists():
        raise ApiValidationError({"hamlet": [reference_missing(sent)]})
    return sent


def _candidates(duplicates) -> list[dict]:
    return [
        {
            "id": duplicate.household.pk,
            "code": duplicate.household.code,
            "head": duplicate.household.head_name,
            "hamlet": duplicate.household.hamlet.name,
            "address": duplicate.household.address,
            "reasons": [
                {"code": code, "label": label}
                for code, label in zip(
                    duplicate.reasons, duplicate.reason_labels, strict=True
                )
            ],
        }
        for duplicate in duplicates
    ]


@scoped
class HouseholdCreateApi(APIView):
    @extend_schema(
        summary="Add a household",
        description=(
            "Team members and leaders add a household of their team's ward (a "
            "hamlet team's: of its hamlet). A household that may repeat one "
            "already registered (the same head in the hamlet, the same phone, "
            "a similar name at the same address) is refused with 409 "
            "likely_duplicate and the candidates, unless confirm_duplicate is "
            "true."
        ),
        request=HouseholdInput,
        responses={
            201: HouseholdOutput,
            200: OpenApiResponse(
                HouseholdOutput, description="Resent UUID: the stored household."
            ),
            400: OpenApiResponse(description="Each refused field and the reason."),
            403: OpenApiResponse(
                description="Only team members and leaders add households here."
            ),
            409: OpenApiResponse(
                LikelyDuplicateAnswer,
                description=(
                    "likely_duplicate: the candidates it may repeat; conflict: the "
                    "UUID is already stored with other content."
                ),
            ),
        },
    )
    def post(self, request):
        user = request.user
        if scope_for(user).level != Level.TEAM:
            raise PermissionDenied(
                _(
                    "Only team members and leaders add households here; ward "
                    "officials add them in the administration."
                )
            )
        data = HouseholdInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields["hamlet_id"] = _hamlet_of(user, fields.pop("hamlet", None))
        visible = scope(Household.objects.select_related("hamlet"), user)
        answers = CaptureAnswers(
            show=lambda household, created: (
                HouseholdOutput(visible.get(pk=household.pk)).data
            ),
            visible=lambda pk: visible.filter(pk=pk).first(),
            conflict=CONFLICT,
            moved=MOVED,
        )
        try:
            return capture_response(
                lambda: household_record(
                    user=user, ward_id=user.team.ward_id, **fields
                ),
                answers,
            )
        except LikelyDuplicates as found:
            raise LikelyDuplicate(
                {
                    "head_name": [
                        _(
                            "This household may already be registered: check "
                            "the households listed, or send it again confirmed."
                        )
                    ]
                },
                candidates=_candidates(found.duplicates),
            ) from found
