from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from accounts.models import Organization
from core.api import Pagination, error_responses, get_visible, history_out
from core.schemas import HistoryEntryOut, MarkingIn, MarkingOut
from core.services import change_marking, nations_by_code
from core.views import get_one
from partnerships import selectors, services
from partnerships.models import Measurement, Partnership
from partnerships.schemas import (
    AgreementCreate,
    AgreementFilter,
    AgreementOut,
    AgreementState,
    AgreementTransitionIn,
    AgreementUpdate,
    AssessmentCreate,
    AssessmentFilter,
    AssessmentOut,
    AssessmentUpdate,
    IndicatorCreate,
    IndicatorFilter,
    IndicatorOut,
    IndicatorUpdate,
    LineOfEffortCreate,
    LineOfEffortFilter,
    LineOfEffortOut,
    LineOfEffortUpdate,
    MeasurementCreate,
    MeasurementFilter,
    MeasurementOut,
    MeasurementUpdate,
    ObjectiveCreate,
    ObjectiveFilter,
    ObjectiveOut,
    ObjectiveState,
    ObjectiveUpdate,
    PartnershipCreate,
    PartnershipOut,
    PartnershipUpdate,
    ProgressOut,
)
from partnerships.selectors import partnerships_for

router = Router(tags=["partnerships"])


class PartnershipFilter(Schema):
    partner_nation: str | None = None
    status: str | None = None
    q: str | None = None


def _fields(payload, exclude=()):
    """The fields the client sent, as model values."""
    data = payload.dict(exclude_unset=True, exclude=set(exclude))
    if "partner_nation" in data:
        data["partner_nation"] = nations_by_code([data["partner_nation"]], "partner_nation")[0]
    return data


@router.get("/partnerships", response={200: list[PartnershipOut], **error_responses(422)})
@paginate(Pagination)
def list_partnerships(request, filters: Query[PartnershipFilter]):
    return partnerships_for(request.user, **filters.dict())


@router.get("/partnerships/{partnership_id}",
            response={200: PartnershipOut, **error_responses(404, 422)})
def get_partnership(request, partnership_id: int):
    return get_visible(Partnership.objects, request.user, partnership_id)


@router.post("/partnerships", response={201: PartnershipOut, **error_responses(403, 422)})
def create_partnership(request, payload: PartnershipCreate):
    marking = payload.marking
    partnership = services.create_partnership(
        request.user, rel_to=nations_by_code(marking.rel_to), disclosure=marking.disclosure,
        tlp=marking.tlp or "", **_fields(payload, exclude=["marking"]),
    )
    return Status(201, get_visible(Partnership.objects, request.user, partnership.pk))


@router.patch("/partnerships/{partnership_id}",
              response={200: PartnershipOut, **error_responses(403, 404, 422)})
def update_partnership(request, partnership_id: int, payload: PartnershipUpdate):
    partnership = get_visible(Partnership.objects, request.user, partnership_id)
    services.update_partnership(request.user, partnership, **_fields(payload))
    return get_visible(Partnership.objects, request.user, partnership_id)


@router.put("/partnerships/{partnership_id}/marking",
            response={200: MarkingOut, **error_responses(403, 404, 422)})
def set_partnership_marking(request, partnership_id: int, payload: MarkingIn):
    partnership = get_visible(Partnership.objects, request.user, partnership_id)
    change_marking(partnership, request.user, rel_to=nations_by_code(payload.rel_to),
                   disclosure=payload.disclosure, tlp=payload.tlp or "")
    return MarkingOut.of(get_visible(Partnership.objects, request.user, partnership_id))


@router.get("/partnerships/{partnership_id}/history",
            response={200: list[HistoryEntryOut], **error_responses(404, 422)})
def partnership_history(request, partnership_id: int):
    return history_out(get_visible(Partnership.objects, request.user, partnership_id), request.user)



