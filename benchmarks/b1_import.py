"""B1 and B6: a province's households imported through the admin.

B1 times the admin's real import path (upload and preview, then confirm, with
the Django test client against the admin URLs) on a CSV file of the scale's
households spread over its wards, and compares its rows per second with two
baselines measured in the same run on the same rows: PostgreSQL's ``COPY`` of
the same rows, already prepared, into the emptied households table (same
indexes), and django-import-export's plain ``ModelResource`` with its default
(row by row, non-bulk) settings on the first 2,000 rows. It also re-imports
the same file (every row unchanged) and, as an untargeted extra, an .xlsx
copy of it.

B6 runs the admin import of the whole file in a child process and reads its
peak resident memory.

    python -m benchmarks.b1_import --scale small --out figures.jsonl

``DATABASE_URL`` names a migrated PostgreSQL database with the areas loaded;
the script adds its own province (code 99), wards, hamlets and user, and
removes its households when done.
"""

import argparse
import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import Figure, django_setup, figures_write, peak_rss_mb

PROVINCE = "99"
HAMLETS_PER_WARD = 10
DEFAULT_ROWS = 2_000  # django-import-export's default resource runs ~350 rows/s
IMPORT_URL = "/admin/households/household/import/"
CONFIRM_URL = "/admin/households/household/process_import/"
HEADERS = [
    "Mã xã/phường",
    "Thôn/Tổ dân phố",
    "Mã hộ",
    "Họ tên chủ hộ",
    "Địa chỉ",
    "Điện thoại",
    "Số nhân khẩu",
    "Người cao tuổi sống một mình",
    "Có người khuyết tật",
    "Hộ nghèo/cận nghèo",
    "Dân tộc thiểu số",
    "Không có điện thoại thông minh",
]
FAMILY = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý"
MIDDLE = "Văn Thị Đức Minh Ngọc Thu Hữu Quang Thanh Xuân Bảo Gia"
GIVEN = (
    "An Bình Chi Dũng Giang Hà Hải Hạnh Hiếu Hoa Hùng Hương Khánh Lan Linh Long "
    "Mai Minh Nam Nga Ngân Phúc Quân Sơn Tâm Thảo Trang Trung Tuấn Vy Yến"
)
STREETS = "Đội Cấn, Kim Mã, Láng Hạ, Nguyễn Trãi, Lê Lợi, Trần Phú, Hùng Vương"
PREFIXES = "090 091 094 096 097 098 086 088 083 084 085 035 036 037 038 039"


def ward_codes(count: int) -> list[str]:
    return ["%s%03d" % (PROVINCE, number) for number in range(1, count + 1)]


def hamlet_name(number: int) -> str:
    return "Tổ dân phố số %d" % number


def areas_create(wards: int):
    """The benchmark's own province, wards, hamlets and importing user."""
    from accounts.models import Role, User
    from areas.models import Hamlet, Province, Ward

    province, _ = Province.objects.get_or_create(
        code=PROVINCE,
        defaults={"name": "Tỉnh Đo Hiệu Năng", "kind": "tinh", "codename": "b1-bench"},
    )
    for code in ward_codes(wards):
        ward, _ = Ward.objects.get_or_create(
            code=code,
            defaults={
                "name": "Phường %s" % code,
                "kind": "phuong",
                "province": province,
                "codename": "b1-%s" % code,
            },
        )
        for number in range(1, HAMLETS_PER_WARD + 1):
            Hamlet.objects.get_or_create(
                ward=ward, name=hamlet_name(number), defaults={"kind": "to_dan_pho"}
            )
    # Province staff only read the registry (edit_roles): the province-wide
    # import is a national administrator's.
    user, _ = User.objects.get_or_create(
        username="b1.import", defaults={"role": Role.NATIONAL}
    )
    return user


def households_clear(wards: int) -> None:
    from django.db import connection

    codes = ward_codes(wards)
    tables = ("households_historicalhousehold", "households_household")
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute("DELETE FROM %s WHERE ward_id = ANY(%%s)" % table, [codes])
        # Each timed write starts on a table without the dead rows of the last.
        for table in tables:
            cursor.execute("VACUUM ANALYZE %s" % table)


def file_rows(households: int, wards: int) -> list[list]:
    rng = random.Random(2026)
    codes = ward_codes(wards)
    streets = [street.strip() for street in STREETS.split(",")]
    rows = []
    for number in range(households):
        rows.append(
            [
                codes[number % wards],
                hamlet_name(rng.randint(1, HAMLETS_PER_WARD)),
                "H-%06d" % number,
                " ".join(
                    rng.choice(words.split()) for words in (FAMILY, MIDDLE, GIVEN)
                ),
                "Số %d ngõ %d phố %s"
                % (rng.randint(1, 200), rng.randint(1, 99), rng.choice(streets)),
                rng.choice(PREFIXES.split()) + "%07d" % rng.randint(0, 9_999_999),
                rng.randint(1, 8),
                "có" if rng.random() < 0.08 else "",
                "có" if rng.random() < 0.05 else "",
                rng.choice(["", "", "", "", "", "", "nghèo", "cận nghèo"]),
                "có" if rng.random() < 0.1 else "",
                "có" if rng.random() < 0.15 else "",
            ]
        )
    return rows


