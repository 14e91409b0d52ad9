"""Border events for tests, made through the border services as a user of each nation."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Nation
from border.models import BorderEventKind
from border.reference import load_event_kinds
from border.services import events

# Points with known answers: Otay Mountain (north of the line, in the border zone near
# Tijuana and Tecate), the Tijuana River just south of the line, Mexicali (south), and
# Sacramento (far north, beyond the zone).
OTAY_MOUNTAIN = (32.5851, -116.8602)
TIJUANA_RIVER = (32.5318, -117.0520)
MEXICALI = (32.6245, -115.4523)
SACRAMENTO = (38.5816, -121.4944)


def nations(*codes):
    return list(Nation.objects.filter(code__in=codes))


def ensure_kinds():
    load_event_kinds(BorderEventKind)


def report(user, *, point=OTAY_MOUNTAIN, kind="wildfire", title="Otay Mountain Fire",
           rel_to=("MEX",), disclosure="approved", hours_ago=3, **fields):
    """An event reported by `user`, released to `rel_to` (nation codes)."""
    ensure_kinds()
    latitude, longitude = point
    return events.report_event(
        user, kind=kind, title_en=title, title_es=f"Incendio {title}",
        latitude=latitude, longitude=longitude,
        started_at=timezone.now() - timedelta(hours=hours_ago),
        rel_to=nations(*rel_to), disclosure=disclosure, **fields)
