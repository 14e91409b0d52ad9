"""What every page shares: one pager for every list (first, previous, the numbers around this
page, next, last, keeping the filters), badges that are red only for a problem, and long
unbroken text that wraps."""

import re
from pathlib import Path

from django.conf import settings
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory

CSS = Path(settings.BASE_DIR, "web/static/web/enlace.css").read_text()


def pager(number, url="/personnel/?unit=1-184IN&page=90"):
    page = Paginator(range(4500), 25).page(number)  # the roster: 180 pages
    return render_to_string("core/_pagination.html",
                            {"page": page, "request": RequestFactory().get(url)})


def test_the_pager_reaches_every_page_and_keeps_the_filters():
    html = pager(90)
    for label, page in (("First", 1), ("Previous", 89), ("88", 88), ("92", 92), ("Next", 91),
                        ("Last", 180), ("180", 180)):
        assert re.search(rf'href="\?unit=1-184IN&amp;page={page}"[^>]*>{label}</a>', html), label
    assert '<span aria-current="page">90</span>' in html
    assert "…" in html  # the pages between 2 and 87 are elided, not 180 links
    assert len(re.findall(r"<a ", html)) < 12


def test_the_first_and_last_pages_offer_only_the_other_way():
    first, last = pager(1, "/personnel/"), pager(180, "/personnel/?page=180")
    assert "Previous" not in first and "First" not in first and ">Last</a>" in first
    assert "Next" not in last and "Last" not in last and ">First</a>" in last


def test_every_list_uses_the_one_pager():
    templates = [p for p in Path(settings.BASE_DIR).glob("*/templates/**/*.html")
                 if ".venv" not in p.parts]
    own = [p for p in templates if "next_page_number" in p.read_text()
           or "previous_page_number" in p.read_text()]
    assert [p.name for p in own] == ["_pagination.html"]


def test_a_badge_is_red_only_for_a_problem():
    flag = re.search(r"^\.flag \{([^}]*)\}", CSS, re.M).group(1)
    assert "--bad" not in flag  # a state such as "Active" or "Mobilizing" is not an alarm
    assert re.search(r"^\.flag\.bad \{[^}]*--bad", CSS, re.M)


def test_long_unbroken_text_wraps():
    assert re.search(r"^td, dd, p, li[^{]*\{[^}]*overflow-wrap: anywhere", CSS, re.M)


def test_column_headings_never_break_inside_a_word():
    # `anywhere` on a heading lets the table squeeze it to "Hech-o" over a narrow column.
    assert not re.search(r"^main \{[^}]*overflow-wrap: anywhere", CSS, re.M)
    assert re.search(r"^th \{[^}]*overflow-wrap: normal", CSS, re.M)
