import ipaddress
import re
import uuid

from django.conf import settings
from django.db import OperationalError
from django.shortcuts import render
from django.utils.translation import gettext as _

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _trusted(address):
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(proxy, strict=False)
               for proxy in settings.TRUSTED_PROXIES)


def client_address(request):
    """The client's address: the peer's, or behind TRUSTED_PROXIES the nearest address in
    X-Forwarded-For that is not one of them (what lies left of it, the client could forge)."""
    peer = request.META.get("REMOTE_ADDR", "")
    if not _trusted(peer):
        return peer
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    return next((h for h in reversed(hops) if h and not _trusted(h)), peer)


class ProxyHeadersMiddleware:
    """X-Forwarded-For and X-Forwarded-Proto are believed only from TRUSTED_PROXIES. From any
    other peer they are dropped, so a client can neither pose as another address (to dodge or
    aim the login throttle) nor claim HTTPS."""

    HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _trusted(request.META.get("REMOTE_ADDR", "")):
            for header in self.HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


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
