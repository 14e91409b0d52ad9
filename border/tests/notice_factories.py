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
