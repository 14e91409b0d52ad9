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


def describe_changes(entry):
    """(field, before, after) rows for one entry, with choices and related records shown by
    name (auditlog's display form); m2m changes read as added or removed lists."""
    raw = entry.changes_dict or {}
    m2m = {f: c for f, c in raw.items() if isinstance(c, dict) and c.get("type") == "m2m"}
    if m2m:
        return [(field, "", f"{'+' if c.get('operation') == 'add' else '−'} "
                            f"{', '.join(c.get('objects', []))}") for field, c in m2m.items()]
    return [(field, *values) for field, values in entry.changes_display_dict.items()
            if len(values) == 2]


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
