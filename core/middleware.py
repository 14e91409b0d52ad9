import ipaddress
import re
import uuid

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
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


# Seconds a client is asked to wait when the database cannot be reached.
UNAVAILABLE_RETRY_AFTER = 30


def database_unavailable(exc):
    """Whether a request failed because the database could not be reached or its connection
    was cut (PostgreSQL down or restarting, the backend terminated): the transaction did not
    commit, and the same request works once the database is back — each request opens its
    connection afresh, so the site recovers by itself. An error on a working connection (a
    bad query) is not this: it stays a 500."""
    if not isinstance(exc, (OperationalError, InterfaceError)) or database_busy(exc):
        return False
    raw = connection.connection
    return raw is None or bool(getattr(raw, "closed", False) or getattr(raw, "broken", False))


def unavailable_message():
    return _("Enlace cannot reach its database just now, and nothing of yours was saved. It "
             "comes back by itself: try again in a minute.")


def unavailable_response(request):
    """503 with Retry-After: the one JSON error shape for the API, else a page that needs
    nothing from the database (no context processors: they would read the user)."""
    message = unavailable_message()
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "errors": []}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html", {
            "title": _("Unavailable"), "message": message}), status=503)
    response["Retry-After"] = str(UNAVAILABLE_RETRY_AFTER)
    return response


class BusyDatabaseMiddleware:
    """A busy database answers 503 with Retry-After and a page in the user's language, never a
    500 (the API answers it in the one error shape: core.api); so does a database that cannot
    be reached (web.views.server_error answers it when a middleware met it first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if database_unavailable(exception):
            return unavailable_response(request)
        if not database_busy(exception):
            return None
        response = render(request, "503.html", {"message": busy_message()}, status=503)
        response["Retry-After"] = str(BUSY_RETRY_AFTER)
        return response
