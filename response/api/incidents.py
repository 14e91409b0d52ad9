"""Incidents (with the border derivation), units, resource kinds and ports of entry."""

from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from core.api import Pagination, error_responses, history_out, marking_args
from core.schemas import HistoryEntryOut, MarkingIn, MarkingOut
from core.services import nations_by_code
from core.views import get_one
from response.models import PortOfEntry, ResourceKind
from response.schemas.incidents import (
    IncidentCreate,
    IncidentDetailOut,
    IncidentFilter,
    IncidentOut,
    IncidentUpdate,
    PortFilter,
    PortOut,
    ResourceKindDetailOut,
    ResourceKindFilter,
    ResourceKindOut,
    UnitCreate,
    UnitFilter,
    UnitOut,
    UnitUpdate,
)
from response.selectors import incidents as selectors
from response.services import common
from response.services import incidents as services

router = Router()
CODE = r"^[A-Za-z0-9-]+$"  # resource kind codes and port keys


def _fields(payload, agency):
    """The fields sent, as the service takes them; the organization named `agency` by acronym
    (left out when empty: the service's default, or no change)."""
    data = payload.dict(exclude_unset=True, exclude={"marking"})
    if data.get(agency):
        data[agency] = common.organization(data[agency], agency)
    else:
        data.pop(agency, None)
    return data


def _incident_fields(payload):
    data = _fields(payload, "host_agency")
    if "country" in data:
        data["country"] = (nations_by_code([data["country"]], "country")[0] if data["country"]
                           else None)
    return data


def _unit_fields(payload):
    data = _fields(payload, "organization")
    if "kind" in data:
        data["kind"] = common.kind(data["kind"])
    return data


# ---- Incidents -------------------------------------------------------------------------------

def _incident(request, incident_id):
    return get_one(selectors.incidents_for(request.user), incident_id)


@router.get("/incidents", response={200: list[IncidentOut], **error_responses(422)})
@paginate(Pagination)
def list_incidents(request, filters: Query[IncidentFilter]):
    """Incidents you may see, newest first, filtered by status, kind, country (where it
    happens), nation (the owner), request channel or text. Each carries the border derivation:
    the distance to the California–Baja California boundary, the side of the line, and the
    request channel it implies."""
    return selectors.incidents_for(request.user, **filters.dict())


@router.post("/incidents", response={201: IncidentDetailOut, **error_responses(403, 422)})
def create_incident(request, payload: IncidentCreate):
    """A new incident owned by your nation. The host agency (by default your organization)
    must be of your nation; the country defaults to the side of the line the point lies on.
    The perimeter is a GeoJSON Polygon or MultiPolygon with closed rings."""
    incident = services.create_incident(request.user, **marking_args(payload.marking),
                                        **_incident_fields(payload))
    return Status(201, _incident(request, incident.pk))


@router.get("/incidents/{incident_id}",
            response={200: IncidentDetailOut, **error_responses(404, 422)})
def get_incident(request, incident_id: int):
    """The incident with its border derivation, a summary of its perimeter and how many of
    its requests, offers and deployments you may see."""
    return _incident(request, incident_id)


@router.patch("/incidents/{incident_id}",
              response={200: IncidentDetailOut, **error_responses(403, 404, 422)})
def update_incident(request, incident_id: int, payload: IncidentUpdate):
    """Change the fields sent; only the owning nation may. Moving the point moves the
    derived distance and channel."""
    incident = _incident(request, incident_id)
    services.update_incident(request.user, incident, **_incident_fields(payload))
    return _incident(request, incident_id)


@router.put("/incidents/{incident_id}/marking",
             response={200: MarkingOut, **error_responses(403, 404, 422)})
def set_incident_marking(request, incident_id: int, payload: MarkingIn):
    """Change who may see the incident; only the owning nation's marking officers may."""
    incident = _incident(request, incident_id)
    services.change_incident_marking(request.user, incident, **marking_args(payload))
    return MarkingOut.of(_incident(request, incident_id))


