"""The demo's border events: loaded through the services as the demo users, dated relative to
today, idempotent, and with the exercise kept apart from the real events."""

import pytest
from django.core.management import call_command

from accounts.models import User
from border.models import BorderEvent, TimelineEntry
from border.selectors.events import real_event_counts

pytestmark = pytest.mark.django_db(transaction=False)


def test_the_demo_loads_the_border_events_once(reference):
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # idempotent
    fire = BorderEvent.objects.get(title_en="Otay Mountain Fire crossing the line")
    assert fire.owner_nation.code == "USA" and fire.state == "confirmed"
    assert fire.releasable_to("MEX") and fire.incident is not None
    assert fire.incident.marking() == fire.marking()
    languages = set(TimelineEntry.objects.filter(event=fire).values_list("language", flat=True))
    assert languages == {"en", "es"}
    assert {e.organization.nation.code for e in TimelineEntry.objects.filter(event=fire)} == {
        "USA", "MEX"}
    river = BorderEvent.objects.get(kind__code="river_sewage")
    assert river.owner_nation.code == "MEX" and river.side == "MEX"
    assert river.releasable_to("USA")
    # Otay Mesa three weeks ago; the status board's closure of today is the other
    # (border/tests/test_port_demo.py).
    port = BorderEvent.objects.get(kind__code="port_closed", state="closed")
    assert port.state == "closed" and port.ended_at > port.started_at
    drill = BorderEvent.objects.get(is_exercise=True)
    assert drill.kind.code == "earthquake" and BorderEvent.objects.count() == 5
    us = User.objects.get(username="us.duty")
    counts = real_event_counts(us)
    assert sum(counts.values()) == 4 and counts["reported"] == 0  # the drill is not counted
