"""Every read of interop, restricted (`restrict(user, action)`): received alerts, and the
incidents whose CAP alerts the reader may have (response's own restricted read)."""

from django.db.models import Q

from interop.models import ReceivedAlert
from interop.outgoing import with_exercise
from response.selectors.common import filtered
from response.selectors.incidents import incidents_for


def alerts_for(user, action="view", *, status=None, msg_type=None, version=None, q=None):
    """Received alerts the user may take `action` on, newest first, filtered by CAP status,
    message type, version and text."""
    alerts = filtered(
        ReceivedAlert.objects.restrict(user, action).select_related(
            "importing_organization", "owner_nation").prefetch_related("rel_to")
        .defer("document"),
        status=status, msg_type=msg_type, version=version)
    if q:
        alerts = alerts.filter(Q(headline_en__icontains=q) | Q(headline_es__icontains=q)
                               | Q(event_en__icontains=q) | Q(event_es__icontains=q)
                               | Q(sender__icontains=q) | Q(identifier__icontains=q))
    return alerts


def document_of(user, pk):
    """The received document's bytes, if the user may see the alert (else DoesNotExist)."""
    return bytes(ReceivedAlert.objects.restrict(user).values_list("document", flat=True)
                 .get(pk=pk))


def alert_incidents(user):
    """Incidents the user may see, as their CAP alerts need them (most recently changed
    first)."""
    return with_exercise(incidents_for(user).select_related("host_agency__nation", "country")
                         .prefetch_related("rel_to").order_by("-updated_at", "-pk"))
