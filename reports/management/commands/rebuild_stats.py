import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from reports.services import registry_recompute, stats_recompute


class Command(BaseCommand):
    help = "Recompute every summary table from the raw rows."

    def handle(self, *args, **options):
        started = time.perf_counter()
        stats_recompute()
        registry_recompute()
        self.stdout.write(
            gettext("Statistics rebuilt in %(seconds).1f s.")
            % {"seconds": time.perf_counter() - started}
        )
