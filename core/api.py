"""What every domain's API shares: session authentication, request parsing, the one error
shape, lookups through `restrict()`, and pagination. Bearer tokens are accounts' (accounts.api)."""

import json

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from ninja import Field
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser
from ninja.security import SessionAuth

from core.history import history_for, readable_history
from core.middleware import (
    BUSY_RETRY_AFTER,
    busy_message,
    database_busy,
    database_unavailable,
    unavailable_response,
)
from core.related import Shown
from core.schemas import ErrorOut
from core.services import nations_by_code
from core.validators import JSONDecoder, year_range_message
from core.views import get_one


def authentication_required_message():
    return _("Authentication required: sign in or send a valid bearer token.")


class BrowserSessionAuth(SessionAuth):
    """The browser's session cookie, with CSRF enforced on writes."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


def _nul_locations(value, loc):
    if isinstance(value, str):
        if "\x00" in value:
            yield loc
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _nul_locations(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_locations(item, (*loc, index))


def _refuse_nul(data, loc):
    errors = [{"type": "string_nul", "loc": at} for at in _nul_locations(data, loc)]
    if errors:
        raise NinjaValidationError(errors)


class RequestParser(Parser):
    """JSON bodies and query strings. What no field could accept is a validation error (422):
    a body that is not JSON (nesting thousands deep included), and the NUL character, which the
    database cannot store."""

    def parse_body(self, request):
        try:
            data = json.loads(request.body, cls=JSONDecoder)
        except ValueError as exc:
            raise NinjaValidationError([{"type": "json_invalid", "loc": ("body",)}]) from exc
        _refuse_nul(data, ("body",))
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        _refuse_nul(result, ("query",))
        return result


def error_responses(*statuses):
    """Responses to document besides success: 401 for every operation, plus `statuses`; all
    answer the one error shape."""
    return dict.fromkeys((401, *statuses), ErrorOut)


def get_visible(queryset, user, pk, action="view"):
    """One record the user may act on, or 404 — whether it is missing or not releasable."""
    return get_one(queryset.restrict(user, action), pk)


class Pagination(LimitOffsetPagination):
    """`limit` and `offset` on every list."""

    class Input(LimitOffsetPagination.Input):
        # The databases take a signed 64-bit OFFSET; past it they fail instead of an empty page.
        offset: int = Field(0, ge=0, le=2**63 - 1)


def marking_args(marking):
    """A `MarkingIn` as the services take it: nations for the codes (an unknown code is a
    validation error), the disclosure and the TLP."""
    return {"rel_to": nations_by_code(marking.rel_to), "disclosure": marking.disclosure,
            "tlp": marking.tlp or ""}


class Detail:
    """A record with what its detail adds (`extra`), for a response schema: the extra values
    first, then the record's own attributes."""

    def __init__(self, record, **extra):
        self._record = record
        self.__dict__.update(extra)

    def __getattr__(self, name):
        if name == "_record":
            raise AttributeError(name)
        return getattr(self._record, name)


def _shown_text(values):
    return ", ".join(str(v) for v in values)


def _api_change(change):
    """A change as stored (field → [before, after], m2m as auditlog's dict), with related
    records through the rule: an m2m change names them as the reader may read them, a foreign
    key keeps the related id only when the reader may see that record (else null)."""
    if change.m2m:
        return {"type": "m2m", "operation": change.stored.get("operation"),
                "objects": [str(v) for v in change.after or change.before]}
    if not change.relation:
        return change.stored

    def one(values):
        value = values[0] if values else None
        return str(value.record.pk) if isinstance(value, Shown) and value.visible else None

    return [one(change.before), one(change.after)]


