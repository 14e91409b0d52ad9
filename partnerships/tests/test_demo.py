"""The demo's California–Mexico program: loaded once, released to Mexico like its partnership,
each step dated when it happened."""

import io
from datetime import date

from auditlog.models import LogEntry
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from partnerships import selectors
from partnerships.models import Agreement, LineOfEffort, Partnership


def test_demo_program_is_loaded_once_and_released_to_mexico(db):
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    mexico = Partnership.objects.get(us_state="CA", partner_nation__code="MEX")
    assert [line.code for line in LineOfEffort.objects.filter(partnership=mexico)
            .order_by("position")] == ["border", "training", "cyber", "hadr"]
    letter = Agreement.objects.get(partnership=mexico)
    assert letter.state == Agreement.State.IN_FORCE
    # Signed and in force on 28 October 2025, as its history says; the partnership was entered
    # when the program began using Enlace.
    days = [timezone.localdate(e.timestamp) for e in LogEntry.objects.get_for_object(letter)]
    assert max(days) == letter.signed_on == date(2025, 10, 28) and min(days) < letter.signed_on
    assert timezone.localdate(mexico.created_at) == date(2024, 12, 2)
    liaison = User.objects.get(username="mx.liaison")
    lines = selectors.objective_progress(liaison, mexico)
    assert len(lines) == 4 and all(len(lp.objectives) == 1 for lp in lines)
    hadr = lines[-1].objectives[0].indicators[0]
    assert hadr.latest is not None and hadr.percent == 20
