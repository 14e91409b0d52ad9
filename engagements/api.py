from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from accounts.models import Organization, User
from core.api import (
    Detail,
    Pagination,
    error_responses,
    get_visible,
    history_out,
    marking_args,
)
from core.schemas import HistoryEntryOut, MarkingIn, MarkingOut
from core.services import nations_by_code
from core.views import get_one
from engagements import exports, selectors
from engagements.models import (
    AfterActionReport,
    Attendance,
    Engagement,
    FollowOnProposal,
    Observation,
)
from engagements.schemas import (
    AARFilter,
    AARListOut,
    AAROut,
    AARTransitionIn,
    AARUpdate,
    AttendanceOut,
    AttendanceSetIn,
    BudgetLineCreate,
    BudgetLineOut,
    BudgetLineUpdate,
    DashboardOut,
    DashboardQuery,
    EngagementCreate,
    EngagementDetailOut,
    EngagementFilter,
    EngagementOut,
    EngagementRefOut,
    EngagementStateCode,
    EngagementTransitionIn,
    EngagementUpdate,
    ExportQuery,
    FollowOnIn,
    GatesIn,
    ObservationIn,
    ObservationOut,
    ParticipantOut,
    ParticipationCreate,
    PersonCreate,
    PersonFilter,
    PersonOut,
    PersonUpdate,
    ProposalIn,
    ProposalOut,
    ReadinessOut,
)
from engagements.services import after_action, lifecycle
from engagements.services import engagements as engagement_services
from partnerships.models import Objective, Partnership
from personnel.models import Member

router = Router(tags=["engagements"])

# ---- Engagements, budget lines, people, participants, transitions ---------------------------


def _engagement(request, engagement_id):
    return get_one(selectors.engagements_for(request.user), engagement_id)


def _chosen_partnership(user, pk):
    found = Partnership.objects.restrict(user).filter(pk=pk).first()
    if found is None:
        raise ValidationError({"partnership": _("Choose a partnership you may see.")})
    return found


def _chosen_objectives(user, ids):
    ids = set(ids)
    found = list(Objective.objects.restrict(user).filter(pk__in=ids))
    if len(found) != len(ids):
        raise ValidationError({"objectives": _("Choose objectives of this engagement's "
                                               "partnership that you may see.")})
    return found


def _chosen_lead(user, username):
    if not username:
        return None
    lead = User.objects.filter(username=username, is_active=True,
                               nation_id=user.nation_id).first()
    if lead is None:
        raise ValidationError({"lead": _("The lead must be an active user of the owning "
                                         "nation.")})
    return lead


def _engagement_fields(request, payload, exclude=()):
    user = request.user
    data = payload.dict(exclude_unset=True, exclude={"marking", *exclude})
    if "partnership" in data:
        data["partnership"] = _chosen_partnership(user, data["partnership"])
    if "objectives" in data:
        data["objectives"] = _chosen_objectives(user, data["objectives"] or [])
    if "lead" in data:
        data["lead"] = _chosen_lead(user, data["lead"])
    return data


def _finding_out(finding):
    participation = finding.participation
    return {"gate": finding.gate, "message": finding.message,
            "participation": participation.pk if participation else None,
            "person": participation.person_id if participation else None}


def _readiness_out(checklist):
    return {"ready": checklist.ready,
            "blockers": [_finding_out(f) for f in checklist.blockers],
            "warnings": [_finding_out(f) for f in checklist.warnings],
            "not_shown": checklist.not_shown}


def _with_gates(user, engagement, participants, checklist):
    own = user.nation_id == engagement.owner_nation_id
    for participation in participants:
        participation.gates = selectors.gate_rows(engagement, participation,
                                                  checklist.blockers, own)
    return participants


def _engagement_detail(request, engagement_id):
    user = request.user
    engagement = _engagement(request, engagement_id)
    checklist = selectors.checklist(user, engagement)
    participants = list(selectors.participants_for(user, engagement))
    return Detail(
        engagement,
        participants=_with_gates(user, engagement, participants, checklist),
        participants_not_shown=engagement.participations.count() - len(participants),
        budget_lines=list(selectors.budget_lines_for(user, engagement)),
        readiness=_readiness_out(checklist),
        transitions=lifecycle.transitions_for(user, engagement),
    )


