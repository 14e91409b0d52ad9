"""The demo's port-of-entry status board: every port's current status on both sides, Otay
Mesa's cargo crossing closed on the Mexican side with its border event, San Ysidro restricted,
the history of the Otay Mesa closure three weeks ago linked to the event border.demo reported
then, and nothing made twice."""

import pytest
from django.core.management import call_command

from accounts.models import User
from border.models import BorderEvent, PortStatusReport
from border.selectors import ports as port_selectors

pytestmark = pytest.mark.django_db(transaction=False)


def test_the_demo_loads_the_status_board_once(reference):
    call_command("load_demo", verbosity=0)
    made = PortStatusReport.objects.count()
    call_command("load_demo", verbosity=0)  # idempotent
    assert PortStatusReport.objects.count() == made
    board = port_selectors.board_by_key(User.objects.get(username="mx.liaison"))
    otay = board["2506-C"]
    assert otay.mex.status == "closed" and otay.usa.status == "open"
    event = otay.mex.report.event
    assert event.kind.code == "port_closed" and event.state == "confirmed"
    assert event.owner_nation.code == "MEX" and otay.open_events == [event]
    assert board["2504"].usa.status == "restricted"
    assert board["2504"].usa.report.commercial_wait_minutes == 95
    assert all(row.usa.report or row.mex.report for key, row in board.items() if key != "2582")
    history = PortStatusReport.objects.filter(port__key="2506-P", side="USA").order_by(
        "reported_at")
    earlier = BorderEvent.objects.get(title_en="Otay Mesa port closed: suspicious package")
    assert history[0].status == "closed" and history[0].event == earlier
    assert BorderEvent.objects.filter(kind__code="port_closed").count() == 2
