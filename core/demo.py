"""What the apps' demo loaders share: records dated when they happened, not when the demo was
loaded."""

import re
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from auditlog.models import LogEntry
from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.db.models.signals import post_save
from django.utils import timezone

# When the program began keeping its records in Enlace: partnerships, units and members are
# dated from then.
IN_USE_SINCE = date(2024, 12, 2)

# The table an INSERT or UPDATE writes, as the database backends quote it.
WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE)\s+[`"]?(\w+)', re.IGNORECASE)


@contextmanager
def happened_at(moment):
    """Everything the block writes through the services carries `moment` as the time it
    happened: the created and updated times, the times services stamp (signed, in force,
    submitted, recorded complete, done…), history entries and notifications.

    Services stamp `timezone.now()`; afterwards every date-time stamped while the block ran is
    set to `moment`, in the database and on the instances the block saved (a later save of one
    of them must not put the load time back). Values the block sets itself (a start, a
    deadline) lie outside that span and stay as given. Dates services stamp with today (a
    participant's gate) are the loader's to set."""
    if not isinstance(moment, datetime) or timezone.is_naive(moment):
        raise ValueError("happened_at needs an aware date-time")
    saved = []
    written = set()

    def remember(sender, instance, **kwargs):
        saved.append(instance)

    def note_table(execute, sql, params, many, context):
        # Only the tables the block wrote can hold its stamps: the demo dates hundreds of
        # steps, and asking every table each time was most of its load time.
        match = WRITE.match(sql)
        if match:
            written.add(match[1])
        return execute(sql, params, many, context)

    since = timezone.now()
    post_save.connect(remember, weak=False, dispatch_uid="core.demo.happened_at")
    try:
        with connection.execute_wrapper(note_table):
            yield
    finally:
        post_save.disconnect(dispatch_uid="core.demo.happened_at")
    until = timezone.now()
    if LogEntry._meta.db_table in written:
        _date_recorded_changes(since, until, moment)
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed or model._meta.db_table not in written:
            continue
        for field in _stamps(model):
            model._base_manager.filter(**{f"{field.name}__range": (since, until)}).update(
                **{field.name: moment})
    for instance in saved:
        for field in _stamps(type(instance)):
            value = getattr(instance, field.attname)
            if value is not None and since <= value <= until:
                setattr(instance, field.attname, moment)


def _date_recorded_changes(since, until, moment):
    """History entries written in the span record the stamped values too (an agreement's "in
    force since"): they read `moment` as well, in the form auditlog stored them."""
    changed = []
    for entry in LogEntry.objects.filter(timestamp__range=(since, until)).only("changes"):
        if not isinstance(entry.changes, dict):
            continue
        dated = {name: [_dated(value, since, until, moment) for value in pair]
                 if isinstance(pair, list) else pair for name, pair in entry.changes.items()}
        if dated != entry.changes:
            entry.changes = dated
            changed.append(entry)
    LogEntry.objects.bulk_update(changed, ["changes"], batch_size=500)


def _dated(value, since, until, moment):
    try:
        stamped = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return value
    naive = timezone.is_naive(stamped)
    if naive:  # stored in UTC without an offset
        stamped = stamped.replace(tzinfo=UTC)
    if not since <= stamped <= until:
        return value
    return str(moment.astimezone(UTC).replace(tzinfo=None) if naive else moment)


def _stamps(model):
    return [field for field in model._meta.concrete_fields
            if isinstance(field, models.DateTimeField)]

def on(day, hour=10):
    """A moment of the story: `day` at `hour` in the program's time zone, never later than now
    (a step planned ahead of today happened when the demo was loaded)."""
    moment = datetime.combine(day, time(hour), ZoneInfo(settings.TIME_ZONE))
    return min(moment, timezone.now())
