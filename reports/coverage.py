"""Coverage: which registered households the teams have reached, and which not.

"Đi từng ngõ, gõ từng cửa": for an area and a period, the households of its
register that had at least one session (reached) against all of them, the
same for the priority households, and the households with a digital focal
person and the residents with level-2 e-ID. No session is read: the
denominators are the registry's figures per hamlet
(:class:`HamletRegistryStat`, recomputed with the wards' registry figures),
and the households reached are the period's rows of :class:`DayHousehold`
(one per household and day with a session) that are a household's first day
in the period (reports.reached), with what the register says of each
household kept on the row (registered in the ward, of a priority group). A
ward's period costs one pass over its days' index entries, with no distinct
to take and no look-up of the register; a province's or the nation's, a pass
over the rollups' days.

A household counts as reached in the hamlet, ward and province it is
registered in now, and only for sessions its own ward logged: reached never
exceeds the households of the register, even after a household moved.
Priority groups are the households' as the register says now. "Now" is the
register as of the registry's last recompute (every quarter of an hour),
which sets the flags of the households changed since, as it recomputes the
denominators (reports.services.register_follow).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from areas.models import Hamlet, Province, Ward
from households.models import Household, Resident
from teams.models import Team

from .indicators import Area, narrowest
from .models import DayHousehold, HamletRegistryStat
from .reached import first_days, priority_household, reached_by_ward

# The groups a coverage answer can be split by, and the key each reads.
COVERAGE_GROUPS = ("none", "hamlet", "ward", "province")
REGISTRY_KEY = {
    "hamlet": "hamlet_id",
    "ward": "ward_id",
    "province": "ward__province_id",
}
# The same keys, from a household-day row of the household's own ward.
REACHED_KEY = {
    "hamlet": "household__hamlet_id",
    "ward": "ward_id",
    "province": "ward__province_id",
}
REGISTRY_FIGURES = (
    "households",
    "priority_households",
    "focal_households",
    "residents",
    "residents_level2",
)


def hamlet_registry_rows(ward_ids: list[str] | None) -> list[HamletRegistryStat]:
    """The registry's figures of each hamlet that has households or residents."""
    households = Household.objects.all()
    residents = Resident.objects.all()
    if ward_ids is not None:
        households = households.filter(ward__in=ward_ids)
        residents = residents.filter(ward__in=ward_ids)
    focal = Resident.objects.filter(household=OuterRef("pk"), is_focal_person=True)
    rows: dict[int, HamletRegistryStat] = {}
    for found in (
        households.annotate(has_focal=Exists(focal))
        .values("ward_id", "hamlet_id")
        .annotate(
            n_households=Count("pk"),
            n_priority=Count("pk", filter=priority_household()),
            n_focal=Count("pk", filter=Q(has_focal=True)),
        )
        .order_by()
    ):
        row = rows.setdefault(
            found["hamlet_id"],
            HamletRegistryStat(hamlet_id=found["hamlet_id"], ward_id=found["ward_id"]),
        )
        row.households = found["n_households"]
        row.priority_households = found["n_priority"]
        row.focal_households = found["n_focal"]
    for found in (
        residents.values("ward_id", "household__hamlet_id")
        .annotate(
            n_residents=Count("pk"),
            n_level2=Count("pk", filter=Q(vneid_level="level2")),
        )
        .order_by()
    ):
        hamlet = found["household__hamlet_id"]
        row = rows.setdefault(
            hamlet, HamletRegistryStat(hamlet_id=hamlet, ward_id=found["ward_id"])
        )
        row.residents = found["n_residents"]
        row.residents_level2 = found["n_level2"]
    return [rows[hamlet] for hamlet in sorted(rows)]


def ward_sums(hamlet_rows: list[HamletRegistryStat]) -> dict[str, dict]:
    """The wards' registry figures, as the sums of their hamlets'."""
    wards: dict[str, dict] = {}
    for row in hamlet_rows:
        sums = wards.setdefault(
            row.ward_id,
            {
                "households": 0,
                "households_with_focal": 0,
                "priority_households": 0,
                "residents": 0,
                "residents_level2": 0,
            },
        )
        sums["households"] += row.households
        sums["households_with_focal"] += row.focal_households
        sums["priority_households"] += row.priority_households
        sums["residents"] += row.residents
        sums["residents_level2"] += row.residents_level2
    return wards


def coverage(
    area: Area, start: date, end: date, group: str = "none", reads: dict | None = None
) -> list[dict]:
    """One row per group with figures (one row in all without a group).

    ``reads`` holds what the caller read of the same rows already (the
    wards' households reached: reports.reached.reached_by_ward).
    """
    registry = _registry(area, group)
    reached = _reached(area, start, end, group, reads)
    keys = [None] if group == "none" else list(registry.keys() | reached.keys())
    labels = _labels(area, group, keys)
    rows = [
        coverage_row(key, labels[key], registry.get(key, {}), reached.get(key, {}))
        for key in keys
    ]
    return sorted(rows, key=lambda row: (row["label"], row["group"] or ""))


