from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from icalendar import Calendar as ICalendar
from icalendar import Event as ICalEvent

from core.history import history_for
from core.pdf import pdf_filename, pdf_response
from core.permissions import may
from core.related import NOT_RELEASED, may_see, shown, shown_many, with_shown
from core.views import (
    attempt,
    create_page,
    get_one,
    list_page,
    marking_page,
    paginate,
    record_page,
    refusal,
    run_service,
    update_page,
)
from engagements import selectors
from engagements import selectors as aar_selectors
from engagements.exports import engagements_export
from engagements.fiscal import FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR, fiscal_year_bounds
from engagements.forms import (
    AARFilterForm,
    AARForm,
    AttendanceFormSet,
    BudgetLineForm,
    CalendarFeedForm,
    CalendarFilterForm,
    EngagementFilterForm,
    EngagementForm,
    FollowOnForm,
    GatesForm,
    ObservationForm,
    ParticipantForm,
    PersonFilterForm,
    PersonForm,
    ProposalForm,
    ReturnForm,
    TransitionForm,
    attendance_rows,
)
from engagements.models import (
    AfterActionReport,
    Attendance,
    CalendarFeed,
    Engagement,
    FollowOnProposal,
    Observation,
    Participation,
)
from engagements.services import after_action, feeds, lifecycle
from engagements.services import engagements as engagement_services
from partnerships.models import Objective, Partnership

# ---- Engagements, budget lines, people, participants, checklist -----------------------------


@login_required
def engagement_list(request):
    user = request.user
    form = EngagementFilterForm(request.GET, user=user)
    return list_page(request, "engagements/list.html", "engagements/_engagements.html", form,
                     selectors.engagements_for(user, **form.filters()),
                     prepare=lambda page: with_shown(user, page, "partnership"),
                     can_add=user.has_perm("engagements.add_engagement"))


def _participant_rows(user, engagement, checklist):
    own = user.nation_id == engagement.owner_nation_id
    rows = []
    for participation in selectors.participants_for(user, engagement):
        rows.append({
            "participation": participation,
            "gates": selectors.gate_rows(engagement, participation, checklist.blockers, own),
            "blockers": [f for f in checklist.blockers
                         if f.participation is not None
                         and f.participation.pk == participation.pk],
        })
    return rows


@login_required
def engagement_detail(request, pk):
    user = request.user
    engagement = get_one(selectors.engagements_for(user), pk)
    checklist = selectors.checklist(user, engagement)
    rows = _participant_rows(user, engagement, checklist)
    can_change = may(user, engagement, "change")
    return record_page(
        request, "engagements/detail.html", engagement, engagement=engagement,
        partnership=shown(user, engagement.partnership),
        # Every linked objective, through the rule: one the reader may not see is not named.
        objectives=shown_many(user, Objective.objects.filter(engagements=engagement)),
        participants=rows,
        participants_not_shown=engagement.participations.count() - len(rows),
        budget_lines=list(selectors.budget_lines_for(user, engagement)),
        checklist=checklist,
        transitions=lifecycle.transitions_for(user, engagement),
        transition_form=TransitionForm(initial={
            "tracking_reference": engagement.tracking_reference}),
        can_change=can_change and engagement.state not in engagement_services.FINAL_STATES,
        can_add_participant=user.has_perm("engagements.add_participation")
        and engagement.state not in engagement_services.FINAL_STATES,
        can_add_budget=can_change and user.has_perm("engagements.add_budgetline"),
        has_report=AfterActionReport.objects.filter(engagement=engagement).exists())


@login_required
def engagement_checklist(request, pk):
    """What still blocks "ready", participant by participant, and what deserves attention."""
    user = request.user
    engagement = get_one(selectors.engagements_for(user), pk)
    checklist = selectors.checklist(user, engagement)
    return render(request, "engagements/checklist.html", {
        "engagement": engagement, "checklist": checklist,
        "participants": _participant_rows(user, engagement, checklist),
        "today": timezone.localdate(),
    })


