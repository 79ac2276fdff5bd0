"""Output shapes of the statistics API (input is checked in ``params``)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class AnswerOutput(serializers.Serializer):
    """What every statistics answer says of itself."""

    as_of = serializers.DateTimeField(
        allow_null=True,
        help_text=_(
            "When the area's figures last changed (a refresh of its summary "
            "rows); null before any. Also sent as Last-Modified."
        ),
    )


class AreaOutput(serializers.Serializer):
    level = serializers.CharField()
    code = serializers.CharField(allow_null=True)
    name = serializers.CharField()


class StatsRowOutput(serializers.Serializer):
    period = serializers.DateField(
        help_text=_("First day of the day, week (Monday) or month.")
    )
    first_day = serializers.DateField(
        help_text=_("First day counted: the period cut to the asked dates.")
    )
    last_day = serializers.DateField(help_text=_("Last day counted."))
    group = serializers.CharField(
        allow_null=True,
        help_text=_(
            "The group's key: category or service code, hamlet id, ward or "
            "province code; null without a group (or for no hamlet)."
        ),
    )
    label = serializers.CharField(help_text=_("The group's name."))
    sessions = serializers.IntegerField(allow_null=True)
    services_given = serializers.IntegerField(allow_null=True)
    level2_activations = serializers.IntegerField(allow_null=True)
    online_filings = serializers.IntegerField(allow_null=True)
    cashless_setups = serializers.IntegerField(allow_null=True)
    households_reached = serializers.IntegerField(
        allow_null=True,
        help_text=_("Distinct households helped within the row's days."),
    )
    priority_sessions = serializers.IntegerField(allow_null=True)
    approved = serializers.BooleanField()


class StatsOutput(AnswerOutput):
    area = AreaOutput()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    interval = serializers.CharField()
    group = serializers.CharField()
    results = StatsRowOutput(many=True)
    next = serializers.URLField(
        allow_null=True,
        help_text=_(
            "The address of the next page of rows (the same question with a "
            "cursor); null on the last page, and in CSV and Excel, which hold "
            "every row."
        ),
    )


class WorkshopRowOutput(serializers.Serializer):
    group = serializers.CharField(
        allow_null=True,
        help_text=_("The topic or audience code; null without a group."),
    )
    label = serializers.CharField(help_text=_("The group's name."))
    workshops = serializers.IntegerField()
    attendees = serializers.IntegerField(
        help_text=_("As counted at each workshop: a person at two counts twice.")
    )
    women = serializers.IntegerField()
    elderly = serializers.IntegerField(help_text=_("Attendees aged 60 or over."))
    disability = serializers.IntegerField(help_text=_("Attendees with a disability."))
    poor = serializers.IntegerField(
        help_text=_("Attendees from poor or near-poor households.")
    )


class TrainingOutput(AnswerOutput):
    area = AreaOutput()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    group = serializers.CharField()
    members = serializers.IntegerField(
        help_text=_("Current members of active teams (now).")
    )
    members_trained = serializers.IntegerField(
        help_text=_(
            "Of them, those who attended or completed a training event "
            "starting this calendar year (now)."
        )
    )
    members_trained_share = serializers.FloatField(allow_null=True)
    courses_completed = serializers.IntegerField(
        help_text=_(
            "Courses completed by the area's members at events starting this "
            "calendar year (now)."
        )
    )
    results = WorkshopRowOutput(many=True)


class ActivityOutput(serializers.Serializer):
    sessions = serializers.IntegerField()
    services_given = serializers.IntegerField()
    households_reached = serializers.IntegerField()
    level2_activations = serializers.IntegerField()
    online_filings = serializers.IntegerField()
    cashless_setups = serializers.IntegerField()
    priority_sessions = serializers.IntegerField()
    elderly_sessions = serializers.IntegerField()
    disability_sessions = serializers.IntegerField()
    poor_sessions = serializers.IntegerField()
    sessions_per_member_day = serializers.FloatField(allow_null=True)
    workshops = serializers.IntegerField()
    workshop_attendees = serializers.IntegerField()


class SummaryOutput(AnswerOutput, ActivityOutput):
    area = AreaOutput()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    households = serializers.IntegerField()
    households_with_focal = serializers.IntegerField()
    residents = serializers.IntegerField()
    residents_level2 = serializers.IntegerField()
    hamlets = serializers.IntegerField()
    hamlets_covered = serializers.IntegerField()
    teams = serializers.IntegerField()
    members = serializers.IntegerField()
    focal_share = serializers.FloatField(allow_null=True)
    level2_share = serializers.FloatField(allow_null=True)
    hamlet_coverage = serializers.FloatField(allow_null=True)
    members_per_team = serializers.FloatField(allow_null=True)
    members_trained = serializers.IntegerField()
    members_trained_share = serializers.FloatField(allow_null=True)
    courses_completed = serializers.IntegerField()
    open_follow_ups = serializers.IntegerField()
    approved = serializers.BooleanField()
    previous = ActivityOutput(
        help_text=_("The same activity over the period just before, to compare.")
    )


def _share(text):
    return serializers.FloatField(allow_null=True, min_value=0, help_text=text)


class CoverageRowOutput(serializers.Serializer):
    group = serializers.CharField(
        allow_null=True,
        help_text=_(
            "The group's key: hamlet id, ward or province code; null without a group."
        ),
    )
    label = serializers.CharField(help_text=_("The group's name."))
    households = serializers.IntegerField(
        help_text=_("Households in the register now.")
    )
    reached = serializers.IntegerField(
        help_text=_(
            "Of those, households with at least one session of their ward in "
            "the period."
        )
    )
    not_reached = serializers.IntegerField(
        help_text=_("Households not reached: households minus reached.")
    )
    reached_share = _share(
        _("reached / households, from 0 to 1; null without households.")
    )
    priority_households = serializers.IntegerField(
        help_text=_(
            "Households of a priority group: elderly living alone, disability, "
            "poor or near-poor, ethnic minority, no smartphone."
        )
    )
    priority_reached = serializers.IntegerField(
        help_text=_("Priority households reached in the period.")
    )
    priority_not_reached = serializers.IntegerField(
        help_text=_("Priority households not reached.")
    )
    priority_reached_share = _share(
        _("priority_reached / priority_households; null without any.")
    )
    focal_households = serializers.IntegerField(
        help_text=_("Households with a digital focal person (now).")
    )
    focal_share = _share(_("focal_households / households; null without any."))
    residents = serializers.IntegerField(help_text=_("Residents in the register now."))
    level2_residents = serializers.IntegerField(
        help_text=_("Residents with level-2 e-ID (now).")
    )
    level2_share = _share(_("level2_residents / residents; null without any."))


class CoverageOutput(AnswerOutput):
    area = AreaOutput()
    campaign = serializers.IntegerField(
        allow_null=True, help_text=_("The campaign asked for, if any.")
    )
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    group = serializers.CharField()
    results = CoverageRowOutput(many=True)
