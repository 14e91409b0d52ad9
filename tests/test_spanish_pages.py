"""Every app's pages, rendered in Spanish, show no English text the code means to translate.

The catalog tests check the catalog; this one checks what a Spanish reader sees. Each app's pages
without arguments (lists, dashboards, forms) and the detail pages of records of both nations are
rendered for a US coordinator and a Mexican liaison with Spanish as their language, and their
visible text (no tags, scripts, styles or attributes, nor what is marked `lang="en"`) must not
contain the English of a translatable string: a catalog entry whose Spanish differs, or a string
passed to a translation function under a name makemessages does not know (`_lazy("Mark ready")`),
which never reaches the catalog at all.
"""

import ast
import re
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.urls import NoReverseMatch, get_resolver, reverse

from border.services.events import add_timeline_entry
from border.services.sitreps import submit_section
from border.tests.factories import MEXICALI
from border.tests.factories import report as report_border_event
from border.tests.sitrep_factories import filled, make_sitrep, section
from engagements.tests.aar_factories import make_report
from engagements.tests.factories import make_engagement, make_person
from exercises.services import conduct as exercise_conduct
from exercises.tests.factories import (
    STARTEX,
    add_inject,
    add_objective,
    make_exercise,
    make_exercise_engagement,
)
from interop.services import import_alert
from interop.tests.samples import alert_bytes
from partnerships.tests.factories import make_agreement as make_partnership_agreement
from partnerships.tests.factories import make_assessment, make_measurement, make_program
from personnel.tests.factories import make_member, make_order
from response.tests.factories import (
    add_roster_member,
    make_agreement,
    make_deployment,
    make_incident,
    make_offer,
    make_request,
    make_unit,
)

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
APPS = ("accounts", "partnerships", "engagements", "personnel", "response", "border", "exercises",
        "interop", "web")
SKIPPED_DIRS = {".venv", "var", "node_modules", "migrations", "tests", "__pycache__"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\{\s*\w+\s*\}\}")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


def telling(text):
    """Long enough and with a space: English a reader would notice, not a code or a name that
    reads the same in both languages."""
    literal = PLACEHOLDER.sub("", text)
    return len(literal) >= 12 and " " in literal.strip()


class Literal(str):
    """A msgid without placeholders, found as it is (faster than a pattern)."""

    def search(self, text):
        start = text.find(self)
        return None if start < 0 else Found(start, start + len(self))


class Found:
    def __init__(self, start, end):
        self.span = lambda: (start, end)


def as_pattern(msgid):
    """The msgid as it renders (in text whose whitespace is collapsed): a placeholder stands for
    a short run of anything."""
    parts = [" ".join(p.split()) for p in PLACEHOLDER.split(msgid)]
    if len(parts) == 1:
        return Literal(parts[0])
    return re.compile(r".{1,80}?".join(re.escape(p) for p in parts))


def catalog_english():
    """The English of every catalog entry whose Spanish differs."""
    found = set()
    for entry in polib.pofile(str(CATALOG)):
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            pairs = [(entry.msgid, entry.msgstr_plural.get(0)),
                     (entry.msgid_plural, entry.msgstr_plural.get(1))]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        found |= {english for english, spanish in pairs if spanish and spanish != english}
    return found


def translated_in_code():
    """Literal strings passed to a function of django.utils.translation, whatever name it is
    imported under (`gettext_lazy as _lazy` included)."""
    found = set()
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if SKIPPED_DIRS.intersection(parts) or parts[0].startswith("."):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {alias.asname or alias.name: alias.name
                 for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
                 for alias in node.names if "gettext" in alias.name}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id in names:
                index = 1 if names[node.func.id].startswith(("pgettext", "npgettext")) else 0
                args = node.args[index:index + 1]
                if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
                    found.add(args[0].value)
    return found


def english_patterns():
    spanish = {e.msgid: e.msgstr for e in polib.pofile(str(CATALOG)) if not e.obsolete}
    # A string of the code the catalog leaves as it is (a name, "Enlace") is not English text.
    from_code = {s for s in translated_in_code() if spanish.get(s, "") != s}
    return [(english, as_pattern(english))
            for english in sorted(catalog_english() | from_code) if telling(english)]


class VisibleText(HTMLParser):
    """The text a reader sees: no scripts or styles, nothing inside an element marked English.
    Nor the history: it shows values as they were written, in the writer's language."""

    def __init__(self):
        super().__init__()
        self.open = []  # (tag, hidden)
        self.chunks = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attrs = dict(attrs)
        hidden = (tag in ("script", "style", "template")
                  # The page's own language is the one under test: only what it marks as
                  # English inside it is left out.
                  or (tag != "html" and (attrs.get("lang") or "").startswith("en"))
                  or {"history", "activity"} & set((attrs.get("class") or "").split()))
        self.open.append((tag, hidden or bool(self.open and self.open[-1][1])))

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not (self.open and self.open[-1][1]):
            self.chunks.append(data)

    def text(self):
        return " ".join(" ".join(self.chunks).split())


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    return parser.text()


def pages_without_arguments():
    resolver = get_resolver()
    for namespace, (_prefix, sub) in resolver.namespace_dict.items():
        if namespace not in APPS:
            continue
        for name in sub.reverse_dict:
            if isinstance(name, str):
                try:
                    yield reverse(f"{namespace}:{name}")
                except NoReverseMatch:
                    continue


