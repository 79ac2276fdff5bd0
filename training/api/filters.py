from datetime import UTC

import django_filters
from django.utils.translation import gettext_lazy as _

from ..models import Workshop


class WorkshopFilter(django_filters.FilterSet):
    """The sessions' filters, on the day a workshop was held."""

    date_from = django_filters.DateFilter(
        field_name="held_on", lookup_expr="gte", label=_("from (day)")
    )
    date_to = django_filters.DateFilter(
        field_name="held_on", lookup_expr="lte", label=_("to (day)")
    )
    team = django_filters.NumberFilter(field_name="team_id", label=_("team"))
    updated_after = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gt",
        label=_("changed after"),
        method="filter_updated_after",
    )

    class Meta:
        model = Workshop
        fields = ["date_from", "date_to", "team", "updated_after"]

    def filter_updated_after(self, queryset, name, value):
        # Python reads offsets up to ±23:59, PostgreSQL only to ±15:59: the
        # moment itself, in UTC, is what is compared.
        return queryset.filter(updated_at__gt=value.astimezone(UTC))
