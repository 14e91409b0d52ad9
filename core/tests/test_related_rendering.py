"""A related record in a template (core.related.Shown) renders as a link to its page for a
reader who may see it, and as the withheld text — no link, no name — for one who may not."""

from django.template import engines
from django.utils import translation

from core.related import NOT_RELEASED, shown
from response.tests.factories import make_incident

NAME = "<script>alert(1)</script> Fire"


def _render(text, **context):
    return engines["django"].from_string("{% load enlace %}" + text).render(context)


def _us_only_incident(persona_of):
    return make_incident(persona_of("duty_officer", "USA"), name=NAME, rel_to=())


def test_a_record_the_reader_may_see_renders_as_a_link_to_its_page(persona_of):
    incident = _us_only_incident(persona_of)
    with translation.override("en"):
        html = _render("{{ incident }}", incident=shown(persona_of("duty_officer", "USA"),
                                                        incident))
    assert html == (f'<a href="{incident.get_absolute_url()}">'
                    "&lt;script&gt;alert(1)&lt;/script&gt; Fire</a>")


def test_a_record_not_released_renders_the_withheld_text_without_link_or_name(persona_of):
    incident = _us_only_incident(persona_of)
    with translation.override("es"):
        item = shown(persona_of("duty_officer", "MEX"), incident)
        html = _render('{{ incident }} {{ incident|linked_as:"report" }}', incident=item)
        withheld = str(NOT_RELEASED)
    withheld_html = f'<span class="not-released">{withheld}</span>'
    assert html == f"{withheld_html} {withheld_html}"
    assert str(item) == withheld


def test_a_link_may_read_its_own_text_escaped(persona_of):
    incident = _us_only_incident(persona_of)
    html = _render('{{ incident|linked_as:label }}', label="<b>report</b>",
                   incident=shown(persona_of("duty_officer", "USA"), incident))
    assert html == f'<a href="{incident.get_absolute_url()}">&lt;b&gt;report&lt;/b&gt;</a>'
