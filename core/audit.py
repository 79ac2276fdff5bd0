"""The audit trail of personal data: who changed what, and when.

django-simple-history keeps a historical copy of every create, change and
delete. Historical rows carry the same ``ward`` as the row they copy, so the
scope module filters them like any other registry row, even after the row
itself is deleted.
"""

from django.db import models
from simple_history.models import HistoricalRecords


class WardHistory(models.Model):
    WARD_PATH = "ward"

    class Meta:
        abstract = True


def ward_history(**kwargs) -> HistoricalRecords:
    """History for a model that has a ``ward`` field and a ``search_text`` copy."""
    return HistoricalRecords(
        bases=[WardHistory],
        excluded_fields=["search_text"],
        cascade_delete_history=False,
        **kwargs,
    )
