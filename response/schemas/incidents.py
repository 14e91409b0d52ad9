"""API schemas of incidents, units, resource kinds and ports of entry."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from core.bounds import LONG_TEXT, MAX_PEOPLE
from core.schemas import MarkingOut, Moment, NationCode
from response import border
from response.geo import side_of_boundary
from response.models import Deployment, Incident, Offer, PortOfEntry, ResourceRequest, Unit
from response.schemas.common import NewMarking, attribute
from response.services.incidents import perimeter_summary

IncidentKindCode = Literal[tuple(Incident.Kind.values)]
IncidentStatusCode = Literal[tuple(Incident.Status.values)]
ChannelCode = Literal[tuple(Incident.Channel.values)]
AvailabilityCode = Literal[tuple(Unit.Availability.values)]


# ---- Incidents -------------------------------------------------------------------------------

class IncidentFilter(Schema):
    status: IncidentStatusCode | None = None
    kind: IncidentKindCode | None = None
    country: NationCode | None = Field(None, min_length=3, max_length=3,
                                       description="Where it happens (ISO alpha-3)",
                                       examples=["MEX"])
    nation: NationCode | None = Field(None, min_length=3, max_length=3,
                                      description="The owner nation (ISO alpha-3)",
                                      examples=["USA"])
    channel: ChannelCode | None = Field(None, description="The derived request channel")
    q: str | None = Field(None, max_length=100,
                          description="Part of either name, the ICS number, the state or the "
                                      "municipality")


class IncidentOut(Schema):
    id: int
    name: str = Field(..., description="In your language")
    name_en: str
    name_es: str
    kind: IncidentKindCode
    status: IncidentStatusCode
    started_at: datetime
    latitude: float
    longitude: float
    perimeter: dict | None = Field(..., description="GeoJSON Polygon or MultiPolygon")
    country: NationCode = Field(..., description="Where it happens (ISO alpha-3)")
    state_region: str
    municipality: str
    ics_number: str
    host_agency: str = Field(..., description="Acronym of the host agency")
    border_distance_km: float = Field(..., description="Distance to the California–Baja "
                                                       "California boundary")
    side: Literal["USA", "MEX"] = Field(..., description="Side of the line the point lies on")
    request_channel: ChannelCode = Field(
        ..., description="direct within the 16 km (10 mile) border zone of the 1999 "
                         "wildfire-protection agreement, national beyond it")
    request_channel_explanation: str = Field(..., description="The derivation, in your "
                                                              "language")
    marking: MarkingOut
    created_at: datetime
    updated_at: datetime

    resolve_country = attribute("country.code")
    resolve_host_agency = attribute("host_agency.acronym")

    @staticmethod
    def resolve_side(obj):
        return side_of_boundary(obj.latitude, obj.longitude)

    @staticmethod
    def resolve_request_channel_explanation(obj):
        return border.for_incident(obj).explanation

    resolve_marking = staticmethod(MarkingOut.of)


class PerimeterSummaryOut(Schema):
    polygons: int
    rings: int
    positions: int
    bbox: list[float] = Field(..., description="[west, south, east, north]")
    area_km2: float = Field(..., description="Approximate area (outer rings less holes)")


class RelatedCountsOut(Schema):
    requests: int
    offers: int
    deployments: int


class IncidentDetailOut(IncidentOut):
    perimeter_summary: PerimeterSummaryOut | None
    related: RelatedCountsOut = Field(..., description="Requests, offers and deployments of "
                                                       "the incident that you may see")

    @staticmethod
    def resolve_perimeter_summary(obj):
        return perimeter_summary(obj.perimeter)

    @staticmethod
    def resolve_related(obj, context):
        user = context["request"].user
        return {name: model.objects.restrict(user).filter(incident=obj).count()
                for name, model in (("requests", ResourceRequest), ("offers", Offer),
                                    ("deployments", Deployment))}


class IncidentUpdate(Schema):
    """Only the fields sent change. The distance to the border and the request channel follow
    the point."""

    name_en: str = Field(None, min_length=1, max_length=200)
    name_es: str = Field(None, min_length=1, max_length=200)
    kind: IncidentKindCode = None
    status: IncidentStatusCode = None
    started_at: Moment = Field(None, description="Without an offset: your time zone")
    latitude: float = None
    longitude: float = None
    perimeter: dict | None = Field(None, description="GeoJSON Polygon or MultiPolygon, "
                                                     "positions [longitude, latitude]")
    country: NationCode | None = Field(None, min_length=3, max_length=3, examples=["USA"],
                                       description="Empty: the side of the line the point "
                                                   "lies on")
    state_region: str = Field(None, max_length=64)
    municipality: str = Field(None, max_length=100)
    ics_number: str = Field(None, max_length=64)
    host_agency: str = Field(None, max_length=32, description="Acronym of one of your "
                                                              "nation's organizations")


class IncidentCreate(IncidentUpdate):
    name_en: str = Field(..., min_length=1, max_length=200)
    name_es: str = Field(..., min_length=1, max_length=200)
    kind: IncidentKindCode
    started_at: Moment = Field(..., description="Without an offset: your time zone")
    latitude: float
    longitude: float
    host_agency: str = Field(None, max_length=32, description="Acronym of one of your "
                                                              "nation's organizations; by "
                                                              "default your own")
    marking: NewMarking


# ---- Units -----------------------------------------------------------------------------------

class UnitFilter(Schema):
    organization: str | None = Field(None, max_length=32, description="Acronym",
                                     examples=["CAL FIRE"])
    kind: str | None = Field(None, max_length=32, description="Resource kind code",
                             examples=["CREW-HAND-T1"])
    availability: AvailabilityCode | None = None
    cross_border_eligible: bool | None = None
    held_for_home_coverage: bool | None = None
    nation: NationCode | None = Field(None, min_length=3, max_length=3,
                                      description="The owner nation", examples=["MEX"])
    q: str | None = Field(None, max_length=100,
                          description="Part of the name, home base or qualifications")


class UnitOut(Schema):
    id: int
    name: str
    organization: str = Field(..., description="Acronym")
    kind: str = Field(..., description="Resource kind code")
    kind_name: str = Field(..., description="In your language")
    home_base: str
    home_latitude: float
    home_longitude: float
    headcount: int
    qualifications: str
    languages: list[str] = Field(..., description="ISO 639-1 codes", examples=[["es", "en"]])
    availability: AvailabilityCode
    available_from: datetime | None
    available_until: datetime | None
    held_for_home_coverage: bool
    cross_border_eligible: bool
    air_capable: bool
    marking: MarkingOut
    created_at: datetime
    updated_at: datetime

    resolve_organization = attribute("organization.acronym")
    resolve_kind = attribute("kind.code")
    resolve_kind_name = attribute("kind.name")

    @staticmethod
    def resolve_languages(obj):
        return [code for code in obj.languages.split(",") if code]

    resolve_marking = staticmethod(MarkingOut.of)


class UnitUpdate(Schema):
    """Only the fields sent change."""

    name: str = Field(None, min_length=1, max_length=200)
    organization: str = Field(None, max_length=32, description="Acronym of one of your "
                                                               "nation's organizations")
    kind: str = Field(None, max_length=32, description="Resource kind code")
    home_base: str = Field(None, min_length=1, max_length=200)
    home_latitude: float = None
    home_longitude: float = None
    headcount: int = Field(None, ge=0, le=MAX_PEOPLE)
    qualifications: str = Field(None, max_length=LONG_TEXT)
    languages: list[str] | str = Field(None, description="ISO 639-1 codes: a list or "
                                                         "comma-separated",
                                       examples=[["es", "en"]])
    availability: AvailabilityCode = None
    available_from: Moment | None = None
    available_until: Moment | None = None
    held_for_home_coverage: bool = None
    cross_border_eligible: bool = None
    air_capable: bool = None


class UnitCreate(UnitUpdate):
    name: str = Field(..., min_length=1, max_length=200)
    organization: str = Field(None, max_length=32, description="Acronym of one of your "
                                                               "nation's organizations; by "
                                                               "default your own")
    kind: str = Field(..., max_length=32, description="Resource kind code")
    home_base: str = Field(..., min_length=1, max_length=200)
    home_latitude: float
    home_longitude: float
    marking: NewMarking


# ---- Resource kinds and ports of entry -------------------------------------------------------

class ResourceKindFilter(Schema):
    category: str | None = Field(None, max_length=64, examples=["Fire/HazMat"])
    q: str | None = Field(None, max_length=100,
                          description="Part of the code, the RTLT id or either name")


class ResourceKindOut(Schema):
    code: str
    rtlt_id: str = Field(..., description="NIMS Resource Typing Library id, where known")
    category: str
    name: str = Field(..., description="In your language")
    name_en: str
    name_es: str
    typical_personnel: int | None = Field(..., description="Typical headcount")
    typical_equipment: str
    substitutes: list[str] = Field(..., description="Codes of acceptable substitutes")
    substitutes_note: str
    notes: str

    @staticmethod
    def resolve_substitutes(obj):
        return [kind.code for kind in obj.substitutes.all()]


class ResourceKindDetailOut(ResourceKindOut):
    substitute_for: list[str] = Field(..., description="Codes of the kinds this one may "
                                                       "stand in for")

    @staticmethod
    def resolve_substitute_for(obj):
        return [kind.code for kind in obj.substitute_for.all()]


class PortFilter(Schema):
    commercial: bool | None = Field(None, description="Only cargo ports, or only the others")


class PortOut(Schema):
    key: str
    code: str = Field(..., description="Port code")
    name: str = Field(..., description="In your language")
    name_en: str
    name_es: str
    us_city: str
    mx_city: str
    latitude: float
    longitude: float
    commercial: bool
    hours_text: str = Field(..., description="The hours as published, in the reader's "
                            "language")
    # Wall-clock times at the border (time_zone), not instants: RFC 3339 "time" would demand
    # an offset, which changes with daylight saving.
    opens: str | None = Field(..., pattern=r"^\d{2}:\d{2}$", examples=["06:00"],
                              description="Local time (time_zone); empty with closes: open "
                                          "24 hours")
    closes: str | None = Field(..., pattern=r"^\d{2}:\d{2}$", examples=["22:00"])
    days: Literal[tuple(PortOfEntry.Days.values)]
    open_all_day: bool
    hours_provisional: bool = Field(..., description="The source marks the hours "
                                                     "unconfirmed")
    time_zone: str = Field(..., description="The clock of opens and closes")
    notes: str

    @staticmethod
    def resolve_opens(obj):
        return obj.opens.strftime("%H:%M") if obj.opens else None

    @staticmethod
    def resolve_closes(obj):
        return obj.closes.strftime("%H:%M") if obj.closes else None

    resolve_time_zone = attribute("TIME_ZONE")