def _participant(request, participation_id):
    participation = get_one(selectors.participants_for(request.user), participation_id)
    engagement = participation.engagement
    checklist = selectors.checklist(request.user, engagement)
    return _with_gates(request.user, engagement, [participation], checklist)[0]


def _person_fields(request, payload):
    data = payload.dict(exclude_unset=True, exclude={"marking", "engagement"})
    if "nation" in data:
        data["nation"] = nations_by_code([data["nation"]], "nation")[0]
    if "organization" in data:
        acronym = data["organization"]
        data["organization"] = None
        if acronym:
            data["organization"] = Organization.objects.filter(acronym__iexact=acronym).first()
            if data["organization"] is None:
                raise ValidationError({"organization": _("Unknown organization %(acronym)s.")
                                       % {"acronym": acronym}})
    if data.get("guard_member") is not None:
        member = Member.objects.restrict(request.user).filter(pk=data["guard_member"]).first()
        if member is None:
            raise ValidationError({"guard_member": _("Choose a Guard member record you may "
                                                     "see.")})
        data["guard_member"] = member
    return data


# People (registered before /engagements/{engagement_id}, whose path would match theirs).

@router.get("/engagements/people", response={200: list[PersonOut], **error_responses(422)})
@paginate(Pagination)
def list_people(request, filters: Query[PersonFilter]):
    """People you may see who take part in engagements, of either nation."""
    return selectors.people_for(request.user, **filters.dict())


@router.post("/engagements/people", response={201: PersonOut, **error_responses(403, 404, 422)})
def create_person(request, payload: PersonCreate):
    """Register a person, owned by your nation. A partner's liaison registering a participant
    for another nation's engagement names it in `engagement`: the person must be of the
    liaison's nation and is released to the engagement's owner with disclosure approved."""
    engagement = _engagement(request, payload.engagement) if payload.engagement else None
    person = engagement_services.create_person(request.user, engagement=engagement,
                                               **marking_args(payload.marking),
                                               **_person_fields(request, payload))
    return Status(201, get_one(selectors.people_for(request.user), person.pk))


@router.get("/engagements/people/{person_id}",
            response={200: PersonOut, **error_responses(404, 422)})
def get_person(request, person_id: int):
    return get_one(selectors.people_for(request.user), person_id)


@router.patch("/engagements/people/{person_id}",
              response={200: PersonOut, **error_responses(403, 404, 422)})
def update_person(request, person_id: int, payload: PersonUpdate):
    """Change the fields sent; only the owning nation may."""
    person = get_one(selectors.people_for(request.user), person_id)
    engagement_services.update_person(request.user, person, **_person_fields(request, payload))
    return get_one(selectors.people_for(request.user), person_id)


# Participants ---------------------------------------------------------------------------------

@router.get("/engagements/participants/{participation_id}",
            response={200: ParticipantOut, **error_responses(404, 422)})
def get_participant(request, participation_id: int):
    """One participant with their gates."""
    return _participant(request, participation_id)


@router.patch("/engagements/participants/{participation_id}",
              response={200: ParticipantOut, **error_responses(403, 404, 422)})
def update_participant(request, participation_id: int, payload: GatesIn):
    """Record gates. The owning nation records every gate; a partner's liaison, the visa or
    diplomatic note of its own nation's people."""
    participation = get_one(selectors.participants_for(request.user), participation_id)
    engagement_services.update_participation(request.user, participation,
                                             **payload.dict(exclude_unset=True))
    return _participant(request, participation_id)


@router.delete("/engagements/participants/{participation_id}",
               response={204: None, **error_responses(403, 404, 422)})
def remove_participant(request, participation_id: int):
    participation = get_one(selectors.participants_for(request.user), participation_id)
    engagement_services.remove_participant(request.user, participation)
    return Status(204, None)


# Budget lines ---------------------------------------------------------------------------------

@router.get("/engagements/budget-lines/{budget_line_id}",
            response={200: BudgetLineOut, **error_responses(404, 422)})
def get_budget_line(request, budget_line_id: int):
    return get_one(selectors.budget_lines_for(request.user), budget_line_id)


@router.patch("/engagements/budget-lines/{budget_line_id}",
              response={200: BudgetLineOut, **error_responses(403, 404, 422)})
def update_budget_line(request, budget_line_id: int, payload: BudgetLineUpdate):
    """Change the fields sent, the state among them (planned, allotted, obligated,
    expended)."""
    line = get_one(selectors.budget_lines_for(request.user), budget_line_id)
    engagement_services.update_budget_line(request.user, line, **payload.dict(exclude_unset=True))
    return get_one(selectors.budget_lines_for(request.user), budget_line_id)


