"""Screenshots of the main pages at a phone's and a desktop's width.

Run against a running platform (scripts/start.sh):
    .venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000] [screenshots/]
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "screenshots")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
PAGES = [
    (None, "/accounts/login/", "login"),
    ("thanhvien.badinh", "/field/", "field-home"),
    ("thanhvien.badinh", "/field/log/", "field-log"),
    ("thanhvien.badinh", "/field/sessions/", "field-sessions"),
    ("totruong.badinh", "/field/follow-ups/", "field-follow-ups"),
    ("totruong.badinh", "/field/training/workshop/", "field-workshop"),
    ("thanhvien.badinh", "/field/training/", "field-training"),
    ("phuong.badinh", "/admin/assistance/assistancesession/", "ward-sessions"),
    ("tinh.hanoi", "/admin/assistance/campaign/", "province-campaigns"),
    ("phuong.badinh", "/dashboard/", "ward-dashboard"),
    ("tinh.hanoi", "/dashboard/?sort=sessions&dir=desc", "province-dashboard"),
    ("admin", "/dashboard/national/", "national-overview"),
    ("phuong.badinh", "/admin/", "ward-admin"),
    ("phuong.badinh", "/admin/areas/hamlet/", "ward-admin-hamlets"),
    ("phuong.badinh", "/admin/households/household/?q=nguyen", "ward-households"),
    ("phuong.badinh", "/admin/households/household/import/", "ward-household-import"),
    ("phuong.badinh", "/admin/teams/shift/", "ward-shifts"),
]
SIZES = {"phone": (360, 740), "desktop": (1280, 800)}

OUT.mkdir(exist_ok=True)
with sync_playwright() as playwright:
    browser = playwright.chromium.launch(
        executable_path="/usr/bin/chromium", args=FLAGS
    )
    for size, (width, height) in SIZES.items():
        for username, path, name in PAGES:
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            if username:
                page.goto(BASE + "/accounts/login/")
                page.fill("#id_login", username)
                page.fill("#id_password", "demo1234")
                page.click("button[type=submit].primary")
                page.wait_for_load_state("networkidle")
            page.goto(BASE + path)
            target = OUT / ("%s-%s.png" % (name, size))
            page.screenshot(path=str(target), full_page=True)
            print(target)
            context.close()
    browser.close()
