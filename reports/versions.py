"""The version of an area's figures: what answers and pages are cached under.

Every refresh of a ward's summary rows moves its stamp (reports.services), and
every registry recompute its ``refreshed_at``; a digest of those, of the
language and of the question names an answer exactly. The statistics API sends
it as the ETag, and the API and the dashboards keep what they computed under
it, so an unchanged area costs two small aggregates instead of its indicators,
however many sessions lie beneath them.
"""

from __future__ import annotations

import hashlib

from django.db.models import Count, Max
from django.utils import translation

from .indicators import Area
from .models import WardRegistryStat, WardStamp

KEPT = 3600  # seconds a cached answer or page stays after it was made


def figures_version(area: Area, *parts) -> str:
    """A digest that changes when the area's figures, or the question, change."""
    stamps = area.filter(WardStamp.objects.all()).aggregate(
        changed=Max("changed_at"), wards=Count("pk")
    )
    registry = area.filter(WardRegistryStat.objects.all()).aggregate(
        refreshed=Max("refreshed_at"), wards=Count("pk")
    )
    text = "|".join(
        str(part)
        for part in (
            area.level,
            area.code,
            stamps["changed"],
            stamps["wards"],
            registry["refreshed"],
            registry["wards"],
            translation.get_language(),
            *parts,
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]
