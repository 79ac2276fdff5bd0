"""The database router: the read replica for reads that may use it.

Reads go to ``replica`` only inside a replica-read block (core.replica) while
the replica answers and keeps up; everything else — writes, sign-in, admin,
field pages, a user's reads just after their own write — stays on the
primary. Without ``DATABASE_REPLICA_URL`` there is no replica alias and every
query goes to ``default``, as before.
"""

from core.replica import REPLICA, replica_chosen


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if replica_chosen() else None

    def db_for_write(self, model, **hints):
        # A row read from the replica is saved on the primary.
        instance = hints.get("instance")
        if instance is not None and instance._state.db == REPLICA:
            return "default"
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica replays the primary's schema
