"""Every read of the border app, restricted (`restrict(user, action)`), and the one rule that
keeps exercise events apart from real ones: `real_events` (and its mirror `exercise_events`).
Every list, count, dashboard and map layer of real events goes through it."""

from django.db.models import Count, Q

from border.models import BorderEvent, BorderEventKind, TimelineEntry
from response.selectors.common import filtered, nation_code

# The `exercise` filter of lists and the API: real events only (the default), exercises only,
# or both.
REAL, EXERCISE, ALL = "real", "exercise", "all"


def real_events(events):
    """The real events of `events`: never an exercise. The one place that decides it."""
    return events.filter(is_exercise=False)


def exercise_events(events):
    """The exercise events of `events`, which are never counted with the real ones."""
    return events.filter(is_exercise=True)


def by_exercise(events, exercise=None):
    """`events` as the `exercise` filter asks: REAL (also when not given), EXERCISE or ALL."""
    if exercise == ALL:
        return events
    if exercise == EXERCISE:
        return exercise_events(events)
    return real_events(events)


def events_for(user, action="view", *, kind=None, state=None, side=None, exercise=None,
               nation=None, q=None):
    """Border events the user may take `action` on, newest first, filtered by kind (code),
    state, side of the line, exercise (REAL by default, EXERCISE or ALL), owner nation and
    text."""
    events = filtered(
        BorderEvent.objects.restrict(user, action).select_related(
            "kind", "reporting_organization", "incident"),
        kind__code=kind, state=state, side=nation_code(side),
        owner_nation__code=nation_code(nation))
    events = by_exercise(events, exercise)
    if q:
        events = events.filter(Q(title_en__icontains=q) | Q(title_es__icontains=q)
                               | Q(description_en__icontains=q)
                               | Q(description_es__icontains=q))
    return events


def real_event_counts(user):
    """How many real events the user may see are in each state (exercises never count)."""
    counts = dict.fromkeys(BorderEvent.State.values, 0)
    events = real_events(BorderEvent.objects.restrict(user)).prefetch_related(None)
    for row in events.order_by().values("state").annotate(n=Count("pk")):
        counts[row["state"]] = row["n"]
    return counts


def timeline_for(user, event):
    """The entries of the event's timeline the user may see, oldest first."""
    return (TimelineEntry.objects.restrict(user).filter(event=event)
            .select_related("author", "organization").order_by("at", "pk"))


def event_kinds(*, active=None):
    kinds = BorderEventKind.objects.all()
    if active is not None:
        kinds = kinds.filter(active=active)
    return kinds