# The partnership program ---------------------------------------------------------------------
# Records under a partnership: agreements, lines of effort, objectives, indicators, measurements
# and assessments. Each is visible when it and every record above it are; a record you may not
# see answers 404, a parent you may not see named in a body answers 422 on its field.


def _pick(queryset, pk, field):
    """A record named in a request body, which the user must be able to see."""
    record = queryset.filter(pk=pk).first() if pk is not None else None
    if record is None:
        raise ValidationError({field: _("There is no such record among those you may see.")})
    return record


def _marking_of(payload):
    """The marking the client gave, or nothing: the record is then marked like its parent."""
    marking = payload.marking
    if marking is None:
        return {}
    return {"rel_to": nations_by_code(marking.rel_to), "disclosure": marking.disclosure,
            "tlp": marking.tlp or ""}


def _organization(acronym):
    organization = Organization.objects.filter(acronym__iexact=acronym).first()
    if organization is None:
        raise ValidationError({"owner": _("Unknown organization: %(acronym)s.")
                               % {"acronym": acronym}})
    return organization


def _program_fields(request, payload, exclude=()):
    """The fields the client sent, with ids and acronyms turned into the records they name."""
    user = request.user
    data = payload.dict(exclude_unset=True, exclude={"marking", *exclude})
    if "owner" in data:
        data["owner"] = _organization(data["owner"])
    for name in ("engagement", "after_action_report"):
        if data.get(name) is not None:
            data[name] = _pick(Measurement.evidence_model(name).objects.restrict(user),
                               data[name], name)
    return data


def _set_marking(request, queryset, pk, payload):
    record = get_one(queryset, pk)
    change_marking(record, request.user, rel_to=nations_by_code(payload.rel_to),
                   disclosure=payload.disclosure, tlp=payload.tlp or "")
    return MarkingOut.of(get_one(queryset, pk))


# Agreements

@router.get("/agreements", response={200: list[AgreementOut], **error_responses(422)})
@paginate(Pagination)
def list_agreements(request, filters: Query[AgreementFilter]):
    """Agreements of the partnerships you may see: letters of intent, memoranda of
    understanding, operating plans."""
    return selectors.agreements_for(request.user, **filters.dict())


@router.get("/agreements/{agreement_id}",
            response={200: AgreementOut, **error_responses(404, 422)})
def get_agreement(request, agreement_id: int):
    return get_one(selectors.agreements_for(request.user), agreement_id)


@router.post("/agreements", response={201: AgreementOut, **error_responses(403, 422)})
def create_agreement(request, payload: AgreementCreate):
    """A new draft agreement of a partnership your nation owns."""
    user = request.user
    partnership = _pick(selectors.partnerships_for(user), payload.partnership, "partnership")
    agreement = services.create_agreement(user, partnership, **_marking_of(payload),
                                          **_program_fields(request, payload, ["partnership"]))
    return Status(201, get_one(selectors.agreements_for(user), agreement.pk))


@router.patch("/agreements/{agreement_id}",
              response={200: AgreementOut, **error_responses(403, 404, 422)})
def update_agreement(request, agreement_id: int, payload: AgreementUpdate):
    user = request.user
    agreement = get_one(selectors.agreements_for(user), agreement_id)
    services.update_agreement(user, agreement, **_program_fields(request, payload))
    return get_one(selectors.agreements_for(user), agreement_id)


@router.post("/agreements/{agreement_id}/transitions/{name}",
             response={200: AgreementOut, **error_responses(403, 404, 422)})
def transition_agreement(request, agreement_id: int, name: AgreementState,
                         query: Query[AgreementTransitionIn]):
    """Move the agreement to the state `name`: draft → in_coordination → signed (needs
    `signed_on` and `signatories`) → in_force → superseded (needs `superseded_by`, an agreement
    of the same partnership in force) or expired (not before `expires_on`). An agreement in
    coordination may go back to draft. A refused move answers 422 saying why."""
    user = request.user
    agreement = get_one(selectors.agreements_for(user), agreement_id)
    replacement = None
    if query.superseded_by is not None:
        replacement = _pick(selectors.agreements_for(user), query.superseded_by,
                            "superseded_by")
    services.transition_agreement(user, agreement, name, superseded_by=replacement)
    return get_one(selectors.agreements_for(user), agreement_id)


