"""Two households that are one family: everything of one moves to the other.

Every row that points to the merged household — its residents, the
assistance sessions, whatever a later app adds — is found through the ORM's
reverse relations, so this module knows nothing of the apps above it. Rows
are moved with a save of their own (``update_fields``): each gets its audit
record, and the receivers of the apps that count them (the reports' bucket
refresh) hear of the change, as they do of any edit.

Three kinds of rows are not moved: the history of the past (historical
copies keep the household they named), the summary rows that a refresh
recomputes from the moved rows (a key without a database constraint that
cascades: ``reports.models.derived_key``), and the residents registered in
both households, which are joined into the kept household's (their own
sessions move to it).

The merged household is then deleted rather than marked merged: its history
keeps every version and the deletion (with who and why), nothing points to
it any more, and a "merged" flag would have to be left out of every list,
search, count and phone.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext
from simple_history.models import HistoricalChanges

from accounts.scope import Level, scope, scope_for
from core.text import text_fold

from .models import Household, HouseholdMerge, Resident

MERGE_LEVELS = (Level.WARD, Level.NATIONAL)  # province staff only read


def _movable_relations(model):
    """The reverse foreign keys whose rows follow a ``model`` row merged away."""
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete):
            continue
        if not (relation.one_to_many or relation.one_to_one):
            continue
        if issubclass(relation.related_model, HistoricalChanges):
            continue  # the past names the household it named
        field = relation.field
        if not field.db_constraint and relation.on_delete is models.CASCADE:
            continue  # a summary row: recomputed from the rows moved
        yield relation


def _move(relation, source, target, *, user, reason: str) -> int:
    """Point the rows of ``relation`` from ``source`` to ``target``; return how
    many moved."""
    field = relation.field
    rows = relation.related_model._base_manager.filter(**{field.name: source})
    if relation.hidden:
        # Nothing reads these through the relation (deleted sessions' markers):
        # no receiver or audit to run.
        return rows.update(**{field.name: target})
    saved = [field.name] + [
        other.name
        for other in relation.related_model._meta.concrete_fields
        if getattr(other, "auto_now", False)
    ]
    moved = 0
    for row in rows.select_for_update().order_by("pk"):
        setattr(row, field.name, target)
        row._history_user = user
        row._change_reason = reason
        row.save(update_fields=saved)
        moved += 1
    return moved


def _residents_move(kept, merged, *, user, reason: str) -> tuple[int, int]:
    """Move the merged household's residents; join those the kept household
    has already (same folded name, same birth year). Return (moved, joined)."""
    present = {
        (text_fold(resident.full_name), resident.birth_year): resident
        for resident in Resident.objects.select_for_update()
        .filter(household=kept)
        .order_by("pk")
    }
    has_focal = any(resident.is_focal_person for resident in present.values())
    moved = joined = 0
    residents = Resident.objects.select_for_update().filter(household=merged)
    for resident in residents.order_by("pk"):
        same = present.get((text_fold(resident.full_name), resident.birth_year))
        if same is not None:
            for relation in _movable_relations(Resident):
                _move(relation, resident, same, user=user, reason=reason)
            if resident.is_focal_person and not has_focal and same.has_smartphone:
                same.is_focal_person = has_focal = True
                same._history_user = user
                same._change_reason = reason
                same.save(update_fields=["is_focal_person"])
            resident._history_user = user
            resident._change_reason = reason
            resident.delete()
            joined += 1
            continue
        resident.household = kept
        if resident.is_focal_person and has_focal:
            # One digital focal person a household: the kept household's stays.
            resident.is_focal_person = False
        has_focal = has_focal or resident.is_focal_person
        resident._history_user = user
        resident._change_reason = reason
        resident.save(update_fields=["household", "ward", "is_focal_person"])
        moved += 1
    return moved, joined


@transaction.atomic
def household_merge(*, user, kept_pk: int, merged_pk: int) -> HouseholdMerge:
    """Merge household ``merged_pk`` into ``kept_pk``, both in ``user``'s ward
    scope; return the audit record.

    Raises Household.DoesNotExist for a household the user may not see,
    PermissionDenied for a user who may not edit the registry, and
    ValidationError for households of two wards or one household twice.
    """
    if scope_for(user).level not in MERGE_LEVELS:
        raise PermissionDenied
    if kept_pk == merged_pk:
        raise ValidationError(gettext("Choose two different households to merge."))
    households = scope(Household.objects.all(), user).select_for_update()
    found = households.filter(pk__in=[kept_pk, merged_pk]).order_by("pk")
    by_pk = {household.pk: household for household in found}
    if len(by_pk) != 2:
        raise Household.DoesNotExist
    kept, merged = by_pk[kept_pk], by_pk[merged_pk]
    if kept.ward_id != merged.ward_id:
        raise ValidationError(
            gettext("Only households of the same ward can be merged.")
        )
    reason = gettext("merged household %(merged)s into %(kept)s") % {
        "merged": merged.code,
        "kept": kept.code,
    }
    residents, joined = _residents_move(kept, merged, user=user, reason=reason)
    # By model label ("households.resident"): the kinds a later app adds
    # are counted without this module knowing them.
    moved = {Resident._meta.label_lower: residents}
    for relation in _movable_relations(Household):
        if relation.related_model is Resident:
            continue
        count = _move(relation, merged, kept, user=user, reason=reason)
        if count:
            label = relation.related_model._meta.label_lower
            moved[label] = moved.get(label, 0) + count
    record = HouseholdMerge.objects.create(
        ward_id=kept.ward_id,
        kept=kept,
        kept_code=kept.code,
        merged_code=merged.code,
        merged_pk=merged.pk,
        moved=moved,
        residents_joined=joined,
        merged_by=user,
    )
    merged._history_user = user
    merged._change_reason = reason
    merged.delete()
    return record


def movable_counts(household) -> list[tuple[str, int]]:
    """(kind, how many) of the rows that would move with ``household``."""
    counts = []
    for relation in _movable_relations(Household):
        if relation.hidden:
            continue
        related = relation.related_model
        count = related._base_manager.filter(**{relation.field.name: household})
        counts.append((related._meta.verbose_name_plural, count.count()))
    return counts
