"""Audit glue: who did it. Services wrap their writes in `acting_as(user)` so the history names
the actor whether the write came from the UI, the API (token users are not known to the
middleware), a job or the command line."""

from contextlib import contextmanager

from auditlog.context import auditlog_value, set_actor


@contextmanager
def acting_as(user):
    prior = auditlog_value.get(None)
    if prior is not None and prior.get("actor") == user:
        yield
        return
    remote_addr = prior.get("remote_addr") if prior else None
    try:
        with set_actor(user, remote_addr=remote_addr):
            yield
    finally:
        if prior is not None:
            auditlog_value.set(prior)
