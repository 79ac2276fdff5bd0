"""Screenshots of each role's main pages, at a phone's and a desktop's size.

Against a running platform with the demo data (``bash scripts/start.sh``):

    .venv/bin/python scripts/screenshots.py [URL] [FOLDER] [--only ward-]

URL defaults to http://127.0.0.1:8000, FOLDER to docs/screenshots. Each page
is written as ``<role>-<page>-<phone|desktop>.png``: 360 × 740 (on a screen
as tall as the page, at most CAP_HEIGHT) and 1366 × 768 (what the screen
shows), in
Debian's Chromium through Playwright. A few scenes are also written (a file
refused by the import, a save over a newer version refused). The names are
stable: the README links them, so a new run replaces the images in place.
"""

import argparse
import shutil
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
PASSWORD = "demo1234"
# The demo seed's logins (seed_demo), one per role.
LOGINS = {
    "public": None,
    "member": "thanhvien.badinh",
    "leader": "totruong.badinh",
    "ward": "phuong.badinh",
    "province": "tinh.hanoi",
    "national": "admin",
}
SIZES = {"phone": (360, 740), "desktop": (1366, 768)}
# A phone's page is shown whole down to two screens' length: below that a
# picture in the README adds bytes, not understanding.
CAP_HEIGHT = 1480
# Charts draw themselves in a short animation after the page has loaded.
SETTLE_MS = 700

HOUSEHOLDS = "/admin/households/household/"
EDITED = " (đã sửa)"


def first_link(selector: str, start: str):
    """A page found through a link: the first ``selector`` on ``start``."""

    def find(page) -> str:
        visit(page, start)
        link = page.locator(selector).first
        link.wait_for(state="attached", timeout=10_000)
        return link.get_attribute("href")

    return find


# role: [(page name, address or a function of the signed-in page giving it)]
PAGES = {
    "public": [("signin", "/accounts/login/")],
    "member": [
        ("home", "/field/"),
        ("log", "/field/log/"),
        ("visits", "/field/visits/"),
        ("household-new", "/field/households/new/"),
        ("recent", "/field/sessions/"),
        ("training", "/field/training/"),
    ],
    "leader": [
        ("home", "/field/"),
        ("log", "/field/log/"),
        ("recent", "/field/sessions/"),
        ("visits", "/field/visits/"),
        ("follow-ups", "/field/follow-ups/"),
        ("training", "/field/training/"),
        ("workshop", "/field/training/workshop/"),
        ("dashboard", first_link("a[href*='/dashboard/ward/']", "/field/")),
    ],
    "ward": [
        ("dashboard", "/dashboard/"),
        ("admin", "/admin/"),
        ("households", HOUSEHOLDS),
        ("household", first_link("#result_list tbody th a", HOUSEHOLDS)),
        ("import", HOUSEHOLDS + "import/"),
        ("sessions", "/admin/assistance/assistancesession/"),
        ("exports", "/admin/exports/"),
        ("monthly-report", "/dashboard/monthly/"),
    ],
    "province": [
        ("dashboard", "/dashboard/"),
        ("monthly-reports", "/dashboard/monthly/wards/"),
        ("admin", "/admin/"),
        ("households", HOUSEHOLDS),
        ("sessions", "/admin/assistance/assistancesession/"),
        ("exports", "/admin/exports/"),
    ],
    "national": [
        ("dashboard", "/dashboard/national/"),
        ("admin", "/admin/"),
        ("households", HOUSEHOLDS),
        ("sessions", "/admin/assistance/assistancesession/"),
        ("exports", "/admin/exports/"),
        ("api-keys", "/admin/accounts/apikey/"),
    ],
}


class PageFailed(Exception):
    """A page did not open as it should: its picture would mislead."""


def platform_check(base: str) -> None:
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=5) as answer:  # noqa: S310
            if answer.status == 200:
                return
    except (OSError, urllib.error.URLError):
        pass
    sys.exit(
        "The platform does not answer at %s: start it with `bash scripts/start.sh` "
        "(it seeds the demo data), or pass its address as the first argument." % base
    )


def visit(page, path: str) -> None:
    """Open ``path`` and wait until the page and what it loads are in."""
    response = page.goto(path, wait_until="networkidle")
    if response is None or response.status != 200:
        raise PageFailed(
            "%s answered %s"
            % (path, "nothing" if response is None else response.status)
        )


