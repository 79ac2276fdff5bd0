"""Each page a user relies on passes axe-core's WCAG 2.0/2.1 A and AA rules
(and its best practices) with no critical or serious violation, on a phone
and on a desktop screen.

axe-core is vendored for the tests only (tests/browser/vendor/axe-core/) and
injected into the page after it loads; it is never served by the platform.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from households.models import Household
from reports.monthly import previous_month
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"  # as tests/browser/vendor/axe-core/README.md names it
# WCAG 2.0 and 2.1, levels A and AA, and axe's best practices beside them
# (a form field labelled only by a title or an icon is one of those).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = {"critical", "serious"}
DEMO_PASSWORD = "demo1234"
WIDTHS = {
    "360": {"width": 360, "height": 740},
    "1366": {"width": 1366, "height": 768},
}
# (test id, demo user signed in or None, path; "{household}" is a household
# of the ward official's own ward)
PAGES = [
    ("sign-in", None, "/accounts/login/"),
    ("field-home", "totruong.badinh", "/field/"),
    ("field-log", "totruong.badinh", "/field/log/"),
    ("field-recent", "totruong.badinh", "/field/sessions/"),
    ("field-follow-ups", "totruong.badinh", "/field/follow-ups/"),
    ("field-visits", "totruong.badinh", "/field/visits/"),
    ("field-workshop", "totruong.badinh", "/field/training/workshop/"),
    ("field-household-new", "thanhvien.badinh", "/field/households/new/"),
    ("dashboard-ward", "phuong.badinh", "/dashboard/ward/00004/"),
    ("dashboard-province", "tinh.hanoi", "/dashboard/province/01/"),
    ("dashboard-national", "admin", "/dashboard/national/"),
    ("admin-household-list", "phuong.badinh", "/admin/households/household/"),
    (
        "admin-household-change",
        "phuong.badinh",
        "/admin/households/household/{household}/change/",
    ),
    ("monthly-report-ward", "phuong.badinh", "/dashboard/monthly/"),
    ("monthly-reports-province", "tinh.hanoi", "/dashboard/monthly/wards/"),
    ("monthly-report-review", "tinh.hanoi", "/dashboard/monthly/00004/{month}/"),
    ("monthly-report-of-province", "tinh.hanoi", "/dashboard/monthly/province/"),
]


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())


@pytest.fixture(params=list(WIDTHS), ids=lambda width: "%spx" % width)
def page(request, browser, live_server):
    # The platform's Content-Security-Policy rightly refuses an injected
    # script; the test's browser alone sets it aside to run axe-core.
    context = browser.new_context(
        viewport=WIDTHS[request.param], base_url=live_server.url, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    assert page.evaluate("axe.version") == AXE_VERSION
    return page.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags}})
            .then(results => results.violations)""",
        AXE_TAGS,
    )


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            "%s (%s): %s" % (violation["id"], violation["impact"], violation["help"])
        )
        for node in violation["nodes"]:
            lines.append("    %s" % " ".join(map(str, node["target"])))
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("username", "path"),
    [pytest.param(username, path, id=name) for name, username, path in PAGES],
)
def test_page_has_no_critical_or_serious_accessibility_violation(
    demo, page, live_server, username, path
):
    if username:
        sign_in(page, username, DEMO_PASSWORD)
    if "{household}" in path:
        household = Household.objects.filter(ward__code="00004").first()
        path = path.format(household=household.pk)
    if "{month}" in path:
        path = path.format(month=previous_month(timezone.localdate()).strftime("%Y-%m"))
    response = page.goto(path)
    page.wait_for_load_state("networkidle")
    assert response.status == 200
    assert page.url == live_server.url + path  # not sent back to sign in

    violations = axe_violations(page)

    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, "axe-core found on %s:\n%s" % (path, describe(blocking))
