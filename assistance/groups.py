"""Who counts as a priority group in a session: one definition for campaigns
and for the reports.

A session reaches a group when the walk-in was described so, or the
registered household or person belongs to it.
"""

from django.db.models import F, Q
from django.db.models.functions import ExtractYear

POOR_LEVELS = ("poor", "near_poor")


def elderly() -> Q:
    """60 or over on the day, or a household of an elderly person alone."""
    return (
        Q(walk_in_age_group="60_plus")
        | Q(walk_in_elderly_alone=True)
        | Q(household__elderly_alone=True)
        | Q(resident__birth_year__lte=ExtractYear(F("started_on")) - 60)
    )


def disability() -> Q:
    return (
        Q(walk_in_disability=True)
        | Q(resident__disability=True)
        | Q(household__disability=True)
    )


def poor() -> Q:
    return Q(walk_in_poor=True) | Q(household__poverty__in=POOR_LEVELS)


def priority() -> Q:
    """Any priority group: also ethnic minorities and people with basic phones."""
    return (
        elderly()
        | disability()
        | poor()
        | Q(walk_in_ethnic_minority=True)
        | Q(walk_in_no_smartphone=True)
        | Q(household__ethnic_minority=True)
        | Q(household__no_smartphone=True)
        | Q(resident__ethnic_minority=True)
    )
