"""B7: what a team member's phone downloads to open the log-session page.

Headless Chromium (Debian's, through Playwright) signs in as the team member,
empties its cache and opens ``/field/log/``: the bytes received for the page
and everything it loads, as the network carried them (compressed where the
server compresses; Chromium's ``encodedDataLength``). Then, once the service
worker controls the page, a reload: what still comes from the server (read
from gunicorn's access log, so the service worker's own fetches count too)
against what the service worker answers from its cache.

    python -m benchmarks.b7_page_weight --scale small --out figures.jsonl
"""

import argparse
import os
import time
from urllib.parse import urlsplit

from benchmarks.common import Figure, figures_write
from benchmarks.http_load import PASSWORD, accounts, environment_apply, served

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
PHONE = {"width": 360, "height": 740}
LOG_PAGE = "/field/log/"
INDEX = "/field/households.json"
KB = 1024


def access_log_bytes(path, start: int) -> tuple[int, int, int]:
    """Bytes of response bodies logged after offset ``start``; requests; new end."""
    with open(path, "rb") as log:
        log.seek(start)
        lines = log.read().decode(errors="replace").splitlines()
        end = log.tell()
    total = 0
    for line in lines:
        size = line.rsplit(" ", 1)[-1]
        total += int(size) if size.isdigit() else 0
    return total, len(lines), end


def measure(server, username: str) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        try:
            # Signed in where no service worker may start (the field home the
            # login lands on would install one), then a fresh context with the
            # session only: an empty cache and no service worker yet.
            signing_in = browser.new_context(
                viewport=PHONE, base_url=server.url, service_workers="block"
            )
            page = signing_in.new_page()
            page.set_default_timeout(30_000)
            page.goto("/accounts/login/")
            page.fill("#id_login", username)
            page.fill("#id_password", PASSWORD)
            with page.expect_navigation():
                page.press("#id_password", "Enter")
            if "/accounts/login/" in page.url:
                raise RuntimeError("Could not sign in as %s." % username)
            session = signing_in.storage_state()
            signing_in.close()

            context = browser.new_context(
                viewport=PHONE, base_url=server.url, storage_state=session
            )
            page = context.new_page()
            page.set_default_timeout(30_000)
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            received = {}
            urls = {}
            answers = []
            page.on("response", lambda answer: answers.append(answer))
            cdp.on(
                "Network.responseReceived",
                lambda event: urls.__setitem__(
                    event["requestId"], event["response"]["url"]
                ),
            )
            cdp.on(
                "Network.loadingFinished",
                lambda event: received.__setitem__(
                    event["requestId"], event["encodedDataLength"]
                ),
            )
            response = page.goto(LOG_PAGE, wait_until="networkidle")
            if response is None or response.status != 200:
                raise RuntimeError("The log page answered %s." % response)
            first = dict(received)
            if any(answer.from_service_worker for answer in answers):
                raise RuntimeError("A service worker answered the first load.")
            sizes = sorted(
                ((size, urls.get(request, "?")) for request, size in first.items()),
                reverse=True,
            )

            # The service worker installs (precaches) after the first load.
            page.evaluate("navigator.serviceWorker.ready.then(() => true)")
            page.wait_for_function(
                "navigator.serviceWorker.controller !== null", timeout=30_000
            )
            time.sleep(1)  # its precache downloads finish
            _total, _count, mark = access_log_bytes(server.access_log, 0)
            answers.clear()
            page.reload(wait_until="networkidle")
            time.sleep(1)
            network, requests, _end = access_log_bytes(server.access_log, mark)
            from_worker = sum(1 for answer in answers if answer.from_service_worker)
        finally:
            browser.close()
    return {
        "first_bytes": sum(first.values()),
        "first_requests": len(first),
        "sizes": sizes,
        "repeat_network_bytes": network,
        "repeat_network_requests": requests,
        "repeat_from_worker": from_worker,
        "repeat_responses": len(answers),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small")
    parser.add_argument("--out")
    options = parser.parse_args()
    environment_apply()
    database_url = os.environ["DATABASE_URL"]
    logins = accounts(database_url)
    with served(database_url, label="page", worker=False, access_log=True) as server:
        found = measure(server, logins["member"])
    largest = ", ".join(
        "%s %.0f KB" % (urlsplit(url).path, size / KB)
        for size, url in found["sizes"][:3]
    )
    # The offline household index is fetched by the page's script, not the
    # page itself: shown apart, it tells which part is over budget.
    index = sum(size for size, url in found["sizes"] if INDEX in url)
    figures_write(
        options.out,
        [
            Figure(
                "B7", "log page first load, empty cache (wire)",
                found["first_bytes"] / KB, "KB", target=("<=", 150), on="value",
                note="%d requests, %.0f KB without %s; largest: %s; plain HTTP "
                "(gzip, no br)"
                % (
                    found["first_requests"],
                    (found["first_bytes"] - index) / KB,
                    INDEX,
                    largest,
                ),
            ),
            Figure(
                "B7", "log page reload, from the network",
                found["repeat_network_bytes"] / KB, "KB",
                note="%d of %d responses from the service worker; %d requests "
                "reached the server (bodies only)"
                % (
                    found["repeat_from_worker"],
                    found["repeat_responses"],
                    found["repeat_network_requests"],
                ),
            ),
        ],
    )  # fmt: skip


if __name__ == "__main__":
    main()
