"""The escalation rule and the time arithmetic of border/protocol.py, by table (no database)."""

from datetime import UTC, datetime, timedelta

import pytest

from border import protocol as p

T0 = datetime(2026, 7, 4, 14, 0, tzinfo=UTC)


def at(minutes):
    return T0 + timedelta(minutes=minutes)


# Two chains for a wildfire on the US side: CONAFOR → PC-BC → CNPC (national), and DEFENSA
# alone.
STEPS = [
    p.Step("fire", 1, "CONAFOR", "enlace", 30),
    p.Step("fire", 2, "PC-BC", "phone", 15),
    p.Step("fire", 3, "CNPC", "enlace", 30, national=True),
    p.Step("military", 1, "DEFENSA", "radio", 60),
]


def sent(notice, chain, level, sent_min, minutes, state=p.PENDING, ack_min=None):
    return p.Sent(notice, chain, level, at(sent_min), at(sent_min + minutes), state,
                  at(ack_min) if ack_min is not None else None)


def test_first_steps_are_level_one_of_every_chain():
    assert [(s.chain, s.organization) for s in p.first_steps(STEPS)] == [
        ("fire", "CONAFOR"), ("military", "DEFENSA")]


@pytest.mark.parametrize("chain, level, expected", [
    ("fire", 1, "PC-BC"),       # the next contact
    ("fire", 2, "CNPC"),        # then the national channel
    ("fire", 3, None),          # then nothing
    ("military", 1, None),      # a chain of one contact
    ("unknown", 1, None),
])
def test_next_step(chain, level, expected):
    step = p.next_step(STEPS, chain, level)
    assert (step.organization if step else None) == expected


@pytest.mark.parametrize("name, notices, now, expected", [
    ("before the deadline nothing is overdue",
     [sent(1, "fire", 1, 0, 30)], 29, []),
    ("at the deadline it is overdue and goes to the next contact",
     [sent(1, "fire", 1, 0, 30)], 30, [(1, "PC-BC", True)]),
    ("acknowledged in time: nothing",
     [sent(1, "fire", 1, 0, 30, p.ACKNOWLEDGED, 10)], 90, []),
    ("level 2 overdue goes to the national channel",
     [sent(1, "fire", 1, 0, 30, p.ESCALATED), sent(2, "fire", 2, 30, 15)], 45, [(2, "CNPC", True)]),
    ("national channel overdue: unanswered, nothing next",
     [sent(1, "fire", 1, 0, 30, p.ESCALATED), sent(2, "fire", 2, 30, 15, p.ESCALATED),
      sent(3, "fire", 3, 45, 30)], 80, [(3, None, False)]),
    ("a late acknowledgement of level 1 stops the chain: level 2 does not escalate",
     [sent(1, "fire", 1, 0, 30, p.ACKNOWLEDGED, 40), sent(2, "fire", 2, 30, 15)], 60, []),
    ("escalated and unanswered notices never escalate twice",
     [sent(1, "fire", 1, 0, 30, p.ESCALATED), sent(2, "fire", 2, 30, 15, p.UNANSWERED)],
     500, []),
    ("chains are independent",
     [sent(1, "fire", 1, 0, 30, p.ACKNOWLEDGED, 5), sent(4, "military", 1, 0, 60)], 61,
     [(4, None, False)]),
    ("a level already sent is not sent again",
     [sent(1, "fire", 1, 0, 30), sent(2, "fire", 2, 0, 15)], 31,
     [(1, "PC-BC", False), (2, "CNPC", True)]),
])
def test_escalations(name, notices, now, expected):
    got = [(e.notice, e.next.organization if e.next else None, e.send)
           for e in p.escalations(STEPS, notices, at(now))]
    assert got == expected, name


def test_escalation_state():
    assert p.Escalation(1, STEPS[1]).state == p.ESCALATED
    assert p.Escalation(1, None).state == p.UNANSWERED


@pytest.mark.parametrize("start, end, expected", [
    (0, 15, 15.0), (0, 0, 0.0), (10, 5, 0.0), (None, 5, None), (0, None, None), (0, 1.5, 1.5),
])
def test_minutes_between(start, end, expected):
    assert p.minutes_between(None if start is None else at(start),
                             None if end is None else at(end)) == expected


def test_due_at_and_refuses_no_deadline():
    assert p.due_at(T0, 15) == at(15)
    with pytest.raises(ValueError):
        p.due_at(T0, 0)


def test_time_to_notify_is_from_start_to_first_notice():
    notices = [sent(1, "fire", 1, 12, 30), sent(2, "military", 1, 7, 60)]
    assert p.time_to_notify(T0, notices) == 7.0
    assert p.time_to_notify(T0, []) is None


def test_time_to_acknowledge_is_per_chain_from_its_first_notice():
    notices = [sent(1, "fire", 1, 0, 30, p.ESCALATED), sent(2, "fire", 2, 30, 15,
                                                            p.ACKNOWLEDGED, 42),
               sent(3, "military", 1, 0, 60)]
    assert p.time_to_acknowledge(notices) == {"fire": 42.0, "military": None}


@pytest.mark.parametrize("ack, expected", [(None, None), (29, True), (30, True), (31, False)])
def test_acknowledged_in_time(ack, expected):
    notice = sent(1, "fire", 1, 0, 30, ack_min=ack)
    assert p.acknowledged_in_time(notice) is expected


@pytest.mark.parametrize("month, expected", [(1, 1), (3, 1), (4, 2), (9, 3), (10, 4), (12, 4)])
def test_quarter(month, expected):
    assert p.quarter(datetime(2026, month, 15, tzinfo=UTC)) == (2026, expected)


def test_per_quarter_medians_and_counts():
    q3_a = (T0, [sent(1, "fire", 1, 10, 30, p.ACKNOWLEDGED, 20),
                 sent(2, "military", 1, 10, 60)])
    q3_b = (T0 + timedelta(days=1), [])
    q3_c_start = T0 + timedelta(days=2)
    q3_c = (q3_c_start, [p.Sent(3, "fire", 1, q3_c_start + timedelta(minutes=30),
                                q3_c_start + timedelta(minutes=60), p.ACKNOWLEDGED,
                                q3_c_start + timedelta(minutes=100))])
    q1 = (datetime(2026, 2, 1, tzinfo=UTC), [
        p.Sent(4, "fire", 1, datetime(2026, 2, 1, 0, 5, tzinfo=UTC),
               datetime(2026, 2, 1, 0, 20, tzinfo=UTC))])
    q3, q1_figures = p.per_quarter([q1, q3_a, q3_b, q3_c])
    assert (q3.label, q3.events, q3.chains, q3.acknowledged, q3.acknowledged_in_time) == (
        "2026 Q3", 3, 3, 2, 1)
    assert q3.notify_median == 20.0          # 10 and 30 minutes
    assert q3.acknowledge_median == 40.0     # 10 and 70 minutes
    assert (q1_figures.label, q1_figures.notify_median, q1_figures.acknowledge_median,
            q1_figures.acknowledged) == ("2026 Q1", 5.0, None, 0)