# Engagements ----------------------------------------------------------------------------------

@router.get("/engagements", response={200: list[EngagementOut], **error_responses(422)})
@paginate(Pagination)
def list_engagements(request, filters: Query[EngagementFilter]):
    """Engagements you may see, by start date, filtered by partnership, fiscal year and
    quarter, state, type or text."""
    return selectors.engagements_for(request.user, **filters.dict())


@router.post("/engagements", response={201: EngagementOut, **error_responses(403, 422)})
def create_engagement(request, payload: EngagementCreate):
    """A new engagement concept owned by your nation. Objectives must be of the same
    partnership; the fiscal year and quarter follow the start date."""
    engagement = engagement_services.create_engagement(request.user,
                                                       **marking_args(payload.marking),
                                                       **_engagement_fields(request, payload))
    return Status(201, _engagement(request, engagement.pk))


@router.get("/engagements/{engagement_id}",
            response={200: EngagementDetailOut, **error_responses(404, 422)})
def get_engagement(request, engagement_id: int):
    """The engagement with its participants and their gates, budget lines, readiness (what
    still blocks "ready") and the transitions you may take."""
    return _engagement_detail(request, engagement_id)


@router.patch("/engagements/{engagement_id}",
              response={200: EngagementOut, **error_responses(403, 404, 422)})
def update_engagement(request, engagement_id: int, payload: EngagementUpdate):
    """Change the fields sent; the state changes only through transitions."""
    engagement = _engagement(request, engagement_id)
    engagement_services.update_engagement(request.user, engagement, **_engagement_fields(request,
                                          payload))
    return _engagement(request, engagement_id)


@router.put("/engagements/{engagement_id}/marking",
            response={200: MarkingOut, **error_responses(403, 404, 422)})
def set_engagement_marking(request, engagement_id: int, payload: MarkingIn):
    """Change who may see the engagement; its participants follow."""
    engagement = _engagement(request, engagement_id)
    engagement_services.change_engagement_marking(request.user, engagement, **marking_args(payload))
    return MarkingOut.of(_engagement(request, engagement_id))


@router.get("/engagements/{engagement_id}/history",
            response={200: list[HistoryEntryOut], **error_responses(404, 422)})
def engagement_history(request, engagement_id: int):
    return history_out(_engagement(request, engagement_id), request.user)


@router.get("/engagements/{engagement_id}/readiness",
            response={200: ReadinessOut, **error_responses(404, 422)})
def engagement_readiness(request, engagement_id: int):
    """What still blocks "ready" (blockers) and what deserves attention (warnings): each
    participant's gates, the budget, the 21-day country clearance and the 15-day
    congressional notice."""
    engagement = _engagement(request, engagement_id)
    return _readiness_out(selectors.checklist(request.user, engagement))


@router.post(
    "/engagements/{engagement_id}/transitions/{name}",
    response={200: EngagementOut, **error_responses(403, 404, 422)},
    summary="Move an engagement through its lifecycle",
)
def transition_engagement(request, engagement_id: int, name: EngagementStateCode,
                          payload: EngagementTransitionIn = None):
    """Move the engagement to state `name`: concept → nominated → approved → funded →
    preparing → ready → in_execution → executed → aar_submitted → recorded_complete → closed;
    side exits deferred, postponed (from planning) and cancelled (from any state but closed).
    Guards answer 422 with the reason: `funded` needs a budget line allotted or beyond;
    `ready`, every participant's gates green and the budget allotted; `in_execution`, the
    start date reached; `executed`, the end date passed; `aar_submitted`, the after-action
    report submitted or later; `recorded_complete`, the report approved and the tracking
    reference (which may be sent here). `deferred` and `postponed` may move the dates;
    deferring moves the start to a later fiscal year. Only the owning nation's planners may
    (403 otherwise)."""
    engagement = _engagement(request, engagement_id)
    data = payload.dict(exclude_none=True) if payload is not None else {}
    lifecycle.transition(request.user, engagement, name, **data)
    return _engagement(request, engagement_id)


@router.get("/engagements/{engagement_id}/participants",
            response={200: list[ParticipantOut], **error_responses(404, 422)})
