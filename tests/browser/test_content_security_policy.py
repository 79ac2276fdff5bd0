"""Every page runs under a Content Security Policy with no inline scripts:
the field pages, the dashboards and the admin show no violation."""

import io

import pytest
from django.core.management import call_command

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo1234"
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""
PAGES = {
    "thanhvien.badinh": [
        "/field/",
        "/field/log/",
        "/field/sessions/",
        "/field/training/",
    ],
    "phuong.badinh": [
        "/dashboard/",
        "/admin/",
        "/admin/households/household/",
        "/admin/households/household/add/",
        "/admin/households/household/import/",
        "/admin/assistance/assistancesession/",
        "/admin/teams/member/",
    ],
    "tinh.hanoi": ["/dashboard/", "/admin/areas/ward/"],
}


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())


@pytest.mark.parametrize("username", list(PAGES))
def test_pages_run_without_a_policy_violation(demo, desktop_page, username):
    page = desktop_page
    page.add_init_script(WATCH)
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    sign_in(page, username, PASSWORD)

    found = {}
    for path in PAGES[username]:
        response = page.goto(path)
        page.wait_for_load_state("networkidle")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        violations = page.evaluate("window.__violations")
        refused = [text for text in messages if "Content Security Policy" in text]
        if violations or refused:
            found[path] = violations + refused
        messages.clear()

    assert found == {}


def test_an_inline_script_would_be_refused(demo, desktop_page, live_server):
    """The policy is enforced, not only sent: a script slipped into a page
    does not run."""
    page = desktop_page
    page.add_init_script(WATCH)
    sign_in(page, "phuong.badinh", PASSWORD)
    page.goto("/dashboard/")

    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__ran = true";
          document.body.appendChild(script);
        }"""
    )

    assert page.evaluate("window.__ran === true") is False
    assert any("script-src" in text for text in page.evaluate("window.__violations"))
