"""API schemas of exercises: the exercise, its objectives, the MSEL and the players'
responses."""

from datetime import datetime
from typing import Literal

from django.utils import timezone
from ninja import Field, Schema

from border.models import exercise_banner
from core.bounds import LONG_TEXT, REASON
from core.related import shown_id
from core.schemas import MarkingOut, Moment, TransitionOptionOut
from exercises.clock import offset_label
from exercises.models import MAX_OFFSET_MINUTES, Exercise, Inject, Language
from exercises.services.conduct import clock_of, steps_for
from response.schemas.common import Acronym, Id, attribute

KindCode = Literal[tuple(Exercise.Kind.values)]
StateCode = Literal[tuple(Exercise.State.values)]
InjectStateCode = Literal[tuple(Inject.State.values)]
SenderCode = Literal[tuple(Inject.SenderRole.values)]
LanguageCode = Literal[tuple(Language.values)]
CapabilityCode = str


def _text(required):
    return Field(... if required else None, min_length=1, max_length=LONG_TEXT)


class ExerciseFilter(Schema):
    state: StateCode | None = None
    kind: KindCode | None = None
    q: str | None = Field(None, max_length=100, description="Part of the title or scenario")


class ExerciseOut(Schema):
    id: int
    engagement: int | None = Field(..., description="The engagement it extends")
    title: str = Field(..., description="The engagement's title, in your language")
    banner_en: str = Field(..., description="EXERCISE EXERCISE EXERCISE")
    banner_es: str = Field(..., description="EJERCICIO EJERCICIO EJERCICIO")
    kind: KindCode
    scenario_en: str
    scenario_es: str
    startex: datetime
    endex: datetime
    state: StateCode
    started_at: datetime | None
    ended_at: datetime | None
    paused_at: datetime | None
    held_minutes: int = Field(..., description="Late start and ended pauses: every inject not "
                                               "yet delivered moves later by this much")
    marking: MarkingOut

    resolve_title = attribute("engagement.title")
    resolve_marking = staticmethod(MarkingOut.of)

    @staticmethod
    def resolve_engagement(obj, context):
        return shown_id(context["request"].user, obj, "engagement")

    @staticmethod
    def resolve_banner_en(obj):
        return exercise_banner("en")

    @staticmethod
    def resolve_banner_es(obj):
        return exercise_banner("es")

    @staticmethod
    def resolve_held_minutes(obj):
        return obj.paused_seconds // 60


class ExerciseDetailOut(ExerciseOut):
    steps: list[TransitionOptionOut] = Field(..., description="The conduct steps you may take "
                                                              "now")

    @staticmethod
    def resolve_steps(obj, context):
        return steps_for(context["request"].user, obj)


class ExerciseUpdate(Schema):
    """Only the fields sent change; STARTEX only while the exercise is planned."""

    kind: KindCode = None
    scenario_en: str = _text(False)
    scenario_es: str = _text(False)
    startex: Moment = Field(None, description="Without an offset: your time zone")
    endex: Moment = Field(None, description="Without an offset: your time zone")


class ExerciseCreate(Schema):
    engagement: Id = Field(..., description="An engagement of type exercise of your nation")
    kind: KindCode = Exercise.Kind.TABLETOP.value
    scenario_en: str = _text(True)
    scenario_es: str = _text(True)
    startex: Moment = Field(..., description="Without an offset: your time zone")
    endex: Moment = Field(..., description="Without an offset: your time zone")


class CapabilityOut(Schema):
    code: str
    name: str = Field(..., description="In your language")
    name_en: str
    name_es: str


class ObjectiveIn(Schema):
    number: int | None = Field(None, ge=1, le=32767, description="By default the next one")
    text_en: str = _text(True)
    text_es: str = _text(True)
    capabilities: list[CapabilityCode] = Field(default_factory=list, max_length=40,
                                               examples=[["operational_coordination"]])
    partnership_objectives: list[Id] = Field(default_factory=list, max_length=50)


