"""B8: exporting a province's households streams at once and in flat memory.

The province official downloads the streamed CSV of every household of the
province, and of one ward (the ward whose household count is nearest 3,000,
chosen with the changelist's own ward filter, ``?ward__code__exact=``). Each
download runs in a fresh process (so one's memory does not hide the other's)
with the Django test client, after one warm-up request:

* time to first byte: from the request to the first chunk of the response
  (the view's work — scope, filters — and the first 2,000 rows);
* peak memory: Python's own peak while the file streams (tracemalloc, in a
  process of its own since tracing slows it down), which the target is on;
  and the largest rise of VmRSS over its value before the request, sampled at
  every chunk, which also sees the database driver's buffers but at a few
  megabytes is mostly the allocator's granularity.

The Excel file of the same rows is built by the export job (in-process here,
as a worker runs it); its time and memory are reported without a target.

    python -m benchmarks.b8_exports --scale small --out figures.jsonl
"""

import argparse
import json
import subprocess
import sys
import time

from benchmarks.common import ROOT, Figure, django_setup, figures_write

CSV_URL = "/admin/households/household/export.csv"
WARM_UP = CSV_URL + "?q=khong-co-ho-nao-ten-nhu-the"  # no row: imports, caches


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def signed_in_client(scale: str):
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import User
    from demo.scale import SCALE_LOGINS

    setup_test_environment()  # the test client's host name is allowed
    client = Client()
    client.force_login(User.objects.get(username=SCALE_LOGINS["province"]))
    return client


def probe_csv(scale: str, query: str, trace: bool) -> dict:
    import tracemalloc

    client = signed_in_client(scale)
    b"".join(client.get(WARM_UP).streaming_content)
    if trace:
        tracemalloc.start()
    before = peak = rss_mb()
    started = time.perf_counter()
    response = client.get(CSV_URL + query)
    chunks = iter(response.streaming_content)
    size = len(next(chunks))
    first_byte = time.perf_counter() - started
    lines = 0
    for chunk in chunks:
        size += len(chunk)
        lines += chunk.count(b"\n")
        peak = max(peak, rss_mb())
    total = time.perf_counter() - started
    result = {
        "first_byte_s": first_byte,
        "total_s": total,
        "bytes": size,
        "rss_growth_mb": max(peak, rss_mb()) - before,
    }
    if trace:
        result["python_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    return result


def probe_xlsx(scale: str, query: str) -> dict:
    from django.conf import settings

    from accounts.export_jobs import export_job_run
    from accounts.models import ExportJob, User
    from demo.scale import SCALE_LOGINS

    client = signed_in_client(scale)
    b"".join(client.get(WARM_UP).streaming_content)
    user = User.objects.get(username=SCALE_LOGINS["province"])
    before = rss_mb()
    started = time.perf_counter()
    job = ExportJob.objects.create(
        owner=user, model_label="households.household", query=query.lstrip("?")
    )
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    result = {
        "total_s": time.perf_counter() - started,
        "rows": job.row_count,
        "status": job.status,
        "rss_growth_mb": rss_mb() - before,  # write-only: the file is on disk
    }
    if job.file_path:
        result["file_mb"] = (
            settings.EXPORTS_DIR / job.file_path
        ).stat().st_size / 2**20
        (settings.EXPORTS_DIR / job.file_path).unlink()
    job.delete()
    return result


def probe(kind: str, scale: str, query: str) -> dict:
    """Run one measurement in a fresh process and read its JSON answer."""
    command = [sys.executable, "-m", "benchmarks.b8_exports", "--scale", scale]
    command += ["--probe", kind, "--query", query]
    output = subprocess.run(
        command, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def ward_near_3000() -> tuple[str, int]:
    from django.db.models import Count

    from accounts.models import User
    from accounts.scope import scope
    from demo.scale import SCALE_LOGINS
    from households.models import Household

    user = User.objects.get(username=SCALE_LOGINS["province"])
    wards = (
        scope(Household.objects.all(), user)
        .values("ward_id")
        .annotate(households=Count("pk"))
        .order_by("ward_id")
    )
    best = min(wards, key=lambda row: abs(row["households"] - 3000))
    return best["ward_id"], best["households"]


def province_households() -> int:
    from accounts.models import User
    from accounts.scope import scope
    from demo.scale import SCALE_LOGINS
    from households.models import Household

    user = User.objects.get(username=SCALE_LOGINS["province"])
    return scope(Household.objects.all(), user).count()


def figures(scale: str) -> list[Figure]:
    ward, ward_rows = ward_near_3000()
    rows = province_households()
    small_query = "?ward__code__exact=%s" % ward
    small = probe("csv", scale, small_query)
    large = probe("csv", scale, "")
    small_trace = probe("csv-trace", scale, small_query)
    large_trace = probe("csv-trace", scale, "")
    small_xlsx = probe("xlsx", scale, small_query)
    large_xlsx = probe("xlsx", scale, "")
    note = "%s rows vs ward %s: %s rows" % (
        f"{rows:,}",
        ward,
        f"{ward_rows:,}",
    )
    return [
        Figure(
            "B8a", "streamed CSV, first byte, all households", large["first_byte_s"],
            "s", small["first_byte_s"], "same, one ward (~3,000 rows)",
            ("<=", 1.0), on="value", note=note,
            extra={"large": large, "small": small},
        ),
        Figure(
            "B8a", "streamed CSV, whole file, all households", large["total_s"],
            "s", small["total_s"], "same, one ward (~3,000 rows)",
            note="%.0f rows/s" % (rows / large["total_s"]),
        ),
        Figure(
            "B8b", "streamed CSV, Python peak memory", large_trace["python_peak_mb"],
            "MB", small_trace["python_peak_mb"], "same, one ward (~3,000 rows)",
            ("<=", 1.5), note="tracemalloc, in its own process",
            extra={"large_trace": large_trace, "small_trace": small_trace},
        ),
        Figure(
            "B8b", "streamed CSV, peak RSS growth", large["rss_growth_mb"], "MB",
            small["rss_growth_mb"], "same, one ward (~3,000 rows)",
            note="VmRSS per chunk; megabyte-level allocator noise",
        ),
        Figure(
            "B8d", "Excel export job, all households", large_xlsx["total_s"], "s",
            small_xlsx["total_s"], "same, one ward (~3,000 rows)",
            note="%s rows, %.0f rows/s, RSS +%.0f MB" % (
                large_xlsx["rows"], (large_xlsx["rows"] or 0) / large_xlsx["total_s"],
                large_xlsx["rss_growth_mb"],
            ),
            extra={"large": large_xlsx, "small": small_xlsx},
        ),
    ]  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small")
    parser.add_argument("--out")
    parser.add_argument("--probe", choices=["csv", "csv-trace", "xlsx"])
    parser.add_argument("--query", default="")
    options = parser.parse_args()
    django_setup()
    if options.probe == "xlsx":
        print(json.dumps(probe_xlsx(options.scale, options.query)))
    elif options.probe:
        trace = options.probe == "csv-trace"
        print(json.dumps(probe_csv(options.scale, options.query, trace)))
    else:
        figures_write(options.out, figures(options.scale))


if __name__ == "__main__":
    main()
