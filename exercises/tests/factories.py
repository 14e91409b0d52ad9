"""Exercises made through their own services, for the conduct, page and API tests: a
binational engagement of type exercise with participants of CalGuard (USA) and DEFENSA (MEX),
its exercise released to Mexico, objectives and injects."""

from datetime import UTC, date, datetime, timedelta

from accounts.models import Organization
from engagements.models import Engagement
from engagements.services import engagements as engagement_services
from engagements.tests.factories import make_engagement, make_person
from exercises.services import exercises as services

STARTEX = datetime(2026, 3, 3, 16, 0, tzinfo=UTC)


def make_exercise_engagement(user, *, rel_to=("MEX",), title="Tecate wildfire TTX", **fields):
    """An engagement of type exercise led by `user`, with a CalGuard and a DEFENSA
    participant."""
    engagement = make_engagement(user, rel_to=rel_to, title=title, type=Engagement.Type.EXERCISE,
                                 start=date(2026, 3, 2), end=date(2026, 3, 6), lead=user,
                                 **fields)
    for name, nation, acronym in (("Ana Soto", "USA", "CalGuard"),
                                  ("Luis Peña", "MEX", "DEFENSA")):
        person = make_person(user, name, nation=nation,
                             organization=Organization.objects.get(acronym=acronym))
        engagement_services.add_participant(user, engagement, person)
    return engagement


def make_exercise(user, engagement=None, *, startex=STARTEX, hours=8, **fields):
    engagement = engagement or make_exercise_engagement(user)
    defaults = {"kind": "tabletop", "scenario_en": "A wildfire crosses the line at Tecate.",
                "scenario_es": "Un incendio cruza la línea en Tecate.",
                "startex": startex, "endex": startex + timedelta(hours=hours)}
    return services.create_exercise(user, engagement, **{**defaults, **fields})


def add_inject(user, exercise, offset=30, *, receivers=("DEFENSA",), text="Smoke at the port",
               **fields):
    defaults = {"offset_minutes": offset, "sender_role": "simcell",
                "text_en": text, "text_es": f"{text} (es)",
                "expected_action_en": "Notify the counterpart",
                "expected_action_es": "Notificar a la contraparte"}
    return services.add_inject(user, exercise, receivers=list(receivers),
                               **{**defaults, **fields})


def add_objective(user, exercise, text="Coordinate across the line", **fields):
    return services.add_objective(user, exercise, text_en=text, text_es=f"{text} (es)",
                                  **fields)
