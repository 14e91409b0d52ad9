"""Each record's history, read from the audit log (django-auditlog), never written by hand, and
shown to a reader in their language: verbose field names, labelled values, and related records
through the one rule of `core.related` (a record the reader may not see is never named)."""

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core.related import NOT_RELEASED, is_marked, linked, resolve, scrub, withheld_names

ACTIONS = {
    LogEntry.Action.CREATE: pgettext_lazy("history action", "Created"),
    LogEntry.Action.UPDATE: pgettext_lazy("history action", "Changed"),
    LogEntry.Action.DELETE: pgettext_lazy("history action", "Deleted"),
    LogEntry.Action.ACCESS: pgettext_lazy("history action", "Viewed"),
}


def history_for(record, limit=None):
    return history_of([record], limit)


def history_of(records, limit=None):
    """The history of several records as one, newest first: a record and the rows written only
    as part of it (a joint report and its sections)."""
    wanted = models.Q(pk__in=[])
    for record in records:
        wanted |= models.Q(content_type=ContentType.objects.get_for_model(record.__class__),
                           object_pk=str(record.pk))
    entries = (LogEntry.objects.filter(wanted).select_related("actor")
               .order_by("-timestamp", "-pk"))
    return entries[:limit] if limit else entries


def action_label(entry):
    return ACTIONS.get(entry.action, entry.get_action_display())


def _model(entry):
    return ContentType.objects.get_for_id(entry.content_type_id).model_class()


def _own_fields(model):
    """The record's own fields by name; not the auto id, and not the reverse relations auditlog
    logs on a new or deleted record (another model's foreign keys, as a manager's repr)."""
    if model is None:
        return {}
    return {f.name: f for f in model._meta.get_fields()
            if (f.concrete or not f.auto_created) and not f.primary_key}


def recorded_changes(entry):
    """The entry's changes to the record's own fields, as stored (field name → change)."""
    own = _own_fields(_model(entry))
    return {name: change for name, change in (entry.changes_dict or {}).items() if name in own}


def _is_m2m(change):
    return isinstance(change, dict) and change.get("type") == "m2m"


def _related_pk(model_field, raw):
    if raw in (None, "None", ""):
        return None
    try:
        return model_field.related_model._meta.pk.to_python(raw)
    except ValidationError:
        return None


def _wanted(entry):
    """(model, pk) of every related record the entry names."""
    own = _own_fields(_model(entry))
    for name, change in recorded_changes(entry).items():
        model_field = own[name]
        if not model_field.is_relation:
            continue
        related = model_field.related_model
        if _is_m2m(change):
            for pk in change.get("pks", []):
                yield related, pk
        else:
            for raw in change:
                pk = _related_pk(model_field, raw)
                if pk is not None:
                    yield related, pk


def _json_text(value):
    if value in (None, "", [], {}):
        return ""
    if isinstance(value, dict) and {"type", "coordinates"} <= set(value):
        return _("map shape (%(kind)s)") % {"kind": value["type"]}
    if isinstance(value, list):
        return ", ".join(filter(None, (_json_text(v) for v in value)))
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_json_text(v)}" for k, v in value.items())
    return str(value)


def _moment(raw):
    value = datetime.fromisoformat(raw)
    if timezone.is_naive(value):  # auditlog stores naive UTC
        value = value.replace(tzinfo=UTC)
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _value(model_field, raw, found):
    """One stored value as the reader reads it: "" for none."""
    if raw in (None, "None", ""):
        return ""
    if model_field.is_relation:
        pk = _related_pk(model_field, raw)
        return found.get((model_field.related_model, pk), _("a deleted record"))
    if model_field.choices:
        choices = {str(key): label for key, label in model_field.flatchoices}
        return str(choices.get(str(raw), raw))
    if isinstance(model_field, models.BooleanField):
        return _("Yes") if raw in ("True", True) else _("No")
    try:
        if isinstance(model_field, models.DateTimeField):
            return _moment(raw)
        if isinstance(model_field, models.DateField):
            return formats.date_format(date.fromisoformat(raw[:10]), "SHORT_DATE_FORMAT")
        if isinstance(model_field, models.JSONField):
            return _json_text(json.loads(raw) if isinstance(raw, str) else raw)
        if isinstance(model_field, models.DecimalField | models.FloatField):
            return formats.number_format(Decimal(raw))
        if isinstance(model_field, models.IntegerField):
            return formats.number_format(int(raw))
    except (ValueError, TypeError, InvalidOperation):
        pass
    return str(raw)


