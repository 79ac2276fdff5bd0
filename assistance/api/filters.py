import django_filters
from django.utils.translation import gettext_lazy as _

from ..models import AssistanceSession


class SessionFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(
        field_name="started_on", lookup_expr="gte", label=_("from (day)")
    )
    date_to = django_filters.DateFilter(
        field_name="started_on", lookup_expr="lte", label=_("to (day)")
    )
    team = django_filters.NumberFilter(field_name="team_id", label=_("team"))
    household = django_filters.NumberFilter(
        field_name="household_id", label=_("household")
    )
    updated_after = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gt", label=_("changed after")
    )

    class Meta:
        model = AssistanceSession
        fields = ["date_from", "date_to", "team", "household", "updated_after"]
