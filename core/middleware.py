import re
import uuid

from django.db import OperationalError
from django.shortcuts import render
from django.utils.translation import gettext as _

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Gives every request an id (the caller's X-Request-ID when it is sane, else a new UUID).

    The history (auditlog's correlation id) records it, and the response echoes it, so a history
    entry can be traced to the request and the log line that made it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = given if _SAFE_REQUEST_ID.match(given) else uuid.uuid4().hex
        request.META["HTTP_X_REQUEST_ID"] = request_id
        request.request_id = request_id
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


# Seconds a client is asked to wait before trying again when the database is busy.
BUSY_RETRY_AFTER = 5


def database_busy(exc):
    """Whether a write gave up waiting for SQLite's write lock (another writer held it past the
    busy timeout). Its transaction was rolled back, and the same request will work shortly."""
    return isinstance(exc, OperationalError) and "locked" in str(exc)


def busy_message():
    return _("Enlace is busy saving other changes and nothing of yours was saved. Try again in "
             "a few seconds.")


class BusyDatabaseMiddleware:
    """A busy database answers 503 with Retry-After and a page in the user's language, never a
    500 (the API answers it in the one error shape: core.api)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_busy(exception):
            return None
        response = render(request, "503.html", {"message": busy_message()}, status=503)
        response["Retry-After"] = str(BUSY_RETRY_AFTER)
        return response