@dataclass
class Change:
    """One field's change: its name, its verbose name, and the values before and after, each
    a list of what is shown (text, or a related record through the rule)."""

    field: str
    label: str
    before: list
    after: list
    stored: object = None  # the change as auditlog stored it
    relation: bool = False
    m2m: bool = False


def _m2m_values(model_field, change, found):
    if "pks" in change:
        return [found.get((model_field.related_model, pk), _("a deleted record"))
                for pk in change["pks"]]
    # Entries written before the ids were kept name related records by their name only:
    # a marked one cannot be checked, so it is not named.
    if is_marked(model_field.related_model):
        return [NOT_RELEASED for _name in change.get("objects", [])]
    return list(change.get("objects", []))


def _changes(entry, found):
    own = _own_fields(_model(entry))
    rows = []
    for name, change in recorded_changes(entry).items():
        model_field = own[name]
        label = capfirst(str(getattr(model_field, "verbose_name", name)))
        if _is_m2m(change):
            values = _m2m_values(model_field, change, found)
            added = change.get("operation") == "add"
            rows.append(Change(name, label, [] if added else values, values if added else [],
                               change, relation=True, m2m=True))
        elif isinstance(change, list | tuple) and len(change) == 2:
            before, after = (_value(model_field, raw, found) for raw in change)
            if before == after == "":
                continue  # a new record's empty field
            rows.append(Change(name, label, [before] if before != "" else [],
                               [after] if after != "" else [], change,
                               relation=model_field.is_relation))
    return rows


@dataclass
class ReadableEntry:
    """A history entry with its action and changes as one reader reads them."""

    entry: LogEntry
    action_label: str
    changes: list = field(default_factory=list)

    def __getattr__(self, name):
        return getattr(self.entry, name)


def _withheld(user, entries):
    """For each record the entries are about, the names of its related records the reader may
    not see: the record's own text and terms may have copied them (an agreement's text)."""
    by_type = {}
    for entry in entries:
        by_type.setdefault(entry.content_type_id, set()).add(entry.object_id)
    names = {}
    for type_id, pks in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        for pk, record in model._default_manager.in_bulk(pks - {None}).items():
            names[type_id, pk] = withheld_names(user, linked(record))
    return names


def _scrubbed(change, names):
    def clean(values):
        return [scrub(v, names) if isinstance(v, str) else v for v in values]

    change.before, change.after = clean(change.before), clean(change.after)
    if not change.m2m and isinstance(change.stored, list | tuple):
        change.stored = clean(change.stored)
    return change


def readable_history(entries, user):
    """History entries as `user` reads them. Every related record they name is resolved in one
    query per model, however many entries."""
    entries = list(entries)
    found = resolve(user, {pair for entry in entries for pair in _wanted(entry)})
    withheld = _withheld(user, entries)
    return [ReadableEntry(entry, str(action_label(entry)),
                          [_scrubbed(change, withheld.get((entry.content_type_id,
                                                           entry.object_id), []))
                           for change in _changes(entry, found)])
            for entry in entries]


def marked_models():
    from django.apps import apps

    from core.models import MarkedModel

    return [m for m in apps.get_models() if issubclass(m, MarkedModel)]


def recent_activity(user, limit=10):
    """The latest history entries of records the user may see, across every shareable model,
    each with its `title` as the reader may read it."""
    from django.db.models import Q

    visible = Q(pk__in=[])
    for model in marked_models():
        visible |= Q(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=model.objects.restrict(user).values("pk"),
        )
    entries = list(LogEntry.objects.filter(visible).select_related("actor", "content_type")
                   .order_by("-timestamp", "-pk")[:limit])
    # The name stored with an entry may embed a related record's (an after-action report's
    # engagement): `title` is that name without those the reader may not see.
    withheld = _withheld(user, entries)
    for entry in entries:
        entry.title = scrub(entry.object_repr,
                            withheld.get((entry.content_type_id, entry.object_id), []))
    return entries
