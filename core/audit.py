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
