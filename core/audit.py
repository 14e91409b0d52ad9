"""Audit glue: who did it. Services wrap their writes in `acting_as(user)` so the history names
the actor whether the write came from the UI, the API (token users are not known to the
middleware), a job or the command line."""

from contextlib import contextmanager

from auditlog.context import auditlog_value, set_actor


@contextmanager
def acting_as(user):
    # auditlog's set_actor leaves its context behind when it exits; put back the one that was
    # there (the request's, with its remote address) so writes after ours keep their actor.
    prior = auditlog_value.get(None)
    try:
        with set_actor(user, remote_addr=prior.get("remote_addr") if prior else None):
            yield
    finally:
        auditlog_value.set(prior)


def log_bulk(records, action, changes, actor, describe=str):
    """History for a bulk write that skips model signals (bulk_create, bulk_update): one entry
    per record, with the same actor and request id a single save would have recorded.
    `changes(record)` returns {field: [before, after]}; `describe(record)` its name. Values are
    stored as auditlog stores them, as strings ("None" for none)."""
    from auditlog.cid import get_cid
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from core.bulk import insert

    if not records:
        return
    content_type = ContentType.objects.get_for_model(records[0].__class__)
    now, cid = timezone.now(), get_cid()
    insert([
        LogEntry(content_type=content_type, object_pk=str(r.pk), object_id=r.pk,
                 object_repr=describe(r), action=action,
                 changes={f: [str(v) for v in pair] for f, pair in changes(r).items()},
                 actor=actor,
                 actor_email=getattr(actor, "email", None), cid=cid, timestamp=now)
        for r in records
    ])


def log_links(path):
    """History of a many-to-many link to marked records (`"app.model.field"`), as auditlog
    logs one, plus the linked records' ids ("pks"): the history then shows each linked record
    through the rule of `core.related`, never by the name stored at the time."""
    from auditlog.models import LogEntry
    from django.apps import apps
    from django.db.models.signals import m2m_changed

    app_label, model_name, field_name = path.split(".")
    through = getattr(apps.get_model(app_label, model_name), field_name).through

    def log(sender, instance, action, reverse, model, pk_set, **kwargs):
        if reverse or action not in ("post_add", "post_remove", "pre_clear"):
            return
        if action == "pre_clear":
            pk_set = set(getattr(instance, field_name).values_list("pk", flat=True))
        entry = LogEntry.objects.log_m2m_changes(
            model._default_manager.filter(pk__in=pk_set), instance,
            "add" if action == "post_add" else "delete", field_name)
        if entry is not None:
            entry.changes[field_name]["pks"] = sorted(pk_set)
            entry.save(update_fields=["changes"])

    m2m_changed.connect(log, sender=through, weak=False, dispatch_uid=f"history-links:{path}")
