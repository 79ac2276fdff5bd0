import vietnam_provinces
from django.core.management.base import BaseCommand

from areas.services import areas_load


class Command(BaseCommand):
    help = "Load the official provinces and communes of Vietnam (post-2025 list)."

    def handle(self, *args, **options):
        report = areas_load()
        source = "vietnam-provinces %s (data of %s)" % (
            vietnam_provinces.__version__,
            vietnam_provinces.__data_version__,
        )
        if not report.changed:
            self.stdout.write(
                "Areas already up to date with %s: nothing changed." % source
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                "Loaded %s: provinces %d created, %d updated; "
                "communes %d created, %d updated."
                % (
                    source,
                    report.provinces_created,
                    report.provinces_updated,
                    report.wards_created,
                    report.wards_updated,
                )
            )
        )
