"""The admin's deletes, refused for records dated in an approved month."""

from django.contrib import messages
from django.http import HttpResponseRedirect

from core.locks import MonthLocked

from .locks import month_lock_check


class MonthLockedDeletes:
    """For a ModelAdmin: a record of a locked month is not deleted, and the
    official is told which month is locked.

    ``lock_of(obj)`` gives the record's (ward id, day); by default its
    ``ward_id`` and the field named by ``lock_day_field``. A record counted in
    several wards overrides ``lock_check(obj)`` instead.
    """

    lock_day_field = ""

    def lock_of(self, obj):
        return obj.ward_id, getattr(obj, self.lock_day_field)

    def lock_check(self, obj) -> None:
        ward_id, day = self.lock_of(obj)
        month_lock_check(ward_id=ward_id, day=day)

    def _lock_refusal(self, obj) -> str | None:
        try:
            self.lock_check(obj)
        except MonthLocked as locked:
            return locked.messages[0]
        return None

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        refusal = obj is not None and self._lock_refusal(obj)
        if refusal:
            self.message_user(request, refusal, messages.ERROR)
            return HttpResponseRedirect(request.path.rsplit("delete/", 1)[0])
        return super().delete_view(request, object_id, extra_context)

    def delete_queryset(self, request, queryset):
        refused = {}
        for obj in queryset:
            refusal = self._lock_refusal(obj)
            if refusal:
                refused[obj.pk] = refusal
        for refusal in dict.fromkeys(refused.values()):
            self.message_user(request, refusal, messages.ERROR)
        super().delete_queryset(request, queryset.exclude(pk__in=refused))
