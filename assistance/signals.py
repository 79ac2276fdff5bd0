"""Signals for the apps downstream of assistance, which it must not import.

``buckets_changed`` is sent after commit with ``buckets``, a set of
(ward code, day) whose sessions changed without a model save of their own
(follow-ups closed in bulk); the reports recompute those buckets.
"""

from django.dispatch import Signal

buckets_changed = Signal()
