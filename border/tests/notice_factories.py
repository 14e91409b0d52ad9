"""Events with counterpart notices, for the notice tests (the contact matrix loaded)."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Nation
from accounts.tests.personas import create_person
from border.services.events import report_event

# Otay Mountain, about 2 km north of the line (United States side).
OTAY = {"latitude": 32.5905, "longitude": -116.8560}
# Tijuana's Río Tijuana zone, south of the line (Mexican side).
TIJUANA = {"latitude": 32.5270, "longitude": -117.0300}


def nations(*codes):
    return list(Nation.objects.filter(code__in=codes))


def report(user, kind="wildfire", *, released=True, point=OTAY, exercise=False,
           started=None, title="Otay Mountain fire"):
    """An event reported by `user`'s nation, released to both nations with disclosure
    approved unless `released` is False."""
    codes = ("USA", "MEX") if released else (user.nation.code,)
    return report_event(
        user, rel_to=nations(*codes), disclosure="approved" if released else "not_reviewed",
        kind=kind, title_en=title, title_es=title, severity="severe", is_exercise=exercise,
        started_at=started or timezone.now() - timedelta(minutes=20), **point)


def pc_bc_user(username="t.mx.pcbc"):
    """A liaison of Baja California civil protection, the first civil contact on the Mexican
    side."""
    return create_person(username, "PC-BC", "liaison", time_zone="America/Tijuana")


def make_notice(user, organization="PC-BC", *, title="Zulu notice event", rel_to=None):
    """A notice about a new event of `user`'s nation (released to the other nation, or to
    `rel_to` codes), made directly (no contact matrix needed), with the event's marking."""
    from accounts.models import Organization
    from border.models import Notice
    from border.tests.factories import report as report_event_of
    from core.services import apply_parent_marking

    other = "MEX" if user.nation.code == "USA" else "USA"
    event = report_event_of(user, title=title, rel_to=(other,) if rel_to is None else rel_to)
    now = timezone.now()
    notice = Notice(event=event, organization=Organization.objects.get(acronym=organization),
                    channel="enlace", chain="civil", level=1, sent_at=now,
                    due_at=now + timedelta(minutes=30))
    apply_parent_marking(notice)
    return notice