class ExerciseObjectiveOut(Schema):
    id: int
    number: int
    text: str = Field(..., description="In your language")
    text_en: str
    text_es: str
    capabilities: list[str] = Field(..., description="Core capability codes")
    partnership_objectives: list[int] = Field(..., description="Those you may see")
    rating: str | None

    @staticmethod
    def resolve_capabilities(obj):
        return [c.code for c in obj.capabilities.all()]

    @staticmethod
    def resolve_partnership_objectives(obj, context):
        user = context["request"].user
        ids = {o.pk for o in obj.partnership_objectives.all()}
        from partnerships.models import Objective

        return sorted(Objective.objects.restrict(user).filter(pk__in=ids)
                      .values_list("pk", flat=True))

    @staticmethod
    def resolve_rating(obj):
        return obj.rating or None


class InjectIn(Schema):
    number: int | None = Field(None, ge=1, le=2**31 - 1, description="By default the next one")
    offset_minutes: int = Field(..., ge=0, le=MAX_OFFSET_MINUTES,
                                description="Minutes after STARTEX; before ENDEX")
    sender_role: SenderCode = Inject.SenderRole.SIMCELL.value
    sender_organization: Acronym | None = Field(None, description="Acronym, when the sender "
                                                                  "is an organization")
    receivers: list[Acronym] = Field(..., min_length=1, max_length=50,
                                     description="Acronyms of participating organizations",
                                     examples=[["DEFENSA", "CalGuard"]])
    text_en: str = _text(True)
    text_es: str = _text(True)
    expected_action_en: str = _text(True)
    expected_action_es: str = _text(True)
    objectives: list[Id] = Field(default_factory=list, max_length=50,
                                 description="Ids of the exercise's objectives")
    border_event: Id | None = Field(None, description="A border event flagged as an exercise")


class InjectOut(Schema):
    id: int
    exercise: int
    number: int
    offset_minutes: int
    offset: str = Field(..., description="STARTEX + hours:minutes")
    scheduled_at: datetime = Field(..., description="When it is (or was) delivered, as the "
                                                    "exercise clock now stands")
    sender_role: SenderCode
    sender_organization: str | None = Field(..., description="Acronym")
    receivers: list[str] = Field(..., description="Acronyms")
    text_en: str
    text_es: str
    expected_action_en: str
    expected_action_es: str
    objectives: list[int]
    state: InjectStateCode
    delivered_at: datetime | None
    skipped_at: datetime | None
    skip_reason: str
    added_during_conduct: bool
    border_event: int | None = Field(..., description="If you may see it")
    marking: MarkingOut

    resolve_exercise = attribute("exercise_id")
    resolve_sender_organization = attribute("sender_organization.acronym")
    resolve_marking = staticmethod(MarkingOut.of)

    @staticmethod
    def resolve_offset(obj):
        return f"STARTEX + {offset_label(obj.offset_minutes)}"

    @staticmethod
    def resolve_scheduled_at(obj):
        return obj.delivered_at or clock_of(obj.exercise).scheduled_for(obj.offset_minutes,
                                                                        timezone.now())

    @staticmethod
    def resolve_receivers(obj):
        return sorted(o.acronym for o in obj.receivers.all())

    @staticmethod
    def resolve_objectives(obj):
        return [o.pk for o in obj.objectives.all()]

    @staticmethod
    def resolve_border_event(obj, context):
        return shown_id(context["request"].user, obj, "border_event")


class SkipIn(Schema):
    reason: str = Field("", max_length=REASON)


class ResponseIn(Schema):
    text: str = Field(..., min_length=1, max_length=LONG_TEXT)
    language: LanguageCode
    at: Moment | None = Field(None, description="By default now; without an offset: your "
                                                "time zone")


class ResponseOut(Schema):
    id: int
    inject: int
    organization: str = Field(..., description="Acronym")
    author: str = Field(..., description="Username")
    text: str
    language: LanguageCode
    at: datetime

    resolve_inject = attribute("inject_id")
    resolve_organization = attribute("organization.acronym")
    resolve_author = attribute("author.username")