def history_out(record, user):
    """A record's history as `user` reads it (HistoryEntryOut)."""
    return [
        {
            "timestamp": entry.timestamp.isoformat(),
            "action": entry.get_action_display(),
            "action_label": entry.action_label,
            "actor": entry.actor.username if entry.actor else None,
            "request_id": entry.cid,
            "changes": {change.field: _api_change(change) for change in entry.changes},
            "changes_display": [
                {"field": change.field, "label": change.label,
                 "before": _shown_text(change.before), "after": _shown_text(change.after)}
                for change in entry.changes
            ],
        }
        for entry in readable_history(history_for(record), user)
    ]


# Pydantic's messages are English; these are the ones a client meets, in the user's language.
def _message(error):
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    messages = {
        "missing": _("This field is required."),
        "string_too_long": _("Ensure this value has at most %(max)s characters.")
        % {"max": ctx.get("max_length")},
        "string_too_short": _("Ensure this value has at least %(min)s characters.")
        % {"min": ctx.get("min_length")},
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "string_type": _("Enter a text value."),
        "bool_parsing": _("Enter true or false."),
        "bool_type": _("Enter true or false."),
        "literal_error": _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected")},
        "enum": _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected")},
        "greater_than_equal": _("Ensure this value is at least %(min)s.") % {"min": ctx.get("ge")},
        "less_than_equal": _("Ensure this value is at most %(max)s.") % {"max": ctx.get("le")},
        "json_invalid": _("The request body is not valid JSON."),
        "string_nul": _("Null characters are not allowed."),
        "too_long": _("Too many items."),
        "list_type": _("Enter a list."),
        "model_attributes_type": _("Enter an object."),
        "dict_type": _("Enter an object."),
        "utc_offset": _("Enter a UTC offset between -12:00 and +14:00."),
        "year_range": year_range_message(),
    }
    return messages.get(kind, error.get("msg", _("Invalid value.")))


def _field(loc):
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "header")]
    return ".".join(parts) or "__all__"


def error_body(detail, errors=()):
    return {"detail": str(detail), "errors": list(errors)}


def install_error_handlers(api):
    def respond(request, status, detail, errors=()):
        return api.create_response(request, error_body(detail, errors), status=status)

    @api.exception_handler(NinjaValidationError)
    def on_schema_error(request, exc):
        errors = [{"field": _field(e.get("loc", ())), "message": _message(e)} for e in exc.errors]
        return respond(request, 422, _("The request is not valid."), errors)

    @api.exception_handler(ValidationError)
    def on_domain_error(request, exc):
        if hasattr(exc, "error_dict"):
            errors = [{"field": field, "message": str(message)}
                      for field, messages in exc.message_dict.items() for message in messages]
        else:
            errors = [{"field": "__all__", "message": str(m)} for m in exc.messages]
        return respond(request, 422, _("The request is not valid."), errors)

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request, exc):
        return respond(request, 401, authentication_required_message())

    @api.exception_handler(AuthorizationError)
    def on_forbidden_token(request, exc):
        return respond(request, 403, exc.message)

    @api.exception_handler(PermissionDenied)
    def on_permission_denied(request, exc):
        return respond(request, 403, str(exc) or _("You do not have permission to do this."))

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return respond(request, 404, _("Not found."))

    @api.exception_handler(InterfaceError)
    @api.exception_handler(OperationalError)
    def on_database_error(request, exc):
        if database_unavailable(exc):
            return unavailable_response(request)
        if not database_busy(exc):
            raise exc
        response = respond(request, 503, busy_message())
        response["Retry-After"] = str(BUSY_RETRY_AFTER)
        return response

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request, exc):
        return respond(request, 413, _("The request body is larger than %(size)s.")
                       % {"size": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)})

    @api.exception_handler(HttpError)
    def on_http_error(request, exc):
        if isinstance(exc.__cause__, NinjaValidationError):  # a body RequestParser refused
            return on_schema_error(request, exc.__cause__)
        if exc.status_code == 403 and str(exc).startswith("CSRF"):
            return respond(request, 403, _("The CSRF check failed: reload the page and try "
                                           "again."))
        return respond(request, exc.status_code, str(exc))