@paginate(Pagination)
def list_participants(request, engagement_id: int):
    """The engagement's participants you may see, with their gates."""
    engagement = _engagement(request, engagement_id)
    checklist = selectors.checklist(request.user, engagement)
    return _with_gates(request.user, engagement,
                       list(selectors.participants_for(request.user, engagement)), checklist)


@router.post("/engagements/{engagement_id}/participants",
             response={201: ParticipantOut, **error_responses(403, 404, 422)})
def add_participant(request, engagement_id: int, payload: ParticipationCreate):
    """Add a person you may see. A partner's liaison adds its own nation's people to an
    engagement released to it and records only their visa or diplomatic note; gates not sent
    start as still to do where they apply."""
    engagement = _engagement(request, engagement_id)
    person = selectors.people_for(request.user).filter(pk=payload.person).first()
    if person is None:
        raise ValidationError({"person": _("Choose a person you may see.")})
    participation = engagement_services.add_participant(
        request.user, engagement, person, **payload.dict(exclude_unset=True, exclude={"person"}))
    return Status(201, _participant(request, participation.pk))


@router.get("/engagements/{engagement_id}/budget-lines",
            response={200: list[BudgetLineOut], **error_responses(404, 422)})
@paginate(Pagination)
def list_budget_lines(request, engagement_id: int):
    return selectors.budget_lines_for(request.user, _engagement(request, engagement_id))


@router.post("/engagements/{engagement_id}/budget-lines",
             response={201: BudgetLineOut, **error_responses(403, 404, 422)})
def create_budget_line(request, engagement_id: int, payload: BudgetLineCreate):
    """A budget line of an engagement your nation owns; its marking is its own (by default
    your nation only)."""
    engagement = _engagement(request, engagement_id)
    line = engagement_services.create_budget_line(
        request.user, engagement, **marking_args(payload.marking),
        **payload.dict(exclude_unset=True, exclude={"marking"}))
    return Status(201, get_one(selectors.budget_lines_for(request.user), line.pk))



# ---- After-action reports, dashboards, exports ----------------------------------------------

AARName = Literal["submit", "return", "approve", "record", "publish"]


def _aar_engagement(request, engagement_id):
    return get_visible(Engagement.objects, request.user, engagement_id)


def _aar(request, engagement_id):
    """The engagement's report, if the user may see both; else 404."""
    engagement = _aar_engagement(request, engagement_id)
    report = selectors.visible_report(request.user, engagement)
    if report is None:
        raise Http404
    return report


def _aar_out(request, report):
    user = request.user
    report = AfterActionReport.objects.restrict(user).select_related(
        "engagement").get(pk=report.pk)
    values = report.indicator_values or {}
    return {
        **{name: getattr(report, name) for name in (
            "id", "engagement_id", "state", "summary_en", "summary_es", "partner_feedback_en",
            "partner_feedback_es", "actual_cost", "currency", "due_date", "submitted_at",
            "approved_at", "return_reason")},
        "indicator_values": [
            {"indicator_id": i.pk, "name": i.name, "unit": i.unit,
             "value": Decimal(values[str(i.pk)]) if str(i.pk) in values else None}
            for i in after_action.report_indicators(report, user)],
        "transitions": after_action.aar_transitions_for(user, report),
        "marking": MarkingOut.of(report),
    }


def _nation(code, field):
    return nations_by_code([code], field)[0]


def _organization(nation, acronym):
    if not acronym:
        return None
    found = Organization.objects.filter(nation=nation, acronym__iexact=acronym).first()
    if found is None:
        raise ValidationError({"organization": _("Unknown organization %(acronym)s of "
                                                 "%(nation)s.")
                               % {"acronym": acronym, "nation": nation.code}})
    return found


@router.get("/after-action-reports", response={200: list[AARListOut], **error_responses(422)})
@paginate(Pagination)
def list_aars(request, filters: Query[AARFilter]):
    """After-action reports you may see, the most recent engagement first."""
    return selectors.reports_for(request.user, **filters.dict())


@router.get("/engagements/{engagement_id}/aar",
            response={200: AAROut, **error_responses(404, 422)})
def get_aar(request, engagement_id: int):
    """The engagement's after-action report: text, cost, indicator values, state and the steps
    you may take."""
    return _aar_out(request, _aar(request, engagement_id))


@router.post("/engagements/{engagement_id}/aar",
             response={201: AAROut, **error_responses(403, 404, 422)})
