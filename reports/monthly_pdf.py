"""The monthly reports as PDF documents, laid out on A4 to print and sign.

WeasyPrint lays out a Django template. Nothing is fetched while it does: the
style is in the template and the font is the system's DejaVu Sans (which
covers Vietnamese), and the fetcher refuses every address but ``data:``, so
a name typed into a report cannot make the server reach the network.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.template.loader import render_to_string

if TYPE_CHECKING:
    from weasyprint import Document

PDF = "application/pdf"


def monthly_document(context: dict) -> Document:
    """The report laid out in pages (``context`` as the report's page has it)."""
    # Imported here: WeasyPrint parses its stylesheets on import, which every
    # process would pay at start for a download few ask for.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("reports/monthly_pdf.html", context)
    fetcher = URLFetcher(allowed_protocols=("data",), fail_on_errors=False)
    return HTML(string=html, url_fetcher=fetcher).render()


def monthly_pdf_response(context: dict, code: str) -> HttpResponse:
    filename = "bao-cao-thang_%s_%s.pdf" % (code, context["month"].strftime("%Y-%m"))
    response = HttpResponse(monthly_document(context).write_pdf(), content_type=PDF)
    response["Content-Disposition"] = 'attachment; filename="%s"' % filename
    return response
