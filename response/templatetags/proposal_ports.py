"""The status board's notes on an allocation proposal: which ports the optimizer took from the
board instead of the planning table (kept in the saved instance's `port_sources` by
response.services.allocation from response.port_board), said in the reader's language and time
zone. The notes are the proposal's own data: reading them needs nothing of the board's app."""

from django import template
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from core.humanize import when

register = template.Library()


def _closed(sides):
    if set(sides) >= {"USA", "MEX"}:
        return pgettext("port closed", "closed on both sides")
    if "MEX" in sides:
        return pgettext("port closed", "closed on the Mexican side")
    return pgettext("port closed", "closed on the United States side")


def _when(value):
    moment = parse_datetime(value or "")
    return "" if moment is None else when(moment)


def port_source_lines(proposal):
    """Each note of the proposal as a sentence in the reader's language."""
    spanish = (get_language() or "en").startswith("es")
    lines = []
    for note in (proposal.instance or {}).get("port_sources") or ():
        name = (note.get("name_es") if spanish else None) or note.get("name") or note["port"]
        values = {"port": name, "when": _when(note.get("reported_at"))}
        if note.get("left_out"):
            values["closed"] = _closed(note.get("sides") or ())
            lines.append(_("%(port)s: %(closed)s (status board, %(when)s) — left out")
                         % values)
        else:
            values.update(wait=note.get("wait_minutes"),
                          planning=note.get("planning_wait_minutes"))
            lines.append(_("%(port)s: wait %(wait)s min from the status board (%(when)s) "
                           "instead of the planning figure %(planning)s") % values)
    return lines


@register.inclusion_tag("response/_proposal_port_sources.html")
def port_sources(proposal):
    return {"lines": port_source_lines(proposal)}