@router.get("/incidents/{incident_id}/history",
            response={200: list[HistoryEntryOut], **error_responses(404, 422)})
def incident_history(request, incident_id: int):
    return history_out(_incident(request, incident_id), request.user)


# ---- Units -----------------------------------------------------------------------------------

def _unit(request, unit_id):
    return get_one(selectors.units_for(request.user), unit_id)


@router.get("/units", response={200: list[UnitOut], **error_responses(422)})
@paginate(Pagination)
def list_units(request, filters: Query[UnitFilter]):
    """Units you may see, filtered by organization, kind, availability, cross-border
    eligibility, held for home coverage, owner nation or text."""
    return selectors.units_for(request.user, **filters.dict())


@router.post("/units", response={201: UnitOut, **error_responses(403, 422)})
def create_unit(request, payload: UnitCreate):
    """A new unit of one of your nation's organizations (by default yours), owned by your
    nation."""
    unit = services.create_unit(request.user, **marking_args(payload.marking),
                                **_unit_fields(payload))
    return Status(201, _unit(request, unit.pk))


@router.get("/units/{unit_id}", response={200: UnitOut, **error_responses(404, 422)})
def get_unit(request, unit_id: int):
    return _unit(request, unit_id)


@router.patch("/units/{unit_id}", response={200: UnitOut, **error_responses(403, 404, 422)})
def update_unit(request, unit_id: int, payload: UnitUpdate):
    """Change the fields sent; only the owning nation may."""
    unit = _unit(request, unit_id)
    services.update_unit(request.user, unit, **_unit_fields(payload))
    return _unit(request, unit_id)


@router.put("/units/{unit_id}/marking",
             response={200: MarkingOut, **error_responses(403, 404, 422)})
def set_unit_marking(request, unit_id: int, payload: MarkingIn):
    """Change who may see the unit; only the owning nation's marking officers may."""
    unit = _unit(request, unit_id)
    services.change_unit_marking(request.user, unit, **marking_args(payload))
    return MarkingOut.of(_unit(request, unit_id))


@router.get("/units/{unit_id}/history",
            response={200: list[HistoryEntryOut], **error_responses(404, 422)})
def unit_history(request, unit_id: int):
    return history_out(_unit(request, unit_id), request.user)


# ---- Resource kinds and ports of entry (reference data) --------------------------------------

@router.get("/resource-kinds", response={200: list[ResourceKindOut], **error_responses(422)})
@paginate(Pagination)
def list_resource_kinds(request, filters: Query[ResourceKindFilter]):
    """The resource kinds of the crosswalk (NIMS/RTLT and NWCG ↔ CONAFOR, DEFENSA and civil
    protection), by category and code."""
    return selectors.resource_kinds(**filters.dict())


@router.get("/resource-kinds/{kind_code}",
            response={200: ResourceKindDetailOut, **error_responses(404, 422)})
def get_resource_kind(request, kind_code: str = Path(..., max_length=32, pattern=CODE,
                                                     examples=["CREW-HAND-T1"])):
    return get_object_or_404(
        ResourceKind.objects.prefetch_related("substitutes", "substitute_for"), code=kind_code)


@router.get("/ports-of-entry", response={200: list[PortOut], **error_responses(422)})
@paginate(Pagination)
def list_ports(request, filters: Query[PortFilter]):
    """Land ports on the California–Baja California border, west to east, with the hours
    Enlace plans crossings with."""
    return selectors.ports_of_entry(**filters.dict())


@router.get("/ports-of-entry/{port_key}",
            response={200: PortOut, **error_responses(404, 422)})
def get_port(request, port_key: str = Path(..., max_length=16, pattern=CODE,
                                           examples=["2506-C"])):
    return get_object_or_404(PortOfEntry, key=port_key)
