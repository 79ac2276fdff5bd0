import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import PullFilter, days_filters

from ..models import AssistanceSession


class SessionFilter(PullFilter):
    date_from, date_to = days_filters("started_on")
    household = django_filters.NumberFilter(
        field_name="household_id", label=_("household")
    )

    class Meta:
        model = AssistanceSession
        fields = ["date_from", "date_to", "team", "household", "updated_after"]