def csv_write(path: Path, rows) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        writer.writerows(rows)


def admin_import(client, path: Path, file_format: str = "1") -> tuple[float, float]:
    """Upload and preview, then confirm; return (preview s, confirm s)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = path.read_bytes()
    upload = SimpleUploadedFile(path.name, content)
    del content
    started = time.perf_counter()
    preview = client.post(
        IMPORT_URL, {"resource": "0", "format": file_format, "import_file": upload}
    )
    previewed = time.perf_counter()
    form = preview.context.get("confirm_form") if preview.context else None
    if form is None:
        result = preview.context["result"]
        problems = [row.error_dict for row in result.invalid_rows][:3]
        errors = [str(error.error) for error in result.base_errors]
        raise SystemExit("The preview refused the file: %s %s" % (problems, errors))
    done = client.post(
        CONFIRM_URL, {name: form.initial.get(name, "") for name in form.fields}
    )
    finished = time.perf_counter()
    if done.status_code != 302:
        raise SystemExit("The confirm step answered %d" % done.status_code)
    return previewed - started, finished - previewed


def client_for(user):
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    client = Client()
    client.force_login(user)
    return client


def copy_prepare(rows, wards: int) -> str:
    """The rows as COPY reads them: normalised as Household.prepare() does."""
    from django.utils import timezone

    from areas.models import Hamlet
    from core.import_widgets import cell_text
    from households.models import Household

    hamlets = {
        (ward, name): pk
        for ward, name, pk in Hamlet.objects.filter(
            ward__in=ward_codes(wards)
        ).values_list("ward_id", "name", "pk")
    }
    poverty = {"": "", "nghèo": "poor", "cận nghèo": "near_poor"}
    today = timezone.localdate().isoformat()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        household = Household(
            code=row[2], head_name=row[3], address=row[4], phone=row[5]
        )
        household.prepare()
        writer.writerow(
            [
                row[0],
                hamlets[(row[0], row[1])],
                household.code,
                household.head_name,
                household.address,
                household.phone,
                row[6],
                *(bool(cell_text(row[index])) for index in (7, 8)),
                poverty[row[9]],
                *(bool(cell_text(row[index])) for index in (10, 11)),
                today,
                household.search_text,
            ]
        )
    return buffer.getvalue()


def copy_time(prepared: str, wards: int) -> float:
    """Seconds for COPY of the prepared rows into the emptied households table."""
    from django.db import connection, transaction

    households_clear(wards)
    columns = (
        "ward_id, hamlet_id, code, head_name, address, phone, size, elderly_alone,"
        " disability, poverty, ethnic_minority, no_smartphone, registered_on,"
        " search_text"
    )
    buffer = io.StringIO(prepared)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.copy_expert(
            "COPY households_household (%s) FROM STDIN WITH (FORMAT csv,"
            " FORCE_NOT_NULL (address, phone, poverty))" % columns,
            buffer,
        )
    elapsed = time.perf_counter() - started  # with the commit and its FK checks
    households_clear(wards)
    return elapsed


def default_baseline(rows) -> float:
    """Seconds for django-import-export's default resource to import ``rows``."""
    import tablib
    from import_export import resources

    from areas.models import Hamlet
    from households.models import Household

    class PlainHouseholdResource(resources.ModelResource):
        class Meta:
            model = Household

    hamlets = {
        (ward, name): pk
        for ward, name, pk in Hamlet.objects.filter(
            ward__in={row[0] for row in rows}
        ).values_list("ward_id", "name", "pk")
    }
    poverty = {"": "", "nghèo": "poor", "cận nghèo": "near_poor"}
    dataset = tablib.Dataset(
        headers=[
            "id", "ward", "hamlet", "code", "head_name", "address", "phone", "size",
            "elderly_alone", "disability", "poverty", "ethnic_minority",
            "no_smartphone",
        ]
    )  # fmt: skip
    for row in rows:
        flags = [1 if row[index] else 0 for index in (7, 8, 10, 11)]
        dataset.append(
            ["", row[0], hamlets[(row[0], row[1])], *row[2:7], flags[0], flags[1],
             poverty[row[9]], flags[2], flags[3]]
        )  # fmt: skip
    started = time.perf_counter()
    result = PlainHouseholdResource().import_data(dataset, dry_run=False)
    elapsed = time.perf_counter() - started
    if result.has_errors() or result.has_validation_errors():
        raise SystemExit("The default resource refused the rows.")
    return elapsed


def child_import(path: Path, wards: int) -> None:
    """B6's child: the admin import of the whole file; prints its peak RSS."""
    django_setup()
    from django.contrib.auth import get_user_model

    households_clear(wards)
    user = get_user_model().objects.get(username="b1.import")
    preview, confirm = admin_import(client_for(user), path)
    print(json.dumps({"rss_mb": own_peak_rss_mb(), "seconds": preview + confirm}))