def test_visible_text_leaves_out_markup_scripts_and_english_elements():
    html = ('<p title="Mark ready">Marcar <b>como</b> lista</p><script>var a = "Zoom in";'
            '</script><td lang="en">Hand crew, Type 1<br>Sacramento</td><img alt="x"><p>Fin</p>'
            '<section class="history"><td>Letter of intent</td></section>')
    assert visible_text(html) == "Marcar como lista Fin"


def test_the_check_finds_english_under_any_gettext_name():
    """The strings once hidden behind `_lazy` are among what is looked for, placeholders
    and all."""
    patterns = dict(english_patterns())
    assert patterns["Host government notified in advance"].search(
        "Lista: Host government notified in advance ✓")
    assert as_pattern("Day %(day)s of %(limit)s on\nassignment.").search(
        "Day 3 of 14 on assignment.")


@pytest.fixture
def records(us_coordinator, mx_liaison):
    """Records of both nations, released to each other, in every app."""
    us, mx = us_coordinator, mx_liaison
    partnership, line, objective, indicator = make_program(us)
    engagement = make_engagement(us, partnership, title="Wildfire exchange")
    executed = make_engagement(us, partnership, title="Search and rescue exercise",
                               start=date(2025, 3, 3))
    incident = make_incident(us)
    request = make_request(us, incident)
    agreement = make_agreement(us, mx, request=request,
                               offer=make_offer(mx, request, rel_to=("USA",)))
    deployment = make_deployment(mx, agreement)
    add_roster_member(deployment)
    member = make_member("A1001")
    border_event = report_border_event(us, severity="severe", claimed_side="USA")
    add_timeline_entry(mx, border_event, kind="action", language="es", text="Brigadas listas.")
    drill = report_border_event(mx, title="Simulacro", kind="earthquake", point=MEXICALI,
                                is_exercise=True, rel_to=("USA",))
    published = make_sitrep(us, border_event)
    submit_section(us, section(us, published, "USA"), **filled("USA"))
    submit_section(mx, section(mx, published, "MEX"), **filled("MEX"))
    draft = make_sitrep(mx, border_event, hours=(2, 3))
    alert, _new = import_alert(us, alert_bytes(), rel_to=[mx.nation], disclosure="approved")
    exercise = make_exercise(us, make_exercise_engagement(us, partnership=partnership,
                                                          title="Tecate wildfire TTX"))
    add_objective(us, exercise, text="Notify the counterpart within fifteen minutes")
    inject = add_inject(us, exercise, 0, receivers=("DEFENSA", "CalGuard"))
    add_inject(us, exercise, 60, text="Hazmat truck in the port queue")
    exercise_conduct.conduct(us, exercise, "start", now=STARTEX)
    exercise_conduct.deliver_due(now=STARTEX + timedelta(minutes=1))
    exercise_conduct.respond(mx, inject, text="Recibido; brigada en camino", language="es")
    return {
        us: [partnership, line, objective, indicator, make_measurement(us, indicator, 10,
             date(2025, 3, 1)), make_assessment(us, partnership),
             # Record content, not a UI string: it must not read like one ("Letter of intent").
             make_partnership_agreement(us, partnership, title_en="Wildfire cooperation 2026"),
             engagement,
             make_person(us, "Ana Soto"), make_report(executed), incident, request,
             make_unit(us), agreement, deployment, member, make_order([member], us),
             border_event, drill, published, draft, alert, exercise, inject],
        mx: [partnership, engagement, incident, request, agreement.offer, agreement, deployment,
             make_unit(mx, name="Brigada 12"), border_event, drill, published, draft,
             alert, exercise, inject],
    }


def test_the_check_finds_the_english_of_an_english_page(records, client_for, mx_liaison):
    """What the Spanish check looks for is there when the same page is English."""
    deployment = next(r for r in records[mx_liaison] if r._meta.model_name == "deployment")
    client = client_for(mx_liaison, HTTP_ACCEPT_LANGUAGE="en")
    text = visible_text(client.get(deployment.get_absolute_url()).content.decode())
    found = {english for english, pattern in english_patterns() if pattern.search(text)}
    assert {"Host government notified in advance", "Crossing checklist"} <= found


def test_pages_in_spanish_show_no_english_from_the_catalog(records, client_for):
    patterns = english_patterns()
    found, checked = [], 0
    for user, own in records.items():
        client = client_for(user, HTTP_ACCEPT_LANGUAGE="es")
        client.raise_request_exception = False  # a broken page is listed with the rest
        urls = ["/", *pages_without_arguments(),
                *(r.get_absolute_url() for r in own if hasattr(r, "get_absolute_url"))]
        for url in dict.fromkeys(urls):
            response = client.get(url)
            if response.status_code >= 500:
                found.append(f"{user.username} {url}: error {response.status_code}")
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            checked += 1
            text = visible_text(response.content.decode())
            for english, pattern in patterns:
                if match := pattern.search(text):
                    start, end = match.span()
                    found.append(f"{user.username} {url}: {english!r} in "
                                 f"“…{text[max(0, start - 40):end + 40]}…”")
    assert checked >= 40, f"only {checked} pages rendered"
    assert not found, "English on Spanish pages:\n" + "\n".join(sorted(set(found)))
