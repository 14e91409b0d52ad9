"""Reads of deployments (restricted, filtered)."""

from response.models import Deployment
from response.selectors.common import filtered, nation_code


def deployments_for(user, action="view", *, incident=None, state=None, nation=None,
                    transport=None):
    """Deployments the user may take `action` on, filtered by incident, state, sending nation
    and transport."""
    return filtered(
        Deployment.objects.restrict(user, action).select_related(
            "incident", "sending_organization", "host_nation", "port"),
        incident_id=incident, state=state, owner_nation__code=nation_code(nation),
        transport=transport)