@router.put("/agreements/{agreement_id}/marking",
            response={200: MarkingOut, **error_responses(403, 404, 422)})
def set_agreement_marking(request, agreement_id: int, payload: MarkingIn):
    return _set_marking(request, selectors.agreements_for(request.user), agreement_id, payload)


@router.get("/agreements/{agreement_id}/history",
            response={200: list[HistoryEntryOut], **error_responses(404, 422)})
def agreement_history(request, agreement_id: int):
    return history_out(get_one(selectors.agreements_for(request.user), agreement_id), request.user)


# Lines of effort

@router.get("/lines-of-effort", response={200: list[LineOfEffortOut], **error_responses(422)})
@paginate(Pagination)
def list_lines_of_effort(request, filters: Query[LineOfEffortFilter]):
    return selectors.lines_for(request.user, **filters.dict()).order_by(
        "partnership_id", "position", "code")


@router.get("/lines-of-effort/{line_id}",
            response={200: LineOfEffortOut, **error_responses(404, 422)})
def get_line_of_effort(request, line_id: int):
    return get_one(selectors.lines_for(request.user), line_id)


@router.post("/lines-of-effort", response={201: LineOfEffortOut, **error_responses(403, 422)})
def create_line_of_effort(request, payload: LineOfEffortCreate):
    user = request.user
    partnership = _pick(selectors.partnerships_for(user), payload.partnership, "partnership")
    line = services.create_line_of_effort(user, partnership, **_marking_of(payload),
                                          **_program_fields(request, payload, ["partnership"]))
    return Status(201, get_one(selectors.lines_for(user), line.pk))


@router.patch("/lines-of-effort/{line_id}",
              response={200: LineOfEffortOut, **error_responses(403, 404, 422)})
def update_line_of_effort(request, line_id: int, payload: LineOfEffortUpdate):
    user = request.user
    line = get_one(selectors.lines_for(user), line_id)
    services.update_line_of_effort(user, line, **_program_fields(request, payload))
    return get_one(selectors.lines_for(user), line_id)


@router.put("/lines-of-effort/{line_id}/marking",
            response={200: MarkingOut, **error_responses(403, 404, 422)})
def set_line_of_effort_marking(request, line_id: int, payload: MarkingIn):
    return _set_marking(request, selectors.lines_for(request.user), line_id, payload)


@router.get("/lines-of-effort/{line_id}/history",
            response={200: list[HistoryEntryOut], **error_responses(404, 422)})
def line_of_effort_history(request, line_id: int):
    return history_out(get_one(selectors.lines_for(request.user), line_id), request.user)


# Objectives

@router.get("/objectives", response={200: list[ObjectiveOut], **error_responses(422)})
@paginate(Pagination)
def list_objectives(request, filters: Query[ObjectiveFilter]):
    return selectors.objectives_for(request.user, **filters.dict()).order_by(
        "line_of_effort_id", "code", "pk")


@router.get("/objectives/{objective_id}",
            response={200: ObjectiveOut, **error_responses(404, 422)})
def get_objective(request, objective_id: int):
    return get_one(selectors.objectives_for(request.user), objective_id)


@router.post("/objectives", response={201: ObjectiveOut, **error_responses(403, 422)})
def create_objective(request, payload: ObjectiveCreate):
    """A new draft objective under a line of effort; `owner` is the acronym of the organization
    answerable for it."""
    user = request.user
    line = _pick(selectors.lines_for(user), payload.line_of_effort, "line_of_effort")
    objective = services.create_objective(
        user, line, **_marking_of(payload), **_program_fields(request, payload,
                                                              ["line_of_effort"]))
    return Status(201, get_one(selectors.objectives_for(user), objective.pk))