def sign_in(page, username: str) -> None:
    visit(page, "/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    if "/accounts/login/" in page.url:
        raise PageFailed(
            "could not sign in as %s: is the demo data there (seed_demo)?" % username
        )


def shoot(page, target: Path, size: str) -> None:
    page.wait_for_timeout(SETTLE_MS)
    width, height = SIZES[size]
    if size == "phone":
        # A taller screen rather than a full-page picture: the fixed bars
        # stay at the bottom instead of crossing the page where the first
        # screen ended.
        length = page.evaluate("document.documentElement.scrollHeight")
        page.set_viewport_size({"width": width, "height": min(length, CAP_HEIGHT)})
        page.wait_for_timeout(SETTLE_MS // 2)
    try:
        page.screenshot(path=str(target), animations="disabled")
    finally:
        page.set_viewport_size({"width": width, "height": height})


# Scenes: a page in a state a plain visit does not show.


def scene_import_refused(page, tmp: Path) -> None:
    """A file that is not a workbook, refused in words."""
    visit(page, HOUSEHOLDS + "import/")
    wrong = tmp / "danh-sach-ho.xlsx"
    wrong.write_text("Đây không phải tệp Excel\n", encoding="utf-8")
    page.locator("input[name=import_file]").set_input_files(wrong)
    page.locator("select[name=format]").select_option(label="xlsx")
    page.get_by_role("button", name="Gửi").click()
    page.wait_for_load_state("networkidle")
    page.locator(".errorlist, .errornote").first.wait_for()


def scene_stale_edit(page, tmp: Path) -> None:
    """Two officials on one household: the second save is refused."""
    # Not the household the household page shows: its picture stays as it was.
    path = first_link("#result_list tbody tr:nth-child(2) th a", HOUSEHOLDS)(page)
    visit(page, path)
    other = page.context.new_page()
    try:
        visit(other, path)
        address = other.locator("#id_address")
        # Edited back and forth, so runs do not pile up changes on the demo.
        current = address.input_value()
        edited = current.removesuffix(EDITED) if current.endswith(EDITED) else None
        address.fill(edited if edited is not None else current + EDITED)
        other.locator("input[name=_save]").click()
        other.wait_for_load_state("networkidle")
    finally:
        other.close()
    page.locator("#id_size").fill("5")
    page.locator("input[name=_save]").click()
    page.wait_for_load_state("networkidle")
    page.locator(".errornote, .errorlist").first.wait_for()


SCENES = [
    ("ward", "import-refused", "desktop", scene_import_refused),
    ("ward", "stale-edit", "desktop", scene_stale_edit),
]


def _shots(role: str, size: str, only: str, tmp: Path) -> list:
    """(name, act) of each picture of ``role`` at ``size`` whose name starts
    with ``only``: a page to open, or a scene to play."""
    shots = [
        (name, lambda page, path=path: _open(page, path))
        for name, path in PAGES[role]
        if ("%s-%s-%s" % (role, name, size)).startswith(only)
    ]
    shots += [
        (name, lambda page, play=play: play(page, tmp))
        for scene_role, name, scene_size, play in SCENES
        if (scene_role, scene_size) == (role, size)
        and ("%s-%s-%s" % (role, name, size)).startswith(only)
    ]
    return shots


def _open(page, path) -> None:
    """A page's path, or a function of the signed-in page that finds it."""
    visit(page, path if isinstance(path, str) else path(page))


def _role_shots(browser, base: str, out: Path, where: tuple, shots, written, failed):
    """Sign in as the role, in a window of the size, and take its pictures."""
    role, size = where
    width, height = SIZES[size]
    context = browser.new_context(
        viewport={"width": width, "height": height},
        base_url=base,
        timezone_id="Asia/Ho_Chi_Minh",
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        if LOGINS[role]:
            sign_in(page, LOGINS[role])
        for name, act in shots:
            target = out / ("%s-%s-%s.png" % (role, name, size))
            try:
                act(page)
                shoot(page, target, size)
            except (PageFailed, PlaywrightError) as error:
                failed.append("%s: %s" % (target.name, error))
                continue
            written.append(target)
            print(target)
    except PageFailed as error:
        failed.append("%s (%s): %s" % (role, size, error))
    finally:
        context.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("out", nargs="?", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument(
        "--only", default="", help="names starting with this (e.g. ward-, member-home)"
    )
    options = parser.parse_args(argv)
    base = options.url.rstrip("/")
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    platform_check(base)
    tmp = Path(tempfile.mkdtemp(prefix="screenshots-"))

    written, failed = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            for size in SIZES:
                for role in PAGES:
                    shots = _shots(role, size, options.only, tmp)
                    if shots:
                        where = (role, size)
                        _role_shots(browser, base, out, where, shots, written, failed)
        finally:
            browser.close()
            shutil.rmtree(tmp, ignore_errors=True)
    total = sum(path.stat().st_size for path in written)
    print("%d screenshots, %.1f MB, in %s" % (len(written), total / 1024**2, out))
    if failed:
        print("Not written:\n  " + "\n  ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
