"""Not one English word in the Vietnamese admin, for any role that uses it.

Every page the admin offers a national administrator, province staff and a
ward official is opened over the demo data, and its text, titles, labels,
placeholders and button values are read for English: a message of Django's,
a library's or the project's catalogues whose Vietnamese differs, or a common
English word of admin pages. What the rows themselves say (names, the
English names of services) is data, not the admin's words.
"""

import json
import re
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.core.management import call_command

from accounts.models import Role, User
from tests.accounts.admin_pages import EnglishFinder, admin_pages, page_texts

pytestmark = pytest.mark.django_db

ADMIN_SCRIPTS = Path(django.__file__).parent / "contrib/admin/static/admin/js"
SCRIPT_MESSAGE = re.compile(
    r"""\b(n?gettext)\(\s*(['"])((?:\\.|(?!\2).)*)\2""", re.DOTALL
)


@pytest.fixture
def demo(capsys):
    call_command("seed_demo", allow_without_debug=True)
    capsys.readouterr()


@pytest.mark.parametrize("username", ["admin", "tinh.hanoi", "phuong.badinh"])
def test_every_admin_page_of_the_role_is_wholly_vietnamese(client, demo, username):
    user = User.objects.get(username=username)
    client.force_login(user)
    finder = EnglishFinder()
    english = {}
    pages = admin_pages(user)

    for url in pages:
        # A row of an approved month cannot be deleted: its delete page leads
        # back to the row, with the refusal (in Vietnamese too) on top.
        response = client.get(url, follow=url.endswith("/delete/"))
        assert response.status_code == 200, url
        for text in page_texts(response.text):
            why = finder.english_in(text)
            if why:
                english.setdefault((text, why), url)

    assert len(pages) > 60  # the walk reached the models' pages
    assert english == {}


def test_the_finder_flags_english_and_passes_vietnamese(demo):
    finder = EnglishFinder()

    assert finder.english_in("Show counts")
    assert finder.english_in("Select all objects on this page for an action")
    assert finder.english_in("Choose thành viên by selecting them")
    assert finder.english_in("Email addresses")
    assert finder.english_in("Lượt hỗ trợ theo thành viên và ngàys: 25")
    assert finder.english_in("Hiện số lượng") is None
    assert finder.english_in("Nguyễn Văn An") is None
    assert finder.english_in("Kích hoạt VNeID mức 2") is None


def test_page_texts_read_labels_titles_and_buttons_but_not_scripts():
    html = (
        '<a title="Xem" aria-label="Mở">Hộ</a><input type="submit" value="Lưu">'
        '<input type="text" value="dữ liệu"><img alt="Tìm">'
        "<script>var skip = 'Show';</script><textarea>ghi chú</textarea>"
    )

    assert page_texts(html) == ["Xem", "Mở", "Hộ", "Lưu", "Tìm"]


def admin_script_messages() -> set[str]:
    messages = set()
    for script in ADMIN_SCRIPTS.glob("*.js"):
        for match in SCRIPT_MESSAGE.finditer(script.read_text()):
            messages.add(match.group(3).replace("\\'", "'").replace('\\"', '"'))
    return messages


def script_catalogue(client) -> dict:
    response = client.get("/admin/jsi18n/")
    assert response.status_code == 200
    found = re.search(r"const newcatalog = (\{.*?\});", response.text, re.DOTALL)
    return json.loads(found.group(1))


def test_the_admin_scripts_catalogue_has_every_message_in_vietnamese(client, users):
    client.force_login(users[Role.WARD])

    catalogue = script_catalogue(client)

    messages = admin_script_messages()
    assert "Choose all %s" in messages  # the member picker's
    assert sorted(message for message in messages if message not in catalogue) == []


def test_the_member_picker_speaks_vietnamese(client, users):
    client.force_login(users[Role.WARD])

    catalogue = script_catalogue(client)

    assert catalogue["Choose all %s"] == "Chọn tất cả %s"
    assert catalogue["Remove all %s"] == "Bỏ tất cả %s"
    assert catalogue["%s selected option not visible"] == ["%s mục đã chọn đang bị ẩn"]


def test_an_english_session_keeps_the_scripts_in_english(client, users):
    client.force_login(users[Role.WARD])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/admin/jsi18n/")

    assert response.status_code == 200
    assert "Choose all %s" not in response.text  # no catalogue entry: English


def test_the_import_page_offers_xlsx_first_and_no_blank_format(client, users):
    client.force_login(users[Role.WARD])

    response = client.get("/admin/households/household/import/")

    field = response.context["form"]["format"]
    assert [label for _value, label in field.field.choices] == ["xlsx", "csv"]
    assert '<option value="0" selected>xlsx</option>' in response.text
    assert "---" not in response.text


def test_the_export_page_names_columns_in_vietnamese_only(client, users):
    client.force_login(users[Role.WARD])

    response = client.get("/admin/households/household/export/")

    assert "Họ tên chủ hộ" in response.text
    assert "Head Name" not in response.text


def test_the_admin_has_no_second_accounts_heading_for_email_addresses(client, users):
    client.force_login(users[Role.NATIONAL])

    index = client.get("/admin/")

    labels = [app["app_label"] for app in index.context["app_list"]]
    assert "account" not in labels
    assert client.get("/admin/account/emailaddress/").status_code == 404