@router.patch("/objectives/{objective_id}",
              response={200: ObjectiveOut, **error_responses(403, 404, 422)})
def update_objective(request, objective_id: int, payload: ObjectiveUpdate):
    user = request.user
    objective = get_one(selectors.objectives_for(user), objective_id)
    services.update_objective(user, objective, **_program_fields(request, payload))
    return get_one(selectors.objectives_for(user), objective_id)


@router.post("/objectives/{objective_id}/transitions/{name}",
             response={200: ObjectiveOut, **error_responses(403, 404, 422)})
def transition_objective(request, objective_id: int, name: ObjectiveState):
    """Move the objective to the state `name`: draft → approved (needs an indicator) →
    in_progress → achieved, partially_achieved or not_achieved; cancelled from any state not
    yet final. A refused move answers 422 saying why."""
    user = request.user
    objective = get_one(selectors.objectives_for(user), objective_id)
    services.transition_objective(user, objective, name)
    return get_one(selectors.objectives_for(user), objective_id)


@router.put("/objectives/{objective_id}/marking",
            response={200: MarkingOut, **error_responses(403, 404, 422)})
def set_objective_marking(request, objective_id: int, payload: MarkingIn):
    return _set_marking(request, selectors.objectives_for(request.user), objective_id, payload)


@router.get("/objectives/{objective_id}/history",
            response={200: list[HistoryEntryOut], **error_responses(404, 422)})
def objective_history(request, objective_id: int):
    return history_out(get_one(selectors.objectives_for(request.user), objective_id), request.user)


# Indicators

@router.get("/indicators", response={200: list[IndicatorOut], **error_responses(422)})
@paginate(Pagination)
def list_indicators(request, filters: Query[IndicatorFilter]):
    return selectors.indicators_for(request.user, **filters.dict()).order_by(
        "objective_id", "pk")


@router.get("/indicators/{indicator_id}",
            response={200: IndicatorOut, **error_responses(404, 422)})
def get_indicator(request, indicator_id: int):
    return get_one(selectors.indicators_for(request.user), indicator_id)


@router.post("/indicators", response={201: IndicatorOut, **error_responses(403, 422)})
def create_indicator(request, payload: IndicatorCreate):
    """A new indicator of an objective: what is counted (`unit`), whether higher or lower is
    better (`direction`), the baseline and the target with their dates."""
    user = request.user
    objective = _pick(selectors.objectives_for(user), payload.objective, "objective")
    indicator = services.create_indicator(user, objective, **_marking_of(payload),
                                          **_program_fields(request, payload, ["objective"]))
    return Status(201, get_one(selectors.indicators_for(user), indicator.pk))


@router.patch("/indicators/{indicator_id}",
              response={200: IndicatorOut, **error_responses(403, 404, 422)})
def update_indicator(request, indicator_id: int, payload: IndicatorUpdate):
    user = request.user
    indicator = get_one(selectors.indicators_for(user), indicator_id)
    services.update_indicator(user, indicator, **_program_fields(request, payload))
    return get_one(selectors.indicators_for(user), indicator_id)


@router.put("/indicators/{indicator_id}/marking",
            response={200: MarkingOut, **error_responses(403, 404, 422)})
def set_indicator_marking(request, indicator_id: int, payload: MarkingIn):
    return _set_marking(request, selectors.indicators_for(request.user), indicator_id, payload)


@router.get("/indicators/{indicator_id}/history",
            response={200: list[HistoryEntryOut], **error_responses(404, 422)})
def indicator_history(request, indicator_id: int):
    return history_out(get_one(selectors.indicators_for(request.user), indicator_id), request.user)


# Measurements

@router.get("/measurements", response={200: list[MeasurementOut], **error_responses(422)})
@paginate(Pagination)
def list_measurements(request, filters: Query[MeasurementFilter]):
    return selectors.measurements_for(request.user, **filters.dict()).order_by(
        "indicator_id", "as_of", "pk")


@router.get("/measurements/{measurement_id}",
            response={200: MeasurementOut, **error_responses(404, 422)})
