"""How long a ward official waits to import a whole ward of households.

Drives the admin's real import path (upload, preview, confirm) with the Django
test client on a scratch database, for a ward of 5,000 households (about
15,000 residents), then re-imports the same file. Prints a table.

    python benchmarks/import_households.py [--households 5000]

Uses DATABASE_URL like the platform (SQLite by default).
"""

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import django  # noqa: E402

django.setup()

import tablib  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

# Plain word lists, kept on a few lines rather than one name per line.
FAMILY = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý"
MIDDLE = "Văn Thị Đức Minh Ngọc Thu Hữu Quang Thanh Xuân Bảo Gia"
GIVEN = (
    "An Bình Chi Dũng Giang Hà Hải Hạnh Hiếu Hoa Hùng Hương Khánh Lan Linh Long "
    "Mai Minh Nam Nga Ngân Phúc Quân Sơn Tâm Thảo Trang Trung Tuấn Vy Yến"
)
PREFIXES = "090 091 094 096 097 098 086 088 083 084 085 035 036 037 038 039"


def name(rng):
    return " ".join(rng.choice(words.split()) for words in (FAMILY, MIDDLE, GIVEN))


def build_files(households: int, hamlets: list[str], rng):
    from households.resources import HouseholdResource, ResidentResource

    household_rows, resident_rows = [], []
    for number in range(1, households + 1):
        code = "BD-%05d" % number
        size = rng.randint(1, 6)
        household_rows.append(
            ["", rng.choice(hamlets), code, name(rng),
             "Số %d ngõ %d phố Đội Cấn" % (rng.randint(1, 200), rng.randint(1, 99)),
             rng.choice(PREFIXES.split()) + "%07d" % rng.randint(0, 9_999_999), size,
             "có" if rng.random() < 0.08 else "", "", "", "", ""]
        )  # fmt: skip
        for person in range(size):
            resident_rows.append(
                ["", code, "%s %d" % (name(rng), person), rng.randint(1935, 2024),
                 rng.choice(["nam", "nữ"]), "", "có", "mức 2", "",
                 "có" if person == 0 else "", "", ""]
            )  # fmt: skip
    household_file = tablib.Dataset(
        *household_rows, headers=HouseholdResource().template_headers()
    ).export("xlsx")
    resident_file = tablib.Dataset(
        *resident_rows, headers=ResidentResource().template_headers()
    ).export("xlsx")
    return household_file, len(household_rows), resident_file, len(resident_rows)


def timed_import(client, model: str, content: bytes) -> tuple[float, float, str]:
    started = time.perf_counter()
    preview = client.post(
        "/admin/households/%s/import/" % model,
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("f.xlsx", content),
        },
    )
    previewed = time.perf_counter()
    form = preview.context.get("confirm_form")
    if form is None:
        result = preview.context["result"]
        problems = [row.error_dict for row in result.invalid_rows][:3]
        errors = [error.error for error in result.base_errors]
        raise SystemExit("The preview refused the file: %s %s" % (problems, errors))
    done = client.post(
        "/admin/households/%s/process_import/" % model,
        {field: form.initial.get(field, "") for field in form.fields},
    )
    finished = time.perf_counter()
    assert done.status_code == 302, done.status_code
    return previewed - started, finished - previewed, preview.context["result"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=5000)
    options = parser.parse_args()

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(options.households)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(households: int):
    from accounts.models import Role, User
    from areas.models import Hamlet, Province, Ward
    from households.models import Household, Resident

    rng = random.Random(2026)  # noqa: S311 - reproducible data, not secrets
    province = Province.objects.create(
        code="01", name="Thành phố Hà Nội", kind="thanh_pho"
    )
    ward = Ward.objects.create(
        code="00004", name="Phường Ba Đình", kind="phuong", province=province
    )
    hamlets = [
        Hamlet.objects.create(
            ward=ward, name="Tổ dân phố số %d" % n, kind="to_dan_pho"
        ).name
        for n in range(1, 41)
    ]
    official = User.objects.create_user("phuong", role=Role.WARD, ward=ward)
    client = Client()
    client.force_login(official)

    built = time.perf_counter()
    household_file, household_count, resident_file, resident_count = build_files(
        households, hamlets, rng
    )
    built = time.perf_counter() - built

    rows = []
    for label, model, content, count in (
        ("households, first import", "household", household_file, household_count),
        ("residents, first import", "resident", resident_file, resident_count),
        ("households, same file again", "household", household_file, household_count),
    ):
        preview, confirm, result = timed_import(client, model, content)
        rows.append((label, count, preview, confirm, count / (preview + confirm)))
    assert Household.objects.count() == household_count
    assert Resident.objects.count() == resident_count

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(
        "Import through the admin (%s, %s)"
        % (connection.vendor, time.strftime("%Y-%m-%d"))
    )
    print("%-30s %8s %10s %10s %10s" % ("", "rows", "preview s", "confirm s", "rows/s"))
    for label, count, preview, confirm, rate in rows:
        print("%-30s %8d %10.1f %10.1f %10.0f" % (label, count, preview, confirm, rate))
    print("(building the .xlsx files took %.1f s; peak memory %.0f MB)" % (built, peak))


if __name__ == "__main__":
    main()
