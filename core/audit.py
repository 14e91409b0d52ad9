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
