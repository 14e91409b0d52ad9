"""API schemas of border events and their timelines."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from border import derivation
from border.models import EXERCISE_BANNER, BorderEvent, TimelineEntry
from border.selectors.events import ALL, EXERCISE, REAL
from border.services.events import transitions_for
from core.bounds import LONG_TEXT, REASON
from core.related import shown_id
from core.schemas import MarkingOut, Moment, TransitionOptionOut
from response.schemas.common import NewMarking, attribute

SeverityCode = Literal[tuple(BorderEvent.Severity.values)]
StateCode = Literal[tuple(BorderEvent.State.values)]
SideCode = Literal["USA", "MEX"]
EntryKindCode = Literal[tuple(TimelineEntry.Kind.values)]
LanguageCode = Literal[tuple(TimelineEntry.Language.values)]
KindCode = str


class EventFilter(Schema):
    kind: KindCode | None = Field(None, max_length=32, examples=["wildfire"],
                                  description="Event kind code")
    state: StateCode | None = None
    side: SideCode | None = Field(None, description="Side of the line the point lies on")
    exercise: Literal[REAL, EXERCISE, ALL] = Field(
        REAL, description="real events only (the default), exercises only, or all: exercises "
                          "are never mixed with real events unless asked")
    q: str | None = Field(None, max_length=100, description="Part of a title or description")


class EventKindOut(Schema):
    code: str
    name: str = Field(..., description="In your language")
    name_en: str
    name_es: str
    active: bool


class SisterCitiesOut(Schema):
    key: str
    name: str = Field(..., description="In your language")
    town: str = Field(..., description="The nearer town of the pair")
    distance_km: float
    explanation: str


class NearPortOut(Schema):
    key: str
    name: str
    distance_km: float


class DerivationOut(Schema):
    side: SideCode
    distance_km: float
    in_border_zone: bool
    sister_cities: list[SisterCitiesOut]
    nearest_ports: list[NearPortOut]
    explanation: str = Field(..., description="In your language")


class EventOut(Schema):
    id: int
    kind: KindCode = Field(..., description="Event kind code")
    kind_name: str = Field(..., description="In your language")
    is_exercise: bool = Field(..., description="An exercise event: never counted with real "
                                               "events")
    banner: str = Field(..., description="EXERCISE EXERCISE EXERCISE in your language for an "
                                         "exercise event; empty for a real one")
    title: str = Field(..., description="In your language")
    title_en: str
    title_es: str
    description_en: str
    description_es: str
    severity: SeverityCode
    state: StateCode
    started_at: datetime
    ended_at: datetime | None
    latitude: float
    longitude: float
    perimeter: dict | None = Field(..., description="GeoJSON Polygon or MultiPolygon")
    claimed_side: SideCode | None = Field(..., description="The side the reporter gave")
    side: SideCode = Field(..., description="Side of the line the point lies on (derived); "
                                            "a port closure's is the side of its lanes")
    border_distance_km: float = Field(..., description="Distance to the line (derived)")
    reporting_organization: str = Field(..., description="Acronym")
    incident: int | None = Field(..., description="The mutual-aid incident the event opened, "
                                                  "if you may see it")
    marking: MarkingOut
    created_at: datetime
    updated_at: datetime

    resolve_kind = attribute("kind.code")
    resolve_kind_name = attribute("kind.name")
    resolve_reporting_organization = attribute("reporting_organization.acronym")
    resolve_marking = staticmethod(MarkingOut.of)

    @staticmethod
    def resolve_banner(obj):
        return str(EXERCISE_BANNER) if obj.is_exercise else ""

    @staticmethod
    def resolve_claimed_side(obj):
        return obj.claimed_side or None

    @staticmethod
    def resolve_incident(obj, context):
        return shown_id(context["request"].user, obj, "incident")


class EventDetailOut(EventOut):
    derivation: DerivationOut
    transitions: list[TransitionOptionOut] = Field(..., description="The steps you may take "
                                                                     "now")

    @staticmethod
    def resolve_derivation(obj):
        found = derivation.for_event(obj)
        return {
            "side": found.side, "distance_km": found.distance_km,
            "in_border_zone": found.in_border_zone,
            "sister_cities": [{"key": a.pair.key, "name": a.pair.name, "town": a.town,
                               "distance_km": a.distance_km, "explanation": a.explanation}
                              for a in found.sister_cities],
            "nearest_ports": [{"key": p.port.key, "name": p.port.name,
                               "distance_km": p.distance_km} for p in found.ports],
            "explanation": found.explanation}

    @staticmethod
    def resolve_transitions(obj, context):
        return transitions_for(context["request"].user, obj)


class EventUpdate(Schema):
    """Only the fields sent change. The side of the line and the distance follow the point;
    whether the event is an exercise stays as reported."""

    kind: KindCode = Field(None, min_length=1, max_length=32)
    title_en: str = Field(None, max_length=200)
    title_es: str = Field(None, max_length=200)
    description_en: str = Field(None, max_length=LONG_TEXT)
    description_es: str = Field(None, max_length=LONG_TEXT)
    severity: SeverityCode = None
    started_at: Moment = Field(None, description="Without an offset: your time zone")
    ended_at: Moment | None = Field(None, description="Without an offset: your time zone")
    latitude: float = None
    longitude: float = None
    claimed_side: SideCode | None = Field(None, description="The side you say the point is "
                                                            "on; Enlace checks it")
    perimeter: dict | None = Field(None, description="GeoJSON Polygon or MultiPolygon, "
                                                     "positions [longitude, latitude]")
    reporting_organization: str = Field(None, max_length=32,
                                        description="Acronym of one of your nation's "
                                                    "organizations")


class EventCreate(EventUpdate):
    kind: KindCode = Field(..., min_length=1, max_length=32, examples=["wildfire"])
    started_at: Moment = Field(..., description="Without an offset: your time zone")
    latitude: float
    longitude: float
    is_exercise: bool = False
    marking: NewMarking


class BorderEventTransitionIn(Schema):
    reason: str = Field("", max_length=REASON)


class TimelineEntryIn(Schema):
    kind: EntryKindCode = TimelineEntry.Kind.OBSERVATION.value
    text: str = Field(..., min_length=1, max_length=LONG_TEXT)
    language: LanguageCode
    at: Moment | None = Field(None, description="By default now; without an offset: your "
                                                "time zone")


class TimelineEntryOut(Schema):
    id: int
    event: int
    kind: EntryKindCode
    text: str
    language: LanguageCode
    author: str = Field(..., description="Username")
    organization: str = Field(..., description="Acronym")
    at: datetime

    resolve_event = attribute("event_id")
    resolve_author = attribute("author.username")
    resolve_organization = attribute("organization.acronym")
