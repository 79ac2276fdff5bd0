"""Pages travel compressed to phones that ask, as the field page budget assumes."""

import gzip

import pytest

pytestmark = pytest.mark.django_db


def test_a_page_is_gzip_compressed_for_a_browser_that_accepts_it(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_ENCODING="gzip, deflate")

    assert response["Content-Encoding"] == "gzip"
    assert "Đăng nhập" in gzip.decompress(response.content).decode()
    assert "Accept-Encoding" in response["Vary"]


def test_a_client_that_does_not_ask_gets_the_page_as_it_is(client):
    response = client.get("/accounts/login/")

    assert not response.has_header("Content-Encoding")
    assert "Đăng nhập" in response.text
