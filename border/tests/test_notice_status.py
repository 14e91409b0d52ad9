"""An event's counterpart-notice status — all acknowledged, waiting within the deadline,
overdue, escalated, with how many counterparts (chains) are in each — decided once
(border.selectors.notices.notice_status), shown on the event page and carried by the border
events' map layer over the notices the reader may see, in a fixed number of queries."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Nation
from border.contact_matrix import load_contact_matrix
from border.models import Notice
from border.selectors import notices as selectors
from border.services import notices as services
from border.tests.notice_factories import pc_bc_user, report
from core.services import apply_marking

pytestmark = pytest.mark.django_db

LAYER = "/api/v1/map/border-events"


@pytest.fixture
def matrix(reference):
    return load_contact_matrix()


@pytest.fixture
def us_duty(persona_of, matrix):
    return persona_of("duty_officer", "USA")


@pytest.fixture
def mx_defensa(persona_of, matrix):
    return persona_of("liaison", "MEX")


def _status(user, event, now):
    """The status as the event page has it, which must be the map's too."""
    page = selectors.event_notices(user, event, now=now).status
    layer = selectors.notice_statuses(user, [event.pk], now=now)[event.pk]
    assert (page.status, page.counts) == (layer.status, layer.counts)
    return page.status, {k: v for k, v in page.counts.items() if v}


def test_the_status_follows_each_counterpart_chain(us_duty, mx_defensa):
    mx_pcbc = pc_bc_user()
    event = report(us_duty)  # a wildfire: PC-BC (civil, 30 min) and DEFENSA (military, 60 min)
    civil = Notice.objects.get(event=event, chain="civil", level=1)
    t0 = civil.sent_at

    def at(minutes):
        return t0 + timedelta(minutes=minutes)

    assert _status(us_duty, event, at(1)) == ("waiting", {"waiting": 2})
    services.acknowledge(mx_pcbc, civil, now=at(7))
    assert _status(us_duty, event, at(8)) == ("waiting", {"waiting": 1, "acknowledged": 1})
    # DEFENSA's hour passes: overdue until the job escalates it to the national channel.
    assert _status(mx_defensa, event, at(61)) == ("overdue",
                                                  {"overdue": 1, "acknowledged": 1})
    assert services.escalate_overdue(now=at(61)) == (1, 0, 1)
    assert _status(us_duty, event, at(62)) == ("escalated",
                                               {"escalated": 1, "acknowledged": 1})
    # The national channel's 30 minutes pass too, and nobody is left: overdue for good.
    assert _status(us_duty, event, at(92)) == ("overdue", {"overdue": 1, "acknowledged": 1})
    assert services.escalate_overdue(now=at(92)) == (0, 1, 0)
    assert _status(us_duty, event, at(93)) == ("overdue", {"overdue": 1, "acknowledged": 1})
    # Once DEFENSA acknowledges, late, every counterpart has.
    military = Notice.objects.get(event=event, chain="military", level=1)
    services.acknowledge(mx_defensa, military, now=at(100))
    assert _status(us_duty, event, at(101)) == ("acknowledged", {"acknowledged": 2})


def test_the_event_page_shows_the_status_in_spanish(us_duty, mx_defensa, client_for):
    event = report(us_duty)
    page = client_for(mx_defensa, HTTP_ACCEPT_LANGUAGE="es").get(event.get_absolute_url())
    content = page.content.decode()
    assert 'data-testid="notice-status"' in content
    assert "En espera (dentro del plazo)" in content
    assert "2 contrapartes en espera" in content


def _layer(client):
    response = client.get(LAYER)
    assert response.status_code == 200
    return {f["properties"]["id"]: f["properties"]
            for f in json.loads(response.content)["features"]
            if f["properties"]["feature"] == "location"}


def test_the_map_layer_carries_the_status_in_the_reader_s_language(us_duty, mx_defensa,
                                                                    client_for):
    event = report(us_duty)
    english = _layer(client_for(us_duty))[event.pk]
    assert english["notice_status"] == "waiting"
    assert english["notice_counts"] == {"overdue": 0, "escalated": 0, "waiting": 2,
                                        "acknowledged": 0}
    assert english["notice_status_label"] == "Waiting (within the deadline)"
    assert english["notice_summary"] == "2 counterparts waiting"
    spanish = _layer(client_for(mx_defensa, HTTP_ACCEPT_LANGUAGE="es"))[event.pk]
    assert spanish["notice_status_label"] == "En espera (dentro del plazo)"
    assert spanish["notice_summary"] == "2 contrapartes en espera"


def test_an_event_without_notices_has_none(us_duty, client_for):
    event = report(us_duty, "earthquake", title="Laguna Salada")
    Notice.objects.filter(event=event).delete()
    properties = _layer(client_for(us_duty))[event.pk]
    assert properties["notice_status"] == "none"
    assert properties["notice_status_label"] == "No counterpart notice"


def test_notices_not_released_to_the_reader_do_not_count(us_duty, mx_defensa, client_for):
    """The other nation sees the event but not a notice kept from it: the layer counts only
    the notices the reader may see."""
    event = report(us_duty)
    military = Notice.objects.get(event=event, chain="military")
    usa = Nation.objects.get(code="USA")
    apply_marking(military, owner=usa, rel_to=[usa])
    assert _layer(client_for(us_duty))[event.pk]["notice_counts"]["waiting"] == 2
    mexico = _layer(client_for(mx_defensa))[event.pk]
    assert mexico["notice_counts"]["waiting"] == 1 and mexico["notice_status"] == "waiting"
    # An event kept from Mexico is not on its layer at all, nor are its notices' figures.
    hidden = report(us_duty, "earthquake", title="US only")
    hidden.rel_to.set([usa])  # narrowed after the fact: its notices follow it
    assert hidden.pk in _layer(client_for(us_duty))
    assert hidden.pk not in _layer(client_for(mx_defensa))


def test_the_layer_takes_the_same_queries_for_two_events_and_for_eight(us_duty, client_for):
    client = client_for(us_duty)

    def count():
        client.get(LAYER)  # the session and permissions cached, as on every later request
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LAYER).status_code == 200
        return len(queries)

    for i in range(2):
        report(us_duty, title=f"Fire {i}")
    few = count()
    for i in range(2, 8):
        report(us_duty, title=f"Fire {i}")
    assert Notice.objects.count() == 16
    assert count() == few
