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
    """(field, before, after) rows for one entry; m2m changes read as added/removed lists."""
    rows = []
    for field, change in (entry.changes_dict or {}).items():
        if isinstance(change, dict) and change.get("type") == "m2m":
            sign = "+" if change.get("operation") == "add" else "−"
            rows.append((field, "", f"{sign} {', '.join(change.get('objects', []))}"))
        else:
            before, after = change
            rows.append((field, before, after))
    return rows


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