def own_peak_rss_mb() -> float:
    """This process's peak RSS since it started its program.

    getrusage's figure can carry the parent's peak over the fork: on Linux,
    the high-water mark of the process's own memory map is read instead.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mb()


def rate_line(label: str, count: int, preview: float, confirm: float) -> str:
    return "%-34s %8d rows  preview %6.2f s  confirm %6.2f s  %9.0f rows/s" % (
        label,
        count,
        preview,
        confirm,
        count / (preview + confirm),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small")
    parser.add_argument("--out")
    parser.add_argument("--xlsx", action="store_true", help="also time an .xlsx copy")
    parser.add_argument("--repeat", type=int, help="timed runs of each side")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--wards", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child_import(Path(options.child), options.wards)
        return

    django_setup()
    from demo.scale import SCALES
    from households.models import Household

    scale = SCALES[options.scale]
    wards, count = scale["wards"], scale["households"]
    user = areas_create(wards)
    households_clear(wards)
    rows = file_rows(count, wards)
    workdir = Path(tempfile.mkdtemp(prefix="b1-import-"))
    path = workdir / "ho-gia-dinh.csv"
    csv_write(path, rows)
    try:
        prepared = copy_prepare(rows, wards)
        client = client_for(user)
        # The first request compiles templates and loads translations.
        warm = workdir / "warm-up.csv"
        csv_write(warm, [[*row[:2], "W" + row[2], *row[3:]] for row in rows[:200]])
        admin_import(client, warm)
        # Other work on the machine makes single timings noisy: each side
        # is timed alternately, its best run kept.
        copy_seconds, best = None, None
        for _ in range(options.repeat or (3 if count <= 50_000 else 1)):
            seconds = copy_time(prepared, wards)
            copy_seconds = min(copy_seconds or seconds, seconds)
            households_clear(wards)
            timed = admin_import(client, path)
            print(rate_line("first import (csv)", count, *timed))
            best = min(best or timed, timed, key=sum)
            imported = Household.objects.filter(ward__province=PROVINCE).count()
            if imported != count:
                raise SystemExit("Imported %d of %d households" % (imported, count))
        copy_rate = count / copy_seconds
        preview, confirm = best
        rate = count / (preview + confirm)
        again_preview, again_confirm = admin_import(client, path)
        again_rate = count / (again_preview + again_confirm)
        print(rate_line("same file again (csv)", count, again_preview, again_confirm))
        extras = {}
        if options.xlsx:
            import tablib

            xlsx_path = workdir / "ho-gia-dinh.xlsx"
            xlsx_path.write_bytes(tablib.Dataset(*rows, headers=HEADERS).export("xlsx"))
            households_clear(wards)
            x_preview, x_confirm = admin_import(client, xlsx_path, file_format="0")
            extras["xlsx_rows_per_s"] = round(count / (x_preview + x_confirm))
            print(rate_line("first import (xlsx)", count, x_preview, x_confirm))

        households_clear(wards)
        sample = rows[: min(DEFAULT_ROWS, count)]
        default_rate = len(sample) / default_baseline(sample)
        households_clear(wards)

        child = subprocess.run(  # noqa: S603 - this script, with its own arguments
            [sys.executable, "-m", "benchmarks.b1_import", "--child", str(path),
             "--wards", str(wards)],
            capture_output=True, text=True, check=True, env=os.environ.copy(),
        )  # fmt: skip
        memory = json.loads(child.stdout.strip().splitlines()[-1])
        households_clear(wards)
    finally:
        for leftover in workdir.iterdir():
            leftover.unlink()
        workdir.rmdir()

    times = {
        "preview_s": round(preview, 3),
        "confirm_s": round(confirm, 3),
        "reimport_unchanged_rows_per_s": round(again_rate),
        "reimport_preview_s": round(again_preview, 3),
        "reimport_confirm_s": round(again_confirm, 3),
        **extras,
    }
    note = "%d households, %d wards; preview %.2f s + confirm %.2f s" % (
        count,
        wards,
        preview,
        confirm,
    )
    figures_write(
        options.out,
        [
            Figure(
                "B1",
                "household import via admin vs COPY",
                rate,
                "rows/s",
                baseline=copy_rate,
                baseline_label="PostgreSQL COPY of the prepared rows",
                target=(">=", 0.25),
                note=note,
                extra=times,
            ),
            Figure(
                "B1",
                "household import via admin vs default import-export",
                rate,
                "rows/s",
                baseline=default_rate,
                baseline_label="import-export ModelResource, defaults, %d rows"
                % len(sample),
                target=(">=", 30),
                note=note,
                extra=times,
            ),
            Figure(
                "B6",
                "peak RSS importing the households",
                memory["rss_mb"],
                "MB",
                target=("<=", 300),
                on="value",
                note="%d households through the admin, in a child process" % count,
                extra={"import_s": round(memory["seconds"], 2)},
            ),
        ],
    )


if __name__ == "__main__":
    main()