def start_aar(request, engagement_id: int):
    """Start the report of an executed engagement; it takes the engagement's marking."""
    engagement = _aar_engagement(request, engagement_id)
    if selectors.report_exists(engagement) and not selectors.visible_report(request.user,
                                                                            engagement):
        raise Http404
    report = after_action.start_aar(request.user, engagement)
    return Status(201, _aar_out(request, report))


@router.patch("/engagements/{engagement_id}/aar",
              response={200: AAROut, **error_responses(403, 404, 422)})
def update_aar(request, engagement_id: int, payload: AARUpdate):
    """Change the draft; only the fields sent change."""
    report = _aar(request, engagement_id)
    data = payload.dict(exclude_unset=True)
    values = data.pop("indicator_values", None)
    for name in list(data):
        if data[name] is None and name != "actual_cost":
            data.pop(name)
    if "currency" in data:
        data["currency"] = data["currency"].upper()
    after_action.save_aar_draft(
            request.user, report, **data,
            indicator_values={v["indicator_id"]: v["value"] for v in values or []})
    return _aar_out(request, report)


@router.put("/engagements/{engagement_id}/aar/marking",
            response={200: MarkingOut, **error_responses(403, 404, 422)})
def set_aar_marking(request, engagement_id: int, payload: MarkingIn):
    """Who may see the report; its rows follow."""
    report = _aar(request, engagement_id)
    after_action.change_aar_marking(request.user, report, rel_to=nations_by_code(payload.rel_to),
                                    disclosure=payload.disclosure, tlp=payload.tlp or "")
    return MarkingOut.of(AfterActionReport.objects.get(pk=report.pk))


@router.get("/engagements/{engagement_id}/aar/history",
            response={200: list[HistoryEntryOut], **error_responses(404, 422)})
def aar_history(request, engagement_id: int):
    return history_out(_aar(request, engagement_id), request.user)


@router.post("/engagements/{engagement_id}/aar/transitions/{name}",
             response={200: AAROut, **error_responses(403, 404, 422)})
def aar_transition(request, engagement_id: int, name: AARName, payload: AARTransitionIn):
    """submit (needs a summary and attendance; either nation's writers), return (with a
    reason), approve, record (the engagement is recorded complete and indicator values become
    measurements) or publish (needs disclosure approved and the partner nation in the
    marking) — the last four by the owning nation's approvers."""
    report = _aar(request, engagement_id)
    report = after_action.transition_aar(request.user, report, name, reason=payload.reason)
    return _aar_out(request, report)


@router.get("/engagements/{engagement_id}/aar/attendance",
            response={200: list[AttendanceOut], **error_responses(404, 422)})
@paginate(Pagination)
def list_attendance(request, engagement_id: int):
    report = _aar(request, engagement_id)
    return selectors.rows_of(Attendance, request.user, report).select_related(
        "nation", "organization")


@router.put("/engagements/{engagement_id}/aar/attendance",
            response={200: list[AttendanceOut], **error_responses(403, 404, 422)})
def set_attendance(request, engagement_id: int, payload: AttendanceSetIn):
    """Replace the attendance table (by nation, organization, grade and gender)."""
    report = _aar(request, engagement_id)
    rows = []
    for row in payload.rows:
        nation = _nation(row.nation, "nation")
        rows.append({"nation": nation, "organization": _organization(nation, row.organization),
                     "grade": row.grade, "gender": row.gender, "count": row.count})
    after_action.set_attendance(request.user, report, rows)
    return list(selectors.rows_of(Attendance, request.user, report).select_related(
        "nation", "organization"))


@router.get("/engagements/{engagement_id}/aar/observations",
            response={200: list[ObservationOut], **error_responses(404, 422)})
@paginate(Pagination)
def list_observations(request, engagement_id: int):
    return selectors.rows_of(Observation, request.user, _aar(request, engagement_id))


@router.post("/engagements/{engagement_id}/aar/observations",
             response={201: ObservationOut, **error_responses(403, 404, 422)})
def add_observation(request, engagement_id: int, payload: ObservationIn):
    report = _aar(request, engagement_id)
    observation = after_action.add_observation(request.user, report, **payload.dict())
    return Status(201, get_visible(Observation.objects, request.user, observation.pk))


@router.delete("/engagements/{engagement_id}/aar/observations/{observation_id}",
               response={204: None, **error_responses(403, 404, 422)})
