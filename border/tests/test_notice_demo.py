"""The demo's counterpart notices: on the Otay Mountain fire the Mexican counterparts are
notified and acknowledge, DEFENSA late after its notice escalated to the national channel;
loaded twice it duplicates nothing."""

from datetime import timedelta

import pytest

from accounts import demo as accounts_demo
from border import demo
from border.models import BorderEvent, Notice

NS = Notice.State


@pytest.mark.django_db
def test_the_otay_fire_notices_tell_the_protocol(reference):
    users = accounts_demo.load()
    demo.load(users)
    fire = BorderEvent.objects.get(title_en=demo.OTAY_FIRE)
    notices = {(n.chain, n.level): n for n in fire.notices.select_related("organization")}
    civil, military = notices[("civil", 1)], notices[("military", 1)]
    assert (civil.organization.acronym, civil.state, civil.late) == ("PC-BC", NS.ACKNOWLEDGED,
                                                                     False)
    assert civil.sent_at == fire.created_at
    assert civil.acknowledged_at - civil.sent_at == timedelta(minutes=12)
    # DEFENSA let its hour pass: escalated to the national channel, then acknowledged late.
    assert (military.organization.acronym, military.state, military.late) == (
        "DEFENSA", NS.ACKNOWLEDGED, True)
    assert military.escalated_at == military.due_at
    national = notices[("military", 2)]
    assert (national.organization.acronym, national.national, national.escalated_from) == (
        "CNPC", True, military)
    # Every demo event has its notices, all acknowledged in the end by someone of each chain.
    assert Notice.objects.filter(event__is_exercise=True).exists()
    count = Notice.objects.count()
    demo.load(users)
    assert Notice.objects.count() == count
