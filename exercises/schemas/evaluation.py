"""API schemas of evaluation and the improvement plan: evaluators' observations, objective
ratings, improvement items and what the plan feeds (the after-action report, a measurement)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.utils import timezone
from ninja import Field, Schema

from core.bounds import LONG_TEXT
from core.related import shown_id
from core.schemas import Day, MarkingOut, Moment, TransitionOptionOut
from exercises.models import EvaluatorObservation, ExerciseObjective, ImprovementItem
from exercises.selectors.evaluation import NOT_OVERDUE, OVERDUE
from exercises.services.improvement import is_overdue, item_transitions_for
from response.schemas.common import Acronym, Id, attribute

ObservationKind = Literal[tuple(EvaluatorObservation.Kind.values)]
RatingCode = Literal[tuple(ExerciseObjective.Rating.values)]
ItemState = Literal[tuple(ImprovementItem.State.values)]
ItemStep = Literal["start", "complete", "cancel", "reopen"]


def _text():
    return Field(..., min_length=1, max_length=LONG_TEXT)


class EvaluatorObservationFilter(Schema):
    kind: ObservationKind | None = None
    objective: Id | None = Field(None, description="Only those on this objective (its id)")


class EvaluatorObservationIn(Schema):
    objective: Id = Field(..., description="The id of one of the exercise's objectives")
    kind: ObservationKind
    text_en: str = _text()
    text_es: str = _text()
    at: Moment | None = Field(None, description="When it was seen: by default now; without an "
                                                "offset, your time zone")


class EvaluatorObservationOut(Schema):
    id: int
    exercise: int
    objective: int
    objective_number: int
    kind: ObservationKind
    kind_label: str = Field(..., description="In your language")
    text: str = Field(..., description="In your language")
    text_en: str
    text_es: str
    evaluator: str = Field(..., description="Username")
    organization: str | None = Field(..., description="The evaluator's organization (acronym)")
    at: datetime
    marking: MarkingOut

    resolve_exercise = attribute("exercise_id")
    resolve_objective = attribute("objective_id")
    resolve_objective_number = attribute("objective.number")
    resolve_evaluator = attribute("evaluator.username")
    resolve_organization = attribute("evaluator.organization.acronym")
    resolve_marking = staticmethod(MarkingOut.of)

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()


class RatingIn(Schema):
    rating: RatingCode | Literal[""] = Field(..., description="P, S, M or U (HSEEP); empty "
                                                              "clears the rating")


class RatingOut(Schema):
    id: int
    number: int
    text: str = Field(..., description="In your language")
    rating: RatingCode | Literal[""]
    rating_label: str = Field(..., description="In your language; empty when not rated")
    met: bool = Field(..., description="Rated P or S")
    rated_by: str | None = Field(..., description="Username")
    rated_at: datetime | None

    resolve_rated_by = attribute("rated_by.username")

    @staticmethod
    def resolve_rating_label(obj):
        return obj.get_rating_display() if obj.rating else ""


class EvaluatorsIn(Schema):
    evaluators: list[str] = Field(..., max_length=100, description="Usernames")


class EvaluatorOut(Schema):
    username: str
    name: str
    organization: str | None = Field(..., description="Acronym")

    resolve_organization = attribute("organization.acronym")

    @staticmethod
    def resolve_name(obj):
        return obj.get_full_name() or obj.username


class ItemFilter(Schema):
    state: ItemState | None = None
    overdue: Literal[OVERDUE, NOT_OVERDUE] | None = Field(
        None, description="yes: only the items still to be done after their due date; no: only "
                          "the others")
    q: str | None = Field(None, max_length=100, description="Part of the corrective action")


class ItemUpdate(Schema):
    """Only the fields sent change."""

    text_en: str = Field(None, min_length=1, max_length=LONG_TEXT)
    text_es: str = Field(None, min_length=1, max_length=LONG_TEXT)
    owner_organization: Acronym = Field(None, description="Acronym of an organization of a "
                                                          "nation the exercise is released to")
    due_date: Day = Field(None, description="On or after the day the exercise ends")
    observation: Id | None = Field(None, description="The id of one of the exercise's "
                                                     "observations")
    indicator: Id | None = Field(None, description="The id of an indicator of a partnership "
                                                   "objective the exercise's objectives map to")


class ItemCreate(ItemUpdate):
    text_en: str = _text()
    text_es: str = _text()
    owner_organization: Acronym
    due_date: Day


class ItemOut(Schema):
    id: int
    exercise: int
    exercise_title: str = Field(..., description="In your language")
    text: str = Field(..., description="In your language")
    text_en: str
    text_es: str
    owner_organization: str = Field(..., description="Acronym")
    due_date: date
    state: ItemState
    state_label: str = Field(..., description="In your language")
    overdue: bool = Field(..., description="Still to be done after its due date (today in your "
                                           "time zone)")
    completed_at: datetime | None
    observation: int | None
    after_action_report: int | None = Field(..., description="The report it was written into, "
                                                             "if you may see it")
    aar_observation: int | None = Field(..., description="The report's observation it became, "
                                                         "if you may see it")
    indicator: int | None = Field(..., description="If you may see it")
    measurement: int | None = Field(..., description="If you may see it")
    marking: MarkingOut

    resolve_exercise = attribute("exercise_id")
    resolve_exercise_title = attribute("exercise.engagement.title")
    resolve_owner_organization = attribute("owner_organization.acronym")
    resolve_observation = attribute("observation_id")
    resolve_marking = staticmethod(MarkingOut.of)

    @staticmethod
    def resolve_state_label(obj):
        return obj.get_state_display()

    @staticmethod
    def resolve_overdue(obj):
        overdue = getattr(obj, "overdue", None)  # annotated by the selectors
        return is_overdue(obj, timezone.localdate()) if overdue is None else bool(overdue)

    @staticmethod
    def resolve_after_action_report(obj, context):
        return shown_id(context["request"].user, obj, "after_action_report")

    @staticmethod
    def resolve_aar_observation(obj, context):
        return shown_id(context["request"].user, obj, "aar_observation")

    @staticmethod
    def resolve_indicator(obj, context):
        return shown_id(context["request"].user, obj, "indicator")

    @staticmethod
    def resolve_measurement(obj, context):
        return shown_id(context["request"].user, obj, "measurement")


class ItemDetailOut(ItemOut):
    transitions: list[TransitionOptionOut] = Field(..., description="The steps you may take "
                                                                     "now")

    @staticmethod
    def resolve_transitions(obj, context):
        return item_transitions_for(context["request"].user, obj)


class ReportWrittenOut(Schema):
    after_action_report: int = Field(..., description="The engagement's after-action report "
                                                      "(its engagement's id is `engagement`)")
    engagement: int
    written: int = Field(..., description="How many observations were written into it")


class ObjectivesMetIn(Schema):
    indicator: Id = Field(..., description="The id of an indicator of a partnership objective "
                                           "the exercise's objectives map to")


class ObjectivesMetOut(Schema):
    id: int
    indicator: int
    value: Decimal = Field(..., description="The share of the objectives met, in percent")
    as_of: date
    source: str
    engagement: int | None
    after_action_report: int | None

    resolve_indicator = attribute("indicator_id")
    resolve_engagement = attribute("engagement_id")
    resolve_after_action_report = attribute("after_action_report_id")
