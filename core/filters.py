"""What every incremental pull filters by: the team, and changes since a moment."""

from datetime import UTC

import django_filters
from django.utils.translation import gettext_lazy as _


class PullFilter(django_filters.FilterSet):
    """A list's filters; each list adds its own days (``date_from``/``date_to``)."""

    team = django_filters.NumberFilter(field_name="team_id", label=_("team"))
    updated_after = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gt",
        label=_("changed after"),
        method="filter_updated_after",
    )

    def filter_updated_after(self, queryset, name, value):
        # Python reads offsets up to ±23:59, PostgreSQL only to ±15:59: the
        # moment itself, in UTC, is what is compared.
        return queryset.filter(updated_at__gt=value.astimezone(UTC))


def days_filters(field: str) -> tuple:
    """``date_from`` and ``date_to``: the first and last day, on ``field``."""
    return (
        django_filters.DateFilter(
            field_name=field, lookup_expr="gte", label=_("from (day)")
        ),
        django_filters.DateFilter(
            field_name=field, lookup_expr="lte", label=_("to (day)")
        ),
    )
