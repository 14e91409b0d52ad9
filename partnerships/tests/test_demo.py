"""The demo's California–Mexico program: loaded once, released to Mexico like its partnership."""

import io

from django.core.management import call_command

from accounts.models import User
from partnerships import selectors
from partnerships.models import Agreement, LineOfEffort, Partnership


def test_demo_program_is_loaded_once_and_released_to_mexico(db):
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    mexico = Partnership.objects.get(us_state="CA", partner_nation__code="MEX")
    assert [line.code for line in LineOfEffort.objects.filter(partnership=mexico)
            .order_by("position")] == ["border", "training", "cyber", "hadr"]
    assert Agreement.objects.get(partnership=mexico).state == Agreement.State.IN_FORCE
    liaison = User.objects.get(username="mx.liaison")
    lines = selectors.objective_progress(liaison, mexico)
    assert len(lines) == 4 and all(len(lp.objectives) == 1 for lp in lines)
    hadr = lines[-1].objectives[0].indicators[0]
    assert hadr.latest is not None and hadr.percent == 20
