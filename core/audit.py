"""The audit trail of personal data: who changed what, and when.

django-simple-history keeps a historical copy of every create, change and
delete. Historical rows carry the same ``ward`` as the row they copy, so the
scope module filters them like any other registry row, even after the row
itself is deleted.
"""

from django.db import models
from simple_history.manager import HistoryDescriptor
from simple_history.models import HistoricalRecords


class _KeptManagerDescriptor(HistoryDescriptor):
    """``Model.history``, its manager class built once rather than per access.

    django-simple-history builds the class (``from_queryset``, which walks
    the queryset class with ``inspect``) on every access, and it reads
    ``instance.history`` for every audit row it writes: about a fifth of a
    new session's processor time went there.
    """

    def __get__(self, instance, owner):
        manager = self.__dict__.get("_manager")
        if manager is None:
            manager = self.manager_class.from_queryset(self.queryset_class)
            self._manager = manager
        return manager(self.model, instance)


class AuditedHistory(HistoricalRecords):
    """simple-history's records, with the history manager's class kept."""

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        descriptor = sender.__dict__.get(self.manager_name)
        if type(descriptor) is HistoryDescriptor:
            kept = _KeptManagerDescriptor(
                descriptor.model,
                manager=descriptor.manager_class,
                queryset=descriptor.queryset_class,
            )
            setattr(sender, self.manager_name, kept)


class WardHistory(models.Model):
    WARD_PATH = "ward"

    class Meta:
        abstract = True


def ward_history(**kwargs) -> AuditedHistory:
    """History for a model that has a ``ward`` field and a ``search_text`` copy."""
    return AuditedHistory(
        bases=[WardHistory],
        excluded_fields=["search_text"],
        cascade_delete_history=False,
        **kwargs,
    )