def coverage_row(key, label: str, registry: dict, reached: dict) -> dict:
    """A row's figures, its shares beside their numerators and denominators."""
    households = registry.get("households") or 0
    priority_households = registry.get("priority_households") or 0
    residents = registry.get("residents") or 0
    focal = registry.get("focal_households") or 0
    level2 = registry.get("residents_level2") or 0
    count = reached.get("reached") or 0
    priority = reached.get("priority_reached") or 0
    return {
        "group": None if key is None else str(key),
        "label": label,
        "households": households,
        "reached": count,
        "not_reached": max(households - count, 0),
        "reached_share": _share(count, households),
        "priority_households": priority_households,
        "priority_reached": priority,
        "priority_not_reached": max(priority_households - priority, 0),
        "priority_reached_share": _share(priority, priority_households),
        "focal_households": focal,
        "focal_share": _share(focal, households),
        "residents": residents,
        "level2_residents": level2,
        "level2_share": _share(level2, residents),
    }


def team_coverage(area: Area, start: date, end: date) -> list[dict]:
    """A ward's active teams, each with the coverage of the hamlet it serves
    (the whole ward for a ward-level team)."""
    by_hamlet = {row["group"]: row for row in coverage(area, start, end, "hamlet")}
    whole = coverage(area, start, end, "none")[0]
    teams = area.filter(Team.objects.filter(is_active=True)).select_related("hamlet")
    rows = []
    for team in teams.order_by("name"):
        if team.hamlet_id is None:
            figures, served = whole, gettext("Whole ward")
        else:
            figures = by_hamlet.get(str(team.hamlet_id)) or coverage_row(
                team.hamlet_id, team.hamlet.name, {}, {}
            )
            served = team.hamlet.name
        rows.append({**figures, "team": team, "served": served})
    return rows


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _registry(area: Area, group: str) -> dict:
    rows = area.filter(HamletRegistryStat.objects.all())
    sums = {name: Coalesce(Sum(name), 0) for name in REGISTRY_FIGURES}
    if group == "none":
        return {None: rows.aggregate(**sums)}
    key = REGISTRY_KEY[group]
    found = rows.values(key).annotate(**sums).order_by()
    return {row[key]: row for row in found}


def _reached(
    area: Area, start: date, end: date, group: str, reads: dict | None = None
) -> dict:
    """The area's households with a day of their own ward's in the period.

    Each household counts on its first day of the period in its ward (the
    household-day row whose previous day lies before the period: one row per
    household, never a distinct over its days), if the register holds it in
    that ward now (the row's ``registered`` flag; ``priority`` for its
    priority groups). A province's or the nation's figures, whole or by
    province, are the sums of the rollups' days; a ward's, or by ward, of the
    rows themselves, from the bucket's index; by hamlet, of the rows with the
    register's hamlet of each household.
    """
    if area.level != "ward" and group in ("none", "province"):
        rows = narrowest(area, DayHousehold, by_province=group == "province")
        sums = {
            "reached": Sum("registered", filter=first_days(start), default=0),
            "priority_reached": Sum("priority", filter=first_days(start), default=0),
        }
        rows = rows.filter(day__gte=start, day__lte=end)
        if group == "none":
            return {None: rows.aggregate(**sums)}
        found = rows.values("province_id").annotate(**sums).order_by()
        return {row["province_id"]: row for row in found}
    if group == "ward":
        return {
            ward: row
            for ward, row in reached_by_ward(area, start, end, reads).items()
            if row["reached"]
        }
    rows = area.filter(
        DayHousehold.objects.filter(
            first_days(start), day__gte=start, day__lte=end, registered=True
        )
    )
    # Counting a column of the bucket's index lets the rows be read from it.
    counts = {
        "reached": Count("day"),
        "priority_reached": Count("day", filter=Q(priority=True)),
    }
    if group == "none":
        return {None: rows.aggregate(**counts)}
    key = REACHED_KEY[group]
    found = rows.values(key).annotate(**counts).order_by()
    return {row[key]: row for row in found}


def _labels(area: Area, group: str, keys) -> dict:
    if group == "none":
        return {None: area.name}
    model = {"hamlet": Hamlet, "ward": Ward, "province": Province}[group]
    names = dict(model.objects.filter(pk__in=keys).values_list("pk", "name"))
    return {key: names.get(key, "") for key in keys}


def campaign_area(campaign) -> Area:
    """A campaign's area: its ward, or the whole of its province."""
    if campaign.ward_id:
        return Area("ward", campaign.ward_id)
    return Area("province", campaign.province_id)


def campaign_not_reached(households, campaign, priority_only: bool = False):
    """The households of ``households`` in the campaign's area that had no day
    of their own ward's in its days: those its coverage counts as not reached."""
    area = campaign_area(campaign)
    days = DayHousehold.objects.filter(
        household=OuterRef("pk"),
        ward=OuterRef("ward"),
        day__gte=campaign.starts_on,
        day__lte=campaign.ends_on,
    )
    households = area.filter(households).exclude(Exists(days))
    if priority_only:
        households = households.filter(priority_household())
    return households