def get_measurement(request, measurement_id: int):
    return get_one(selectors.measurements_for(request.user), measurement_id)


@router.post("/measurements", response={201: MeasurementOut, **error_responses(403, 422)})
def create_measurement(request, payload: MeasurementCreate):
    """Record a value of an indicator as of a date, with its source and, as evidence, the
    engagement and after-action report it came from. It starts unverified."""
    user = request.user
    indicator = _pick(selectors.indicators_for(user), payload.indicator, "indicator")
    fields = _program_fields(request, payload, ["indicator"])
    measurement = services.record_measurement(
        user, indicator, fields["value"], fields["as_of"], fields["source"],
        engagement=fields.get("engagement"), after_action_report=fields.get("after_action_report"),
        **_marking_of(payload))
    return Status(201, get_one(selectors.measurements_for(user), measurement.pk))


@router.patch("/measurements/{measurement_id}",
              response={200: MeasurementOut, **error_responses(403, 404, 422)})
def update_measurement(request, measurement_id: int, payload: MeasurementUpdate):
    """Correct a measurement; changing its value, date or source takes its verification
    away."""
    user = request.user
    measurement = get_one(selectors.measurements_for(user), measurement_id)
    services.update_measurement(user, measurement, **_program_fields(request, payload))
    return get_one(selectors.measurements_for(user), measurement_id)


@router.post("/measurements/{measurement_id}/verify",
             response={200: MeasurementOut, **error_responses(403, 404, 422)})
def verify_measurement(request, measurement_id: int):
    """Confirm the measurement against its source: someone other than who recorded it, once."""
    user = request.user
    services.verify_measurement(user, get_one(selectors.measurements_for(user), measurement_id))
    return get_one(selectors.measurements_for(user), measurement_id)


@router.put("/measurements/{measurement_id}/marking",
            response={200: MarkingOut, **error_responses(403, 404, 422)})
def set_measurement_marking(request, measurement_id: int, payload: MarkingIn):
    return _set_marking(request, selectors.measurements_for(request.user), measurement_id,
                        payload)


@router.get("/measurements/{measurement_id}/history",
            response={200: list[HistoryEntryOut], **error_responses(404, 422)})
def measurement_history(request, measurement_id: int):
    return history_out(get_one(selectors.measurements_for(request.user), measurement_id),
                       request.user)


# Assessments

@router.get("/assessments", response={200: list[AssessmentOut], **error_responses(422)})
@paginate(Pagination)
def list_assessments(request, filters: Query[AssessmentFilter]):
    return selectors.assessments_for(request.user, **filters.dict()).order_by(
        "partnership_id", "-assessed_on", "-pk")


@router.get("/assessments/{assessment_id}",
            response={200: AssessmentOut, **error_responses(404, 422)})
def get_assessment(request, assessment_id: int):
    return get_one(selectors.assessments_for(request.user), assessment_id)


def _assessment_line(request, data, partnership_id):
    if data.get("line_of_effort") is not None:
        data["line_of_effort"] = _pick(
            selectors.lines_for(request.user, partnership=partnership_id),
            data["line_of_effort"], "line_of_effort")
    return data


@router.post("/assessments", response={201: AssessmentOut, **error_responses(403, 422)})
def create_assessment(request, payload: AssessmentCreate):
    """An initial, periodic or final assessment of a partnership, or of one of its lines of
    effort."""
    user = request.user
    partnership = _pick(selectors.partnerships_for(user), payload.partnership, "partnership")
    fields = _assessment_line(request, _program_fields(request, payload, ["partnership"]),
                              partnership.pk)
    assessment = services.create_assessment(user, partnership, **_marking_of(payload), **fields)
    return Status(201, get_one(selectors.assessments_for(user), assessment.pk))


@router.patch("/assessments/{assessment_id}",
              response={200: AssessmentOut, **error_responses(403, 404, 422)})