def remove_observation(request, engagement_id: int, observation_id: int):
    report = _aar(request, engagement_id)
    observation = get_visible(Observation.objects.filter(report=report), request.user,
                              observation_id)
    after_action.remove_observation(request.user, observation)
    return Status(204, None)


@router.get("/engagements/{engagement_id}/aar/proposals",
            response={200: list[ProposalOut], **error_responses(404, 422)})
@paginate(Pagination)
def list_proposals(request, engagement_id: int):
    return selectors.rows_of(FollowOnProposal, request.user, _aar(request, engagement_id))


@router.post("/engagements/{engagement_id}/aar/proposals",
             response={201: ProposalOut, **error_responses(403, 404, 422)})
def add_proposal(request, engagement_id: int, payload: ProposalIn):
    report = _aar(request, engagement_id)
    proposal = after_action.add_follow_on(request.user, report, **payload.dict())
    return Status(201, get_visible(FollowOnProposal.objects, request.user, proposal.pk))


@router.delete("/engagements/{engagement_id}/aar/proposals/{proposal_id}",
               response={204: None, **error_responses(403, 404, 422)})
def remove_proposal(request, engagement_id: int, proposal_id: int):
    report = _aar(request, engagement_id)
    proposal = get_visible(FollowOnProposal.objects.filter(report=report), request.user,
                           proposal_id)
    after_action.remove_follow_on(request.user, proposal)
    return Status(204, None)


@router.post("/engagements/{engagement_id}/aar/proposals/{proposal_id}/follow-on",
             response={201: EngagementRefOut, **error_responses(403, 404, 422)})
def follow_on(request, engagement_id: int, proposal_id: int, payload: FollowOnIn):
    """Turn the proposal into a new engagement concept (same partnership, the proposal's
    type), in one step."""
    report = _aar(request, engagement_id)
    proposal = get_visible(FollowOnProposal.objects.filter(report=report), request.user,
                           proposal_id)
    engagement = after_action.propose_follow_on(request.user, proposal,
                                                start_date=payload.start_date,
                                                end_date=payload.end_date)
    return Status(201, engagement)


def _share_out(share):
    return {"counted": share.counted, "on_time": share.on_time, "open": share.open,
            "percent": share.percent}


@router.get("/dashboards/engagements", response={200: DashboardOut, **error_responses(422)})
def engagement_dashboard(request, query: Query[DashboardQuery]):
    """Engagements not yet recorded complete (the longest-waiting first, at most 200) and, per
    fiscal year and quarter, the share recorded complete within 30 days of the end."""
    user = request.user
    waiting = selectors.not_yet_recorded(user, partnership=query.partnership)
    if query.fiscal_year:
        waiting = waiting.filter(fiscal_year=query.fiscal_year)
    rows = selectors.describe_not_recorded(waiting[:200])
    shares = selectors.recorded_within_shares(user, partnership=query.partnership,
                                              fiscal_year=query.fiscal_year)
    return {
        "window_days": selectors.RECORDED_WITHIN_DAYS,
        "not_recorded_count": waiting.count(),
        "not_recorded": [{
            "engagement_id": r.engagement.pk, "title_en": r.engagement.title_en,
            "title_es": r.engagement.title_es, "state": r.engagement.state,
            "end_date": r.engagement.end_date, "days_since_end": r.days_since_end,
            "lead": r.engagement.lead.username if r.engagement.lead else None,
            "aar_state": r.aar_state or AfterActionReport.State.NOT_STARTED,
            "due_date": r.due_date, "overdue": r.overdue} for r in rows],
        "recorded_within": [{
            "fiscal_year": y.fiscal_year, "total": _share_out(y.total),
            **{f"q{q}": _share_out(y.quarters[q]) for q in (1, 2, 3, 4)}} for y in shares],
    }


_EXPORT_CONTENT = {
    "text/csv": {"schema": {"type": "string"}},
    exports.XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
}


@router.get("/exports/engagements", response=error_responses(422),
            openapi_extra={"responses": {200: {
                "description": "Engagements as a download: CSV (UTF-8 with a BOM) or XLSX",
                "content": _EXPORT_CONTENT}}})
def export_engagements(request, filters: Query[ExportQuery]):
    """The engagements you may see, filtered as on the list page, as CSV or XLSX."""
    data = filters.dict()
    return exports.engagements_export(request.user, data, format=data.pop("format"))