@login_required
@permission_required("engagements.add_engagement", raise_exception=True)
@require_http_methods(["GET", "POST"])
def engagement_create(request):
    user = request.user
    initial = {}
    if request.GET.get("partnership", "").isdigit():
        initial["partnership"] = request.GET["partnership"]
    form = EngagementForm(request.POST or None, user=user, prefix="e", initial=initial)
    return create_page(request, form, engagement_services.create_engagement,
                       "engagements/form.html", _("Engagement created as a concept."),
                       engagement=None)


@login_required
@require_http_methods(["GET", "POST"])
def engagement_update(request, pk):
    user = request.user
    engagement = get_one(selectors.engagements_for(user, action="change"), pk)
    # The form writes its values onto the instance: the service checks and saves them.
    form = EngagementForm(request.POST or None, instance=engagement, user=user, prefix="e")
    return update_page(request, engagement, form, engagement_services.update_engagement,
                       "engagements/form.html", _("Engagement updated."), engagement=engagement)


@login_required
@require_http_methods(["GET", "POST"])
def engagement_marking(request, pk):
    engagement = get_one(selectors.engagements_for(request.user, action="change_marking"), pk)
    return marking_page(request, engagement, engagement_services.change_engagement_marking,
                        "engagements/marking.html")


@login_required
@require_POST
def engagement_transition(request, pk, name):
    """One lifecycle step; a guard's refusal comes back as a message on the engagement's
    page."""
    user = request.user
    engagement = get_one(selectors.engagements_for(user), pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(engagement)
    fields = lifecycle.LIFECYCLE.step(name).fields if name in lifecycle.LIFECYCLE else ()
    if attempt(request, lifecycle.transition, user, engagement, name, **form.data_for(fields)):
        engagement.refresh_from_db()
        messages.success(request, _("The engagement is now %(state)s.")
                         % {"state": engagement.get_state_display().lower()})
    return redirect(engagement)


# Participants --------------------------------------------------------------------------------

@login_required
@permission_required("engagements.add_participation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def participant_add(request, pk):
    """Add a registered person, or register a new one, with their gates. A partner's liaison
    registers its own nation's people and records their visa."""
    user = request.user
    engagement = get_one(selectors.engagements_for(user), pk)
    partner = engagement.owner_nation_id != user.nation_id
    data = request.POST or None
    choose = ParticipantForm(data, people=selectors.addable_people(user, engagement),
                             engagement=engagement, prefix="c")
    person_form = PersonForm(data, user=user, prefix="p", own_nation_only=partner,
                             initial={"nation": user.nation})
    gates_form = GatesForm(data, partner=partner, prefix="g")
    if request.method == "POST" and choose.is_valid() and gates_form.is_valid():
        person = choose.cleaned_data["person"]
        participation = None
        if person is not None:
            participation = run_service(choose, engagement_services.add_participant, user,
                                        engagement, person, **gates_form.service_fields())
        elif person_form.is_valid():
            participation = run_service(person_form, engagement_services.register_participant, user,
                                        engagement, gates=gates_form.service_fields(),
                                        **person_form.service_fields())
        if participation is not None:
            messages.success(request, _("%(person)s added to the engagement.")
                             % {"person": participation.person})
            return redirect(engagement)
        if person is not None:  # the new-person fields were not used: show them empty
            person_form = PersonForm(user=user, prefix="p", own_nation_only=partner,
                                     initial={"nation": user.nation})
    return render(request, "engagements/participant_form.html", {
        "engagement": engagement, "choose": choose, "person_form": person_form,
        "gates_form": gates_form, "partner": partner, "participation": None})


@login_required
def participant_detail(request, pk):
    user = request.user
    participation = get_one(selectors.participants_for(user), pk)
    engagement = participation.engagement
    checklist = selectors.checklist(user, engagement)
    mine = [f for f in [*checklist.blockers, *checklist.warnings]
            if f.participation is not None and f.participation.pk == participation.pk]
    own = user.nation_id == engagement.owner_nation_id
    return record_page(
        request, "engagements/participant.html", participation, participation=participation,
        engagement=engagement, person=participation.person,
        gates=selectors.gate_rows(engagement, participation, checklist.blockers, own),
        findings=mine,
        can_change=may(user, participation, "change")
        and (own or participation.person.owner_nation_id == user.nation_id),
        can_remove=may(user, participation, "delete"))


@login_required
@require_http_methods(["GET", "POST"])
def participant_update(request, pk):
    user = request.user
    participation = get_one(selectors.participants_for(user, action="change"), pk)
    engagement = participation.engagement
    partner = participation.owner_nation_id != user.nation_id
    if partner and participation.person.owner_nation_id != user.nation_id:
        raise Http404
    # The form writes onto a copy of its own: the service applies the gates to the stored
    # record.
    copy = Participation.objects.get(pk=participation.pk)
    form = GatesForm(request.POST or None, instance=copy, partner=partner, prefix="g")
    return update_page(request, participation, form, engagement_services.update_participation,
                       "engagements/gates_form.html",
                       _("Gates recorded for %(person)s.") % {"person": participation.person},
                       then=reverse("engagements:participant", args=[participation.pk]),
                       engagement=engagement, participation=participation, partner=partner)


@login_required
@require_POST
def participant_remove(request, pk):
    user = request.user
    participation = get_one(selectors.participants_for(user, action="delete"), pk)
    engagement = participation.engagement
    if attempt(request, engagement_services.remove_participant, user, participation):
        messages.success(request, _("%(person)s removed from the engagement.")
                         % {"person": participation.person})
    return redirect(engagement)


# Budget lines --------------------------------------------------------------------------------

@login_required
@permission_required("engagements.add_budgetline", raise_exception=True)
@require_http_methods(["GET", "POST"])
def budget_line_add(request, pk):
    user = request.user
    engagement = get_one(selectors.engagements_for(user, action="change"), pk)
    form = BudgetLineForm(request.POST or None, prefix="b")
    # Released to the user's nation only until they say otherwise, not as wide as the
    # engagement: a budget is the owning nation's business.
    return create_page(request, form,
                       partial(engagement_services.create_budget_line, engagement=engagement),
                       "engagements/budget_line_form.html", _("Budget line added."),
                       then=engagement, engagement=engagement, line=None)


@login_required
def budget_line_detail(request, pk):
    line = get_one(selectors.budget_lines_for(request.user), pk)
    return record_page(request, "engagements/budget_line.html", line, line=line,
                       engagement=line.engagement)


@login_required
@require_http_methods(["GET", "POST"])
def budget_line_update(request, pk):
    user = request.user
    line = get_one(selectors.budget_lines_for(user, action="change"), pk)
    form = BudgetLineForm(request.POST or None, instance=line, prefix="b")
    return update_page(request, line, form, engagement_services.update_budget_line,
                       "engagements/budget_line_form.html", _("Budget line updated."),
                       then=reverse("engagements:budget_line", args=[line.pk]),
                       engagement=line.engagement, line=line)


# People --------------------------------------------------------------------------------------

@login_required
def person_list(request):
    form = PersonFilterForm(request.GET)
    return list_page(request, "engagements/people.html", "engagements/_people.html", form,
                     selectors.people_for(request.user, **form.filters()),
                     can_add=request.user.has_perm("engagements.add_person"))


@login_required
def person_detail(request, pk):
    user = request.user
    person = get_one(selectors.people_for(user), pk)
    return record_page(
        request, "engagements/person.html", person, person=person,
        participations=list(selectors.participants_for(user).filter(person=person)
                            .order_by("engagement__start_date")),
        guard_member=shown(user, person.guard_member))


@login_required
@permission_required("engagements.add_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
def person_create(request):
    user = request.user
    form = PersonForm(request.POST or None, user=user, prefix="p",
                      initial={"nation": user.nation})
    return create_page(request, form, engagement_services.create_person,
                       "engagements/person_form.html", _("Person registered."),
                       then=lambda person: reverse("engagements:person", args=[person.pk]),
                       person=None)


@login_required
@require_http_methods(["GET", "POST"])
def person_update(request, pk):
    user = request.user
    person = get_one(selectors.people_for(user, action="change"), pk)
    form = PersonForm(request.POST or None, instance=person, user=user, prefix="p")
    return update_page(request, person, form, engagement_services.update_person,
                       "engagements/person_form.html", _("Person updated."),
                       then=reverse("engagements:person", args=[person.pk]), person=person)


# ---- After-action reports, dashboards, calendar, exports ------------------------------------

def _aar_engagement(request, engagement_id):
    return get_one(Engagement.objects.restrict(request.user)
                   .select_related("partnership__partner_nation", "lead"), engagement_id)


def _aar_report(request, engagement):
    """The engagement's report the user may see; None when there is none yet. A report that
    exists but is not released to the user answers 404, as any record they may not see."""
    report = aar_selectors.visible_report(request.user, engagement)
    if report is None and aar_selectors.report_exists(engagement):
        raise Http404
    return report


def _aar_page(request, engagement, report, *, status=200, **bound):
    """The report's page: state, due date, sections (editable while it is a draft and the
    user may write it), the steps the user may take, and its history."""
    user = request.user
    today = timezone.localdate()
    due_date = engagement.end_date + timedelta(days=settings.AAR_DUE_DAYS)
    context = {"engagement": engagement, "report": report, "due_date": due_date,
               "due_days": settings.AAR_DUE_DAYS, "can_start": False, "can_write": False,
               "step_errors": bound.get("step_errors")}
    if report is None:
        context["can_start"] = (engagement.state in after_action.AAR_STARTS_FROM
                                and user.has_perm("engagements.change_afteractionreport"))
        context["overdue"] = (engagement.state in after_action.AAR_STARTS_FROM
                              and aar_selectors.report_overdue(due_date, None, today))
        return render(request, "engagements/aar.html", context, status=status)
    can_write = (report.state in after_action.AAR_EDITABLE_STATES
                 and may(user, report, "change"))
    indicators = list(after_action.report_indicators(report, user))
    values = report.indicator_values or {}
    attendance = list(aar_selectors.rows_of(Attendance, user, report)
                      .select_related("nation", "organization"))
    context.update({
        "can_write": can_write,
        "can_add_attendance": can_write and user.has_perm("engagements.add_attendance"),
        "can_add_observation": can_write and user.has_perm("engagements.add_observation"),
        "can_add_proposal": can_write and user.has_perm("engagements.add_followonproposal"),
        "can_follow_on": may(user, report, "change", perm="engagements.add_engagement"),
        "can_mark": may(user, report, "change_marking"),
        "overdue": aar_selectors.report_overdue(report.due_date, report.state, today),
        "indicator_values": [(i, values.get(str(i.pk))) for i in indicators],
        "attendance": attendance,
        "attendance_total": sum(a.count for a in attendance),
        "observations": list(aar_selectors.rows_of(Observation, user, report)),
        "proposals": list(aar_selectors.rows_of(FollowOnProposal, user, report)
                          .select_related("engagement")),
        "transitions": after_action.AAR_LIFECYCLE.options(user, report),
        "history": history_for(report),
        "form": bound.get("form") or (
            AARForm(instance=report, indicators=indicators, prefix="aar") if can_write
            else None),
        "attendance_formset": bound.get("attendance_formset") or AttendanceFormSet(
            prefix="att", initial=[
                {"nation": a.nation, "organization": a.organization, "grade": a.grade,
                 "gender": a.gender, "count": a.count} for a in attendance]),
        "observation_form": bound.get("observation_form") or ObservationForm(prefix="obs"),
        "proposal_form": bound.get("proposal_form") or ProposalForm(prefix="fop"),
        "return_form": bound.get("return_form") or ReturnForm(prefix="ret"),
        "follow_on_form": bound.get("follow_on_form") or FollowOnForm(prefix="fo"),
    })
    return render(request, "engagements/aar.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def aar(request, engagement_id):
    """The engagement's after-action report; POST saves the draft."""
    engagement = _aar_engagement(request, engagement_id)
    report = _aar_report(request, engagement)
    if request.method == "POST":
        if report is None:
            raise Http404
        form = AARForm(request.POST, instance=AfterActionReport.objects.get(pk=report.pk),
                       indicators=after_action.report_indicators(report, request.user),
                       prefix="aar")
        if form.is_valid():
            # The form wrote the cleaned values onto its instance; the service validates again
            # and saves them (or refuses, and the form shows why).
            if run_service(form, after_action.save_aar_draft, request.user, report,
                           **form.draft()) is not None:
                messages.success(request, _("Draft saved."))
                return redirect("engagements:aar", engagement.pk)
        return _aar_page(request, engagement, _aar_report(request, engagement), form=form)
    return _aar_page(request, engagement, report)


@login_required
def aar_pdf(request, engagement_id):
    """The after-action report as a printed form, English and Spanish side by side (core.pdf):
    what its page shows, as far as the user may see it; 404 when there is no report or it is
    not released to the user."""
    user = request.user
    engagement = _aar_engagement(request, engagement_id)
    report = _aar_report(request, engagement)
    if report is None:
        raise Http404
    values = report.indicator_values or {}
    attendance = list(aar_selectors.rows_of(Attendance, user, report)
                      .select_related("nation", "organization"))
    partnership = engagement.partnership
    context = {
        "e": engagement, "report": report, "printed_at": timezone.now(),
        "partnership": partnership if may_see(user, partnership) else NOT_RELEASED,
        "submitted_by": report.submitted_by and (report.submitted_by.get_full_name()
                                                 or report.submitted_by.username),
        "approved_by": report.approved_by and (report.approved_by.get_full_name()
                                               or report.approved_by.username),
        "attendance": attendance, "attendance_total": sum(a.count for a in attendance),
        "observations": list(aar_selectors.rows_of(Observation, user, report)),
        "proposals": list(aar_selectors.rows_of(FollowOnProposal, user, report)),
        "indicator_values": [(i, values.get(str(i.pk)))
                             for i in after_action.report_indicators(report, user)],
    }
    return pdf_response(request, "engagements/forms/aar.html", context,
                        title=gettext_lazy("After-action report"),
                        record=report, filename=pdf_filename("aar", engagement.title_en))


def _aar_for_post(request, engagement_id):
    engagement = _aar_engagement(request, engagement_id)
    report = _aar_report(request, engagement)
    if report is None:
        raise Http404
    return engagement, report


@login_required
@require_POST
def aar_start(request, engagement_id):
    engagement = _aar_engagement(request, engagement_id)
    _aar_report(request, engagement)
    if attempt(request, after_action.start_aar, request.user, engagement):
        messages.success(request, _("After-action report started."))
    return redirect("engagements:aar", engagement.pk)


@login_required
@require_POST
def aar_attendance(request, engagement_id):
    engagement, report = _aar_for_post(request, engagement_id)
    formset = AttendanceFormSet(request.POST, prefix="att")
    if formset.is_valid():
        try:
            after_action.set_attendance(request.user, report, attendance_rows(formset))
        except (ValidationError, PermissionDenied) as exc:
            formset._non_form_errors = formset.error_class(refusal(exc))
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("engagements:aar", engagement.pk)
    return _aar_page(request, engagement, report, attendance_formset=formset)


@login_required
@require_POST
def aar_observation_add(request, engagement_id):
    engagement, report = _aar_for_post(request, engagement_id)
    form = ObservationForm(request.POST, prefix="obs")
    if form.is_valid() and run_service(form, after_action.add_observation, request.user, report,
                                       **form.cleaned_data):
        messages.success(request, _("Observation added."))
        return redirect("engagements:aar", engagement.pk)
    return _aar_page(request, engagement, report, observation_form=form)


@login_required
@require_POST
def aar_observation_remove(request, engagement_id, observation_id):
    engagement, report = _aar_for_post(request, engagement_id)
    observation = get_one(aar_selectors.rows_of(Observation, request.user, report),
                          observation_id)
    if attempt(request, after_action.remove_observation, request.user, observation):
        messages.success(request, _("Observation removed."))
    return redirect("engagements:aar", engagement.pk)


@login_required
@require_POST
def aar_proposal_add(request, engagement_id):
    engagement, report = _aar_for_post(request, engagement_id)
    form = ProposalForm(request.POST, prefix="fop")
    if form.is_valid() and run_service(form, after_action.add_follow_on, request.user, report,
                                       **form.cleaned_data):
        messages.success(request, _("Follow-on proposal added."))
        return redirect("engagements:aar", engagement.pk)
    return _aar_page(request, engagement, report, proposal_form=form)


@login_required
@require_POST
def aar_proposal_remove(request, engagement_id, proposal_id):
    engagement, report = _aar_for_post(request, engagement_id)
    proposal = get_one(aar_selectors.rows_of(FollowOnProposal, request.user, report),
                       proposal_id)
    if attempt(request, after_action.remove_follow_on, request.user, proposal):
        messages.success(request, _("Follow-on proposal removed."))
    return redirect("engagements:aar", engagement.pk)


@login_required
@require_POST
def aar_follow_on(request, engagement_id, proposal_id):
    """One click: the proposal becomes an engagement concept; its page opens for the planner
    to date and complete it."""
    engagement, report = _aar_for_post(request, engagement_id)
    proposal = get_one(aar_selectors.rows_of(FollowOnProposal, request.user, report),
                       proposal_id)
    form = FollowOnForm(request.POST, prefix="fo")
    if form.is_valid():
        concept = run_service(form, after_action.propose_follow_on, request.user, proposal,
                              **form.cleaned_data)
        if concept is not None:
            messages.success(request, _("Engagement concept created: date it and complete it."))
            return redirect(concept)
    return _aar_page(request, engagement, report, follow_on_form=form,
                     step_errors=[str(e) for errors in form.errors.values() for e in errors])


@login_required
@require_POST
def aar_transition(request, engagement_id, name):
    """Take one step: submit, return (with a reason), approve, record or publish. A refusal
    shows the page again with the reason."""
    engagement, report = _aar_for_post(request, engagement_id)
    return_form = ReturnForm(request.POST, prefix="ret") if name == "return" else None
    if return_form is not None and not return_form.is_valid():
        return _aar_page(request, engagement, report, return_form=return_form)
    try:
        after_action.transition_aar(request.user, report, name,
                                    reason=return_form.cleaned_data["reason"]
                                    if return_form else "")
    except (ValidationError, PermissionDenied) as exc:
        return _aar_page(request, engagement, _aar_report(request, engagement),
                         return_form=return_form, step_errors=refusal(exc))
    done = {"submit": _("Report submitted."), "return": _("Report returned for changes."),
            "approve": _("Report approved."),
            "record": _("Report recorded: the engagement is recorded complete."),
            "publish": _("Report published to the partner.")}
    messages.success(request, done[name])
    return redirect("engagements:aar", engagement.pk)


@login_required
@require_http_methods(["GET", "POST"])
def aar_marking(request, engagement_id):
    engagement = _aar_engagement(request, engagement_id)
    report = aar_selectors.visible_report(request.user, engagement, "change_marking")
    if report is None:
        raise Http404
    return marking_page(request, report, after_action.change_aar_marking,
                        "engagements/aar_marking.html", engagement=engagement)


@login_required
def aar_list(request):
    """After-action reports the user may see, by state."""
    form = AARFilterForm(request.GET)
    today = timezone.localdate()

    def with_overdue(reports):
        for report in reports:
            report.overdue = aar_selectors.report_overdue(report.due_date, report.state, today)
        return reports

    return list_page(request, "engagements/aar_list.html", "engagements/_aar_list.html", form,
                     aar_selectors.reports_for(request.user, **form.filters()),
                     prepare=with_overdue)


@login_required
@permission_required("engagements.view_engagement", raise_exception=True)
def dashboard(request):
    """What waits to be recorded complete, and the share recorded complete within 30 days of
    the end per fiscal year and quarter."""
    user = request.user
    form = CalendarFilterForm(request.GET or None, user=user)
    partnership = form.cleaned_data["partnership"] if form.is_valid() else None
    waiting = aar_selectors.not_yet_recorded(user, partnership=partnership)
    page = paginate(request, waiting, per_page=50)
    return render(request, "engagements/dashboard.html", {
        "page": page,
        "rows": aar_selectors.describe_not_recorded(page.object_list),
        "shares": aar_selectors.recorded_within_shares(user, partnership=partnership),
        "window_days": aar_selectors.RECORDED_WITHIN_DAYS,
        "due_days": settings.AAR_DUE_DAYS,
        "form": form,
        "partnership": partnership,
    })


@login_required
@permission_required("engagements.view_engagement", raise_exception=True)
def calendar(request, fy=None):
    """The fiscal year's engagements by month, with their state."""
    user = request.user
    year = fy or aar_selectors.current_fiscal_year()
    if not FIRST_FISCAL_YEAR <= year <= LAST_FISCAL_YEAR:
        raise Http404
    form = CalendarFilterForm(request.GET or None, user=user)
    partnership = form.cleaned_data["partnership"] if form.is_valid() else None
    months = aar_selectors.fiscal_calendar(user, year, partnership=partnership)
    start, end = fiscal_year_bounds(year)
    return render(request, "engagements/calendar.html", {
        "fy": year, "months": months, "form": form, "start": start, "end": end,
        "count": sum(len(items) for _month, items in months),
        "previous": year - 1, "next": year + 1,
        "query": request.GET.urlencode(),
    })


@login_required
@permission_required("engagements.view_engagement", raise_exception=True)
@require_http_methods(["GET", "POST"])
def calendar_feeds(request):
    """The user's calendar subscriptions: create one per partnership (the link is shown once)
    or revoke one."""
    user = request.user
    form = CalendarFeedForm(request.POST or None, user=user,
                            initial={"language": translation.get_language()[:2]})
    feed_url = None
    if request.method == "POST" and form.is_valid():
        created = run_service(form, feeds.create_calendar_feed, user,
                              form.cleaned_data["partnership"],
                              language=form.cleaned_data["language"])
        if created is not None:
            _feed, key = created
            feed_url = request.build_absolute_uri(
                reverse("engagements:calendar_feed", args=[key]))
            form = CalendarFeedForm(user=user,
                                    initial={"language": translation.get_language()[:2]})
    return render(request, "engagements/calendar_feeds.html", {
        "form": form, "feed_url": feed_url,
        "feeds": with_shown(user, user.calendar_feeds.select_related("partnership"),
                            "partnership"),
    })


@login_required
@require_POST
def calendar_feed_revoke(request, pk):
    feed = get_object_or_404(request.user.calendar_feeds, pk=pk)
    feeds.revoke_calendar_feed(request.user, feed)
    messages.success(request, _("Calendar feed revoked."))
    return redirect("engagements:calendar_feeds")


_FEED_STATUS = {Engagement.State.CANCELLED: "CANCELLED",
                Engagement.State.CONCEPT: "TENTATIVE", Engagement.State.NOMINATED: "TENTATIVE",
                Engagement.State.DEFERRED: "TENTATIVE", Engagement.State.POSTPONED: "TENTATIVE"}


@require_GET
def calendar_feed(request, key):
    """The iCalendar (RFC 5545) feed behind a personal key: no session needed. It holds the
    partnership's engagements the key's user may see now; a revoked or unknown key is 404."""
    feed = (CalendarFeed.objects.select_related("user", "partnership")
            .filter(key_hash=CalendarFeed.hash_key(key), revoked_at__isnull=True,
                    user__is_active=True).first())
    if feed is None or not Partnership.objects.restrict(feed.user).filter(
            pk=feed.partnership_id).exists():
        raise Http404
    host = request.get_host().split(":")[0]
    with translation.override(feed.language):
        calendar = ICalendar()
        calendar.add("prodid", "-//Enlace//Engagements//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", f"Enlace · {feed.partnership.name}")
        for engagement in aar_selectors.calendar_feed_engagements(feed):
            event = ICalEvent()
            event.add("uid", f"engagement-{engagement.pk}@{host}")
            event.add("dtstamp", engagement.updated_at)
            event.add("last-modified", engagement.updated_at)
            event.add("dtstart", engagement.start_date)
            event.add("dtend", engagement.end_date + timedelta(days=1))  # exclusive
            event.add("summary", engagement.title)
            event.add("location", engagement.location)
            event.add("status", _FEED_STATUS.get(engagement.state, "CONFIRMED"))
            event.add("description", f"{engagement.get_type_display()} · "
                                     f"{engagement.get_state_display()}")
            event.add("url", request.build_absolute_uri(engagement.get_absolute_url()))
            calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="engagements.ics"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def export(request):
    """The engagements the user may see, filtered as on the list page, as CSV or XLSX."""
    filters = EngagementFilterForm(request.GET, user=request.user).filters()
    return engagements_export(request.user, filters,
                              format="xlsx" if request.GET.get("format") == "xlsx" else "csv")