def update_assessment(request, assessment_id: int, payload: AssessmentUpdate):
    user = request.user
    assessment = get_one(selectors.assessments_for(user), assessment_id)
    fields = _assessment_line(request, _program_fields(request, payload),
                              assessment.partnership_id)
    services.update_assessment(user, assessment, **fields)
    return get_one(selectors.assessments_for(user), assessment_id)


@router.put("/assessments/{assessment_id}/marking",
            response={200: MarkingOut, **error_responses(403, 404, 422)})
def set_assessment_marking(request, assessment_id: int, payload: MarkingIn):
    return _set_marking(request, selectors.assessments_for(request.user), assessment_id,
                        payload)


@router.get("/assessments/{assessment_id}/history",
            response={200: list[HistoryEntryOut], **error_responses(404, 422)})
def assessment_history(request, assessment_id: int):
    return history_out(get_one(selectors.assessments_for(request.user), assessment_id),
                       request.user)


# Progress

def _rollup(group):
    return {"percent": group.percent, "indicators": group.indicator_count, "met": group.met,
            "on_track": group.on_track, "off_track": group.off_track, "no_data": group.no_data}


def _released_pk(shown):
    """The id of a related record the reader may see; None when there is none or it is not
    released to them."""
    return shown.record.pk if shown and shown.visible else None


def _indicator_progress(progress):
    indicator, latest = progress.indicator, progress.latest
    return {
        "id": indicator.pk, "name_en": indicator.name_en, "name_es": indicator.name_es,
        "kind": indicator.kind, "unit": indicator.unit, "unit_es": indicator.unit_es,
        "direction": indicator.direction,
        "baseline_value": indicator.baseline_value, "baseline_date": indicator.baseline_date,
        "target_value": indicator.target_value, "target_date": indicator.target_date,
        "latest": None if latest is None else {
            "id": latest.pk, "value": latest.value, "as_of": latest.as_of,
            "source": latest.source, "verified": latest.verified,
            "marking": MarkingOut.of(latest)},
        "percent": progress.percent, "expected_percent": progress.expected_percent,
        "on_track": progress.on_track, "status": progress.status,
        "evidence": [{
            "measurement": e.measurement.pk, "as_of": e.measurement.as_of,
            "value": e.measurement.value, "verified": e.measurement.verified,
            "engagement": _released_pk(e.engagement),
            "engagement_title": str(e.engagement) if e.engagement else None,
            "after_action_report": _released_pk(e.report),
        } for e in progress.evidence],
        "marking": MarkingOut.of(indicator),
    }


@router.get("/partnerships/{partnership_id}/progress",
            response={200: ProgressOut, **error_responses(404, 422)})
def partnership_progress(request, partnership_id: int):
    """Progress against the partnership's objectives, as far as you may see it: per line of
    effort, per objective, per indicator, baseline → target → latest measurement, the percent
    of the way (respecting whether higher or lower is better), whether it is on track (no more
    than 10 points behind a straight line from baseline to target), and the evidence — the
    engagements and after-action reports — behind every measurement."""
    user = request.user
    partnership = get_one(selectors.partnerships_for(user), partnership_id)
    lines = selectors.objective_progress(user, partnership)
    return {
        "partnership": partnership.pk,
        "summary": _rollup(selectors.Total(lines)),
        "lines_of_effort": [{
            "id": lp.line.pk, "code": lp.line.code, "name_en": lp.line.name_en,
            "name_es": lp.line.name_es, "summary": _rollup(lp), "marking": MarkingOut.of(lp.line),
            "objectives": [{
                "id": op.objective.pk, "code": op.objective.code,
                "statement_en": op.objective.statement_en,
                "statement_es": op.objective.statement_es, "state": op.objective.state,
                "owner": op.objective.owner.acronym, "target_date": op.objective.target_date,
                "summary": _rollup(op), "marking": MarkingOut.of(op.objective),
                "indicators": [_indicator_progress(ip) for ip in op.indicators],
            } for op in lp.objectives],
        } for lp in lines],
    }
