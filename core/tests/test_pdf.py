"""Printed forms (core.pdf): both languages side by side, the shipped fonts, no fetching."""

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils.translation import gettext_lazy as _

from core import pdf
from core.testing import pdf_pages

FORM = engines["django"].from_string(
    "{% load i18n %}<h1>{% translate 'Resource request' %}</h1>"
    "<p>{% translate 'Status' %}: {{ value }}</p>"
    '<img src="https://example.com/tracker.png"><img src="file:///etc/passwd">'
    "{{ pdf_part }}<h2>{% translate 'Notes' %}</h2>"
    "{{ pdf_page }}<p>{% translate 'Signatures' %}</p>")
CONTEXT = {"value": "Ñandú 42"}


def render():
    return pdf.render_pdf(FORM, CONTEXT, title=_("Resource request"))


def test_both_languages_side_by_side_with_parts_and_pages():
    pages = pdf_pages(render())
    assert len(pages) == 2
    first, second = pages
    for words in (("Resource request", "Solicitud de recursos"), ("Status", "Situación"),
                  ("Notes", "Notas")):
        for word in words:
            assert word in first
    assert "Ñandú 42" in first
    # English on the left half of each line, Spanish on the right.
    assert first.index("Resource request") < first.index("Solicitud de recursos")
    assert "Signatures" in second and "Firmas" in second
    assert "Resource request / Solicitud de recursos" in first  # the title in the footer


def test_html_pairs_each_english_part_with_its_spanish_part():
    html = pdf.render_html(FORM, CONTEXT, title=_("Resource request"))
    assert html.count('<td lang="en">') == html.count('<td lang="es">') == 3
    assert html.count('class="page-break"') == 1


def test_text_is_set_in_the_shipped_font_only():
    from io import BytesIO

    from pypdf import PdfReader

    fonts = set()
    for page in PdfReader(BytesIO(render())).pages:
        fonts |= {f["/BaseFont"].split("+", 1)[-1] for f in page["/Resources"]["/Font"].values()}
    assert fonts == {"Enlace-Sans", "Enlace-Sans-Bold"}


@pytest.mark.parametrize("url", [
    "https://example.com/static/core/pdf.css",
    "http://enlace.invalid/static/core/pdf.css",
    "file:///etc/passwd",
    "data:text/plain,hello",
    pdf.BASE_URL + "static/../../etc/passwd",
    pdf.BASE_URL + "static/core/%2e%2e/%2e%2e/settings.py",
    pdf.BASE_URL + "static/core/no-such-file.css",
    pdf.BASE_URL + "admin/",
])
def test_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(ValueError):
        pdf.static_fetcher().fetch(url)


def test_fetcher_serves_static_files():
    response = pdf.static_fetcher().fetch(pdf.static_prefix() + "core/fonts/DejaVuSans.ttf")
    assert response.read(4) == b"\x00\x01\x00\x00"
    response.close()


def test_response_is_an_inline_pdf_with_a_sensible_name(us_coordinator):
    request = RequestFactory().get("/")
    request.user = us_coordinator
    response = pdf.pdf_response(request, FORM, CONTEXT, title=_("Resource request"),
                                filename=pdf.pdf_filename("ICS-213RR", "REQ 7"))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="ics-213rr-req-7.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert "Solicitud de recursos" in pdf_pages(response)[0]


def test_filename_from_any_words():
    assert pdf.pdf_filename("ICS 211", "Otay Mesa — día 2") == "ics-211-otay-mesa-dia-2.pdf"
    assert pdf.pdf_filename("", None) == "form.pdf"
