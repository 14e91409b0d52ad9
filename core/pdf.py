"""Printed forms: a Django template as a PDF with English and Spanish side by side.

`render_pdf` renders the template's body once per language (under `translation.override`, so
gettext, dates and numbers follow each language) and sets the two renderings in the two halves
of each US Letter landscape page, English on the left, with one stylesheet
(`core/static/core/pdf.css`, plus any the caller adds) and the DejaVu Sans shipped in
`core/static/core/fonts/`, so a form sets the same way on every machine. A template may cut
its body into parts with `PART` (each English part faces its Spanish part, so a long form's
sections stay level across the pages) and start a new page with `PAGE`.

WeasyPrint fetches nothing from the network: `static_fetcher()` serves the app's own static files
(found as `{% static %}` names them) and refuses every other URL, so a value that looks like a
link or an image in a record cannot make the server fetch anything.

`pdf_response` answers a view with the PDF inline, under a filename built by `pdf_filename`.
"""

import functools
import logging
import mimetypes
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.text import slugify

# Where a template's relative and root-relative URLs point while it is rendered; nothing
# answers there (.invalid is reserved), only `static_fetcher()` reads it.
BASE_URL = "https://enlace.invalid/"
LANGUAGES = ("en", "es")
# Put these, as they are, between parts of a form's body (see the module's docstring).
PART = "<!-- pdf:part -->"
PAGE = "<!-- pdf:page -->"
# (templates write them as {{ pdf_part }} and {{ pdf_page }})


def _weasyprint():
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # a line per step
    import weasyprint  # noqa: PLC0415 — loads Pango; only the processes that print need it
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415

    return weasyprint, FontConfiguration


def static_prefix():
    return urljoin(BASE_URL, static(""))


def static_file(url):
    """The path on disk of the static file `url` names, or None: only URLs under the static
    prefix, without `..`, that a static finder knows."""
    prefix = static_prefix()
    if not url.startswith(prefix):
        return None
    name = unquote(urlsplit(url[len(prefix):]).path)
    parts = PurePosixPath(name).parts
    if not parts or ".." in parts or name.startswith("/"):
        return None
    found = finders.find(name)
    return found if isinstance(found, str) else None


@functools.cache
def _fetcher_class():
    weasyprint, _fonts = _weasyprint()

    class StaticFetcher(weasyprint.URLFetcher):
        """WeasyPrint's URL fetcher for the forms: the app's static files, nothing else."""

        def fetch(self, url, headers=None):
            path = static_file(url)
            if path is None:
                raise ValueError(f"not one of this site's static files: {url[:200]}")
            with open(path, "rb") as f:
                body = f.read()
            kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return weasyprint.urls.URLFetcherResponse(url, body, {"Content-Type": kind})

    return StaticFetcher


def static_fetcher():
    """A URL fetcher that serves `static_file`s and refuses every other URL (WeasyPrint then
    leaves that image or stylesheet out and logs a warning)."""
    return _fetcher_class()(allowed_protocols=("https",), allow_redirects=False)


def _parts(html):
    """A rendering cut at PART and PAGE: [(html, starts_a_page), ...]."""
    parts = []
    for page_number, page in enumerate(html.split(PAGE)):
        for part_number, part in enumerate(page.split(PART)):
            parts.append({"html": mark_safe(part),  # noqa: S308 — the template's own output
                          "page_break": page_number > 0 and part_number == 0})
    return parts


def render_html(template, context=None, *, title, request=None, record=None, stylesheets=()):
    """The bilingual HTML document `render_pdf` prints: `template` (a name or a loaded
    template) rendered with `context` once per language, side by side. `context` is a dict,
    or a function of no arguments returning one, called once per language under that
    language (for values composed in the reader's language, such as a notice's text). `title`
    (a lazy string) names the document in both languages. Given a marked `record`, each half
    starts with its marking."""
    template = get_template(template) if isinstance(template, str) else template
    renderings, titles = {}, []
    for code in LANGUAGES:
        with translation.override(code):
            values = context() if callable(context) else context or {}
            body = template.render({**values, "language_code": code,
                                    "pdf_part": mark_safe(PART), "pdf_page": mark_safe(PAGE)},
                                   request)
            if record is not None:
                marking = render_to_string("core/pdf/_marking.html", {"record": record})
                body = marking + body
            renderings[code] = _parts(body)
            if str(title) not in titles:
                titles.append(str(title))
    en, es = renderings["en"], renderings["es"]
    if len(en) != len(es):  # a part only one language has: keep it, facing a blank
        blank = {"html": "", "page_break": False}
        en += [blank] * (len(es) - len(en))
        es += [blank] * (len(en) - len(es))
    return render_to_string("core/pdf/document.html", {
        "title": " / ".join(titles), "parts": list(zip(en, es, strict=True)),
        "stylesheets": stylesheets, "language_code": "en"})


def render_pdf(template, context=None, *, title, request=None, record=None, stylesheets=()):
    """`template` with `context` as a PDF (bytes), English and Spanish side by side: see
    `render_html`."""
    weasyprint, font_configuration = _weasyprint()
    html = render_html(template, context, title=title, request=request, record=record,
                       stylesheets=stylesheets)
    fonts = font_configuration()
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=static_fetcher())
    return document.write_pdf(font_config=fonts)


def pdf_filename(*words):
    """A download name from `words`: pdf_filename("ICS-213RR", "REQ 7") -> ics-213rr-req-7.pdf."""
    stem = "-".join(filter(None, (slugify(str(w)) for w in words if w is not None))) or "form"
    return f"{stem[:120]}.pdf"


def pdf_response(request, template, context=None, *, title, filename, record=None,
                 stylesheets=()):
    """A view's answer: the form as a PDF shown inline (the browser's viewer prints or saves
    it as `filename`)."""
    data = render_pdf(template, context, title=title, request=request, record=record,
                      stylesheets=stylesheets)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = "private, no-store"
    return response
