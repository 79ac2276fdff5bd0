"""Signals for the apps downstream of assistance, which it must not import.

``buckets_changed`` is sent inside the changing transaction with ``buckets``,
a set of (ward code, day) whose sessions changed without a model save of
their own (follow-ups closed in bulk); the reports mark those buckets owed
with the change and recompute them after commit.
"""

from django.dispatch import Signal

buckets_changed = Signal()
