"""The monthly reports as PDFs, laid out on A4, read back from their pages."""

import datetime

import pytest

from reports import monthly_pdf
from reports.models import MonthlyReport
from reports.monthly import monthly_report_approve
from reports.services import stats_recompute
from tests.assistance.factories import SessionFactory

pytestmark = pytest.mark.django_db

A4 = (793.7, 1122.5)  # CSS pixels: 210 × 297 mm


@pytest.fixture
def worked(area, day_in):
    for hours in (0, 1):
        SessionFactory(
            team=area.team, started_at=day_in + datetime.timedelta(hours=hours)
        )
    stats_recompute()


@pytest.fixture
def laid_out(monkeypatch):
    """The documents the views lay out, kept to read their pages' text back."""
    documents = []
    make = monthly_pdf.monthly_document

    def keep(context):
        documents.append(make(context))
        return documents[-1]

    monkeypatch.setattr(monthly_pdf, "monthly_document", keep)
    return documents


def text_of(document) -> str:
    def texts(box):
        if getattr(box, "text", None):
            yield box.text
        for child in getattr(box, "children", None) or []:
            yield from texts(child)

    return " ".join(text for page in document.pages for text in texts(page._page_box))


def test_the_ward_report_downloads_as_a_pdf_to_sign(
    client, official, area, month, worked, submitted, laid_out
):
    MonthlyReport.objects.filter(pk=submitted.pk).update(difficulties="Thiếu máy")
    client.force_login(official)

    response = client.get("/dashboard/monthly/", {"export": "pdf"})

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="bao-cao-thang_%s_%s.pdf"'
        % (area.ward.pk, month.strftime("%Y-%m"))
    )
    assert response.content.startswith(b"%PDF-")
    (document,) = laid_out
    page = document.pages[0]
    assert (round(page.width, 1), round(page.height, 1)) == A4
    text = text_of(document)
    assert "PHƯỜNG BA ĐÌNH" in text
    assert "Tháng %s" % month.strftime("%m/%Y") in text
    assert "Lượt hỗ trợ 2" in text
    assert "Thiếu máy" in text
    assert "Chủ tịch UBND xã, phường" in text  # the signature block
    assert "(ký, ghi rõ họ tên)" in text


def test_the_provinces_report_downloads_as_a_pdf(
    client, province_staff, area, month, worked, submitted, laid_out
):
    monthly_report_approve(user=province_staff, report=submitted)
    client.force_login(province_staff)

    response = client.get(
        "/dashboard/monthly/province/",
        {"month": month.strftime("%Y-%m"), "export": "pdf"},
    )

    assert response.content.startswith(b"%PDF-")
    text = text_of(laid_out[0])
    assert "THÀNH PHỐ HÀ NỘI" in text
    assert "Tháng %s" % month.strftime("%m/%Y") in text
    assert "Lượt hỗ trợ 2" in text
    assert "%s 2" % area.ward.name in text  # its row in the table by ward
    assert area.neighbour_ward.name in text  # missing
