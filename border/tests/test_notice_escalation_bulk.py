"""The escalation job in bulk: a run's queries do not grow with the number of overdue notices,
and each notice is escalated exactly as one at a time would be — its state and history, the
next contact's notice with the event's marking and its own history, the reporter and the next
contact told once."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from border.contact_matrix import load_contact_matrix
from border.models import Notice
from border.services import notices as services
from border.tests.notice_factories import pc_bc_user, report
from core.models import Notification

NS = Notice.State
pytestmark = pytest.mark.django_db


@pytest.fixture
def us_duty(persona_of, reference):
    load_contact_matrix()
    return persona_of("duty_officer", "USA")


def _overdue_events(user, count, start):
    """`count` wildfires reported three hours ago whose notices are all past their deadline."""
    events = [report(user, title=f"Fire {start + i}") for i in range(count)]
    sent = events[0].started_at
    Notice.objects.filter(event__in=events).update(sent_at=sent,
                                                   due_at=sent + timedelta(minutes=30))
    return events


def _run(now):
    with CaptureQueriesContext(connection) as queries:
        result = services.escalate_overdue(now=now)
    return result, len(queries)


def test_a_run_takes_the_same_queries_for_6_overdue_notices_and_for_50(us_duty, persona_of):
    persona_of("liaison", "MEX")  # DEFENSA: told of the escalations of its chain's notices
    pc_bc_user()
    now = _overdue_events(us_duty, 3, 0)[0].started_at + timedelta(hours=1)
    few, few_queries = _run(now)
    assert few == (6, 0, 6)
    _overdue_events(us_duty, 25, 3)
    many, many_queries = _run(now)
    assert many == (50, 0, 50)
    # A constant, not a number per notice (one at a time took about 22 per notice).
    assert many_queries <= few_queries + 4, (few_queries, many_queries)


def test_each_notice_escalates_as_it_would_alone(us_duty):
    events = _overdue_events(us_duty, 2, 0)
    now = events[0].started_at + timedelta(hours=1)
    assert services.escalate_overdue(now=now) == (4, 0, 4)
    for event in events:
        notices = {(n.chain, n.level): n for n in Notice.objects.filter(event=event)}
        assert set(notices) == {("civil", 1), ("civil", 2), ("military", 1), ("military", 2)}
        first, nxt = notices[("civil", 1)], notices[("civil", 2)]
        assert (first.state, first.escalated_at) == (NS.ESCALATED, now)
        assert (nxt.state, nxt.sent_at, nxt.escalated_from) == (NS.PENDING, now, first)
        assert nxt.organization.acronym == "CONAFOR" and nxt.due_at == now + timedelta(
            minutes=15)
        assert notices[("military", 2)].national
        # The new notice carries its event's marking and has its history; the escalation too.
        assert nxt.marking() == event.marking()
        created = LogEntry.objects.get_for_object(nxt).get(action=LogEntry.Action.CREATE)
        assert created.changes["rel_to"] == ["None", "MEX, USA"]
        assert created.changes["organization"][1] == str(nxt.organization_id)
        (change,) = [e for e in LogEntry.objects.get_for_object(first).filter(
            action=LogEntry.Action.UPDATE) if "state" in e.changes]
        assert change.changes["state"] == ["pending", "escalated"]
        # The reporter is told of each escalation, once.
        told = Notification.objects.filter(recipient=us_duty,
                                           key=f"border:notice:{first.pk}:escalated")
        assert told.count() == 1 and "CONAFOR" not in told.get().message_en
    # Nothing twice: a second run at the same time finds nothing overdue.
    assert services.escalate_overdue(now=now) == (0, 0, 0)
    assert Notification.objects.filter(recipient=us_duty,
                                        key__endswith=":escalated").count() == 4
