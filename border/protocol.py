"""The counterpart notification protocol as pure rules (no Django, no database).

The binational contact matrix gives, for an event kind and the side of the line it is on, one or
more *chains* of contacts on the other side. Each chain is an ordered ladder: level 1 is the
first duty contact, the next levels are the next contacts, and the last one is usually the
national channel. Reporting an event notifies the first level of every chain; each notice has
its own deadline (`minutes` after it is sent).

The escalation rule, decided here once:

- a notice is *overdue* when it is still waiting (neither acknowledged, escalated nor
  unanswered), its deadline has passed, and no notice of its chain has been acknowledged (once
  any contact of a chain acknowledges, the counterpart knows: nothing of that chain escalates);
- an overdue notice escalates to the next level of its chain — the next contact, then the
  national channel; with no level left it is *unanswered* and nothing more is sent;
- a notice that escalated may still be acknowledged late (it then counts as acknowledged, and
  its lateness shows in time-to-acknowledge).

Time-to-notify is from the event's start to the first notice sent to the counterpart;
time-to-acknowledge is per chain, from its first notice to its first acknowledgement (so an
escalation's delay counts against it).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

PENDING = "pending"
ACKNOWLEDGED = "acknowledged"
ESCALATED = "escalated"
UNANSWERED = "unanswered"

WAITING = frozenset({PENDING})


@dataclass(frozen=True)
class Step:
    """One row of the contact matrix for an event's kind and side: who is told at a level of a
    chain, how, and within how many minutes."""

    chain: str
    level: int
    organization: str
    channel: str
    minutes: int
    national: bool = False
    rule: object = None  # the caller's handle on the row (a ContactRule's id)


@dataclass(frozen=True)
class Sent:
    """A notice as sent: its chain and level, when it went and is due, and what became of it."""

    notice: object  # the caller's handle on the notice (its id)
    chain: str
    level: int
    sent_at: datetime
    due_at: datetime
    state: str = PENDING
    acknowledged_at: datetime | None = None


@dataclass(frozen=True)
class Escalation:
    """An overdue notice and what comes next: the next contact's step, or None (unanswered).
    `send` is False when that contact was already sent a notice for this event (the chain
    moved on before): the notice escalates, and nobody is told twice."""

    notice: object
    next: Step | None
    send: bool = True

    @property
    def state(self):
        return ESCALATED if self.next is not None else UNANSWERED


def due_at(sent_at: datetime, minutes: int) -> datetime:
    if minutes <= 0:
        raise ValueError("A notice's deadline is a positive number of minutes.")
    return sent_at + timedelta(minutes=minutes)


def first_steps(steps):
    """The first level of every chain: who is told when the event is reported."""
    first = {}
    for step in steps:
        if step.chain not in first or step.level < first[step.chain].level:
            first[step.chain] = step
    return sorted(first.values(), key=lambda s: (s.chain, s.level))


def next_step(steps, chain, level):
    """The step after `level` in `chain` (the next contact, or the national channel), or None
    when the chain has no level above it."""
    above = [s for s in steps if s.chain == chain and s.level > level]
    return min(above, key=lambda s: s.level) if above else None


def satisfied_chains(notices):
    """The chains in which some notice has been acknowledged."""
    return {n.chain for n in notices if n.acknowledged_at is not None}


def overdue(notices, now: datetime):
    """The notices waiting past their deadline whose chain nobody has acknowledged yet."""
    done = satisfied_chains(notices)
    return [n for n in notices
            if n.state in WAITING and n.acknowledged_at is None and n.chain not in done
            and n.due_at <= now]


def escalations(steps, notices, now: datetime):
    """For each overdue notice of one event, what comes next (`Escalation`), lowest level
    first. A level of a chain is sent once: when a notice exists there already (or an earlier
    escalation of this run sends it), the escalation says so with `send=False`."""
    sent_levels = {(n.chain, n.level) for n in notices}
    result = []
    for notice in sorted(overdue(notices, now), key=lambda n: (n.chain, n.level)):
        step = next_step(steps, notice.chain, notice.level)
        send = step is not None and (step.chain, step.level) not in sent_levels
        if send:
            sent_levels.add((step.chain, step.level))
        result.append(Escalation(notice.notice, step, send))
    return result


def minutes_between(start: datetime | None, end: datetime | None):
    """Whole and fractional minutes from `start` to `end` (never negative), or None if either
    is missing."""
    if start is None or end is None:
        return None
    return max((end - start).total_seconds(), 0) / 60


def time_to_notify(event_started: datetime, notices):
    """Minutes from the event's start to its first notice, or None when none was sent."""
    sent = [n.sent_at for n in notices]
    return minutes_between(event_started, min(sent)) if sent else None


def time_to_acknowledge(notices):
    """{chain: minutes from the chain's first notice to its first acknowledgement, or None
    when nobody of the chain has acknowledged}."""
    chains = {}
    for n in notices:
        first_sent, first_ack = chains.get(n.chain, (None, None))
        if first_sent is None or n.sent_at < first_sent:
            first_sent = n.sent_at
        if n.acknowledged_at is not None and (first_ack is None or n.acknowledged_at < first_ack):
            first_ack = n.acknowledged_at
        chains[n.chain] = (first_sent, first_ack)
    return {chain: minutes_between(sent, ack) for chain, (sent, ack) in chains.items()}


def acknowledged_in_time(notice: Sent) -> bool | None:
    """Whether a notice was acknowledged by its deadline (None while unacknowledged)."""
    if notice.acknowledged_at is None:
        return None
    return notice.acknowledged_at <= notice.due_at


def quarter(moment: datetime):
    """(year, quarter) of a moment, calendar quarters (Q1 = January–March)."""
    return moment.year, (moment.month - 1) // 3 + 1


@dataclass(frozen=True)
class QuarterFigures:
    year: int
    quarter: int
    events: int
    notify_median: float | None  # minutes
    acknowledge_median: float | None  # minutes, over acknowledged chains
    chains: int
    acknowledged: int
    acknowledged_in_time: int  # chains whose first acknowledgement met the first deadline

    @property
    def label(self):
        return f"{self.year} Q{self.quarter}"


def per_quarter(events):
    """Figures per calendar quarter of the events' start, newest first. `events` is an
    iterable of (started, notices) where notices are `Sent`; an event without notices counts
    as an event but adds no figure."""
    buckets = {}
    for started, notices in events:
        buckets.setdefault(quarter(started), []).append((started, list(notices)))
    figures = []
    for (year, q), rows in sorted(buckets.items(), reverse=True):
        notify, acknowledge = [], []
        chains = acked = in_time = 0
        for started, notices in rows:
            minutes = time_to_notify(started, notices)
            if minutes is not None:
                notify.append(minutes)
            first_due = {}
            for n in sorted(notices, key=lambda n: n.sent_at):
                first_due.setdefault(n.chain, n)
            for chain, value in time_to_acknowledge(notices).items():
                chains += 1
                if value is not None:
                    acked += 1
                    acknowledge.append(value)
                    first = first_due[chain]
                    first_ack = min(n.acknowledged_at for n in notices
                                    if n.chain == chain and n.acknowledged_at is not None)
                    if first_ack <= first.due_at:
                        in_time += 1
        figures.append(QuarterFigures(
            year=year, quarter=q, events=len(rows),
            notify_median=statistics.median(notify) if notify else None,
            acknowledge_median=statistics.median(acknowledge) if acknowledge else None,
            chains=chains, acknowledged=acked, acknowledged_in_time=in_time))
    return figures
