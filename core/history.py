"""Each record's history, read from the audit log (django-auditlog), never written by hand."""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType


def history_for(record, limit=None):
    entries = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(record.__class__),
            object_pk=str(record.pk),
        )
        .select_related("actor")
        .order_by("-timestamp", "-pk")
    )
    return entries[:limit] if limit else entries


def _not_fields(entry):
    """Names auditlog recorded that are not the record's own fields: on a new or deleted record
    it also logs reverse relations (another model's foreign keys), as a manager's repr."""
    model = ContentType.objects.get_for_id(entry.content_type_id).model_class()
    if model is None:
        return set()
    own = {f.name for f in model._meta.get_fields() if f.concrete or not f.auto_created}
    return set(entry.changes_dict or {}) - own


def recorded_changes(entry):
    """The entry's changes to the record's own fields, as stored (field name → change)."""
    skip = _not_fields(entry)
    return {field: change for field, change in (entry.changes_dict or {}).items()
            if field not in skip}


def describe_changes(entry):
    """(field, before, after) rows for one entry, with choices and related records shown by
    name (auditlog's display form); m2m changes read as added or removed lists."""
    raw = recorded_changes(entry)
    skip = set(entry.changes_dict or {}) - set(raw)
    m2m = {f: c for f, c in raw.items() if isinstance(c, dict) and c.get("type") == "m2m"}
    if m2m:
        return [(field, "", f"{'+' if c.get('operation') == 'add' else '−'} "
                            f"{', '.join(c.get('objects', []))}") for field, c in m2m.items()]
    return [(field, *values) for field, values in entry.changes_display_dict.items()
            if len(values) == 2 and field not in skip]


def marked_models():
    from django.apps import apps

    from core.models import MarkedModel

    return [m for m in apps.get_models() if issubclass(m, MarkedModel)]


def recent_activity(user, limit=10):
    """The latest history entries of records the user may see, across every shareable model."""
    from django.db.models import Q

    visible = Q(pk__in=[])
    for model in marked_models():
        visible |= Q(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=model.objects.restrict(user).values("pk"),
        )
    return (
        LogEntry.objects.filter(visible)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")[:limit]
    )
