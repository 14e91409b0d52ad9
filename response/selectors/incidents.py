"""Reads of incidents and units (restricted, filtered), and of the reference data every nation
shares: resource kinds and ports of entry."""

from django.db.models import Q

from response.models import Incident, PortOfEntry, ResourceKind, Unit
from response.selectors.common import filtered, nation_code


def incidents_for(user, action="view", *, status=None, kind=None, country=None, nation=None,
                  channel=None, q=None):
    """Incidents the user may take `action` on, newest first, filtered by status, kind,
    country (ISO alpha-3, where it happens), nation (the owner), request channel and text."""
    incidents = filtered(
        Incident.objects.restrict(user, action).select_related("country", "host_agency"),
        status=status, kind=kind, country__code=nation_code(country),
        owner_nation__code=nation_code(nation), request_channel=channel)
    if q:
        incidents = incidents.filter(Q(name_en__icontains=q) | Q(name_es__icontains=q)
                                     | Q(ics_number__icontains=q)
                                     | Q(municipality__icontains=q)
                                     | Q(state_region__icontains=q))
    return incidents


def units_for(user, action="view", *, organization=None, kind=None, availability=None,
              cross_border_eligible=None, held_for_home_coverage=None, nation=None, q=None):
    """Units the user may take `action` on, by organization and name, filtered by
    organization (acronym), kind (code), availability, the two flags, owner nation and
    text."""
    units = filtered(
        Unit.objects.restrict(user, action).select_related("organization", "kind"),
        organization__acronym__iexact=organization, kind__code=kind, availability=availability,
        cross_border_eligible=cross_border_eligible,
        held_for_home_coverage=held_for_home_coverage, owner_nation__code=nation_code(nation))
    if q:
        units = units.filter(Q(name__icontains=q) | Q(home_base__icontains=q)
                             | Q(qualifications__icontains=q))
    return units


def resource_kinds(*, category=None, q=None):
    """Resource kinds by category and code, filtered by category and by text in the code, the
    RTLT id or either name."""
    kinds = ResourceKind.objects.prefetch_related("substitutes")
    if category:
        kinds = kinds.filter(category=category)
    if q:
        kinds = kinds.filter(Q(code__icontains=q) | Q(rtlt_id__icontains=q)
                             | Q(name_en__icontains=q) | Q(name_es__icontains=q))
    return kinds


def ports_of_entry(*, commercial=None):
    """Ports of entry west to east; `commercial` keeps only cargo ports (True) or only the
    others (False)."""
    ports = PortOfEntry.objects.all()
    if commercial is not None:
        ports = ports.filter(commercial=commercial)
    return ports
