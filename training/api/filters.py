from core.filters import PullFilter, days_filters

from ..models import Workshop


class WorkshopFilter(PullFilter):
    """The sessions' filters, on the day a workshop was held."""

    date_from, date_to = days_filters("held_on")

    class Meta:
        model = Workshop
        fields = ["date_from", "date_to", "team", "updated_after"]
