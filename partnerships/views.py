"""Pages of partnerships and their program (agreements, lines of effort, objectives,
indicators, measurements, assessments), on the shared pages of core.views. Reads go through the
selectors (a record shows when it and every record above it may be seen); writes through the
services. New records are added under a parent the user may change."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.exports import csv_response
from core.permissions import may
from core.views import (
    attempt,
    create_page,
    get_one,
    list_page,
    marking_page,
    record_page,
    update_page,
    whole_page,
)
from partnerships import forms, selectors, services
from partnerships.models import Agreement
from partnerships.selectors import partnerships_for


@login_required
def partnership_list(request):
    user = request.user
    form = forms.PartnershipFilterForm(request.GET)
    return list_page(request, "partnerships/list.html", "partnerships/_table.html", form,
                     partnerships_for(user, **form.filters()),
                     can_add=user.has_perm("partnerships.add_partnership"))


@login_required
def partnership_export(request):
    form = forms.PartnershipFilterForm(request.GET)
    rows = (
        [p.pk, p.name_en, p.name_es, p.us_state, p.partner_nation.code, p.established or "",
         p.get_status_display(), p.owner_nation.code,
         " ".join(sorted(n.code for n in p.rel_to.all())), p.disclosure]
        for p in partnerships_for(request.user, **form.filters()).iterator(chunk_size=500)
    )
    header = ["id", _("name (English)"), _("name (Spanish)"), _("US state"), _("partner nation"),
              _("year established"), _("status"), _("owner nation"), _("releasable to"),
              _("foreign disclosure")]
    return csv_response("partnerships.csv", header, rows)


ASSESSMENTS_SHOWN = 5


@login_required
def partnership_detail(request, pk):
    user = request.user
    partnership = get_one(partnerships_for(user), pk)
    assessments = list(selectors.assessments_for(user, partnership=partnership).order_by(
        "-assessed_on", "-pk")[:ASSESSMENTS_SHOWN + 1])
    return _detail(
        request, "partnerships/detail.html", partnership, partnership=partnership,
        agreements=whole_page(selectors.agreements_for(user, partnership=partnership)),
        lines=selectors.objective_progress(user, partnership),
        assessments=whole_page(assessments[:ASSESSMENTS_SHOWN]),
        more_assessments=len(assessments) > ASSESSMENTS_SHOWN)


@login_required
@permission_required("partnerships.add_partnership", raise_exception=True)
@require_http_methods(["GET", "POST"])
def partnership_create(request):
    form = forms.PartnershipForm(request.POST or None, prefix="p")
    return create_page(request, form, services.create_partnership, "partnerships/form.html",
                       _("Partnership created."), record=None)


@login_required
@require_http_methods(["GET", "POST"])
def partnership_update(request, pk):
    partnership = get_one(partnerships_for(request.user, action="change"), pk)
    form = forms.PartnershipForm(request.POST or None, instance=partnership, prefix="p")
    return update_page(request, partnership, form, services.update_partnership,
                       "partnerships/form.html", _("Partnership updated."))


@login_required
@require_http_methods(["GET", "POST"])
def partnership_marking(request, pk):
    partnership = get_one(partnerships_for(request.user, action="change_marking"), pk)
    return marking_page(request, partnership, services.change_record_marking)


# Objective progress

@login_required
def progress(request, pk):
    """The partnership's progress per line of effort, objective and indicator, with the
    evidence behind each measurement."""
    partnership = get_one(partnerships_for(request.user), pk)
    lines = selectors.objective_progress(request.user, partnership)
    return render(request, "partnerships/progress.html", {
        "partnership": partnership, "lines": lines, "total": selectors.Total(lines),
        "allowance": selectors.ON_TRACK_ALLOWANCE})


# The partnership program ---------------------------------------------------------------------
# Each kind of record has a list (filters, a table, pagination), a page, a create page under
# its parent, an edit page and a marking page.

def _saved(model):
    return _("%(record)s saved.") % {"record": capfirst(model._meta.verbose_name)}


def _list(request, form_class, select, results, heading):
    form = form_class(request.GET, user=request.user)
    return list_page(request, "partnerships/records.html", results, form,
                     select(request.user, **form.filters()), heading=heading)


def _create(request, parent, form_class, service, heading, **form_kwargs):
    """A record added under `parent` (a record the user may change): by its owning nation's
    users whose role adds such records; its marking starts as the parent's."""
    if not services.may_add(request.user, parent)[form_class._meta.model._meta.model_name]:
        raise PermissionDenied
    form = form_class(request.POST or None, prefix="r", **form_kwargs)
    return create_page(request, form, service, "partnerships/record_form.html",
                       _saved(form._meta.model), parent=parent, heading=heading,
                       parent_kind=parent._meta.verbose_name)


def _edit(request, record, form_class, service, heading, **form_kwargs):
    form = form_class(request.POST or None, instance=record, prefix="r", **form_kwargs)
    return update_page(request, record, form, service, "partnerships/record_form.html",
                       _saved(type(record)), heading=heading)


def _marking(request, select, pk):
    record = get_one(select(request.user, "change_marking"), pk)
    return marking_page(request, record, services.change_record_marking,
                        "partnerships/record_marking.html")


def _detail(request, template, record, **context):
    return record_page(request, template, record,
                       can_add=services.may_add(request.user, record), **context)


def _transition(request, record, service, state, **kwargs):
    if attempt(request, service, request.user, record, state, **kwargs):
        messages.success(request, _("Now %(state)s.") % {
            "state": type(record).State(state).label.lower()})
    return redirect(record)


# Agreements

@login_required
def agreement_list(request):
    return _list(request, forms.AgreementFilterForm, selectors.agreements_for,
                 "partnerships/_agreements.html", _("Agreements"))


@login_required
def agreement_detail(request, pk):
    user = request.user
    agreement = get_one(selectors.agreements_for(user), pk)
    transitions = services.AGREEMENT_LIFECYCLE.options(user, agreement)
    return _detail(
        request, "partnerships/agreement.html", agreement, transitions=transitions,
        supersede_form=forms.SupersedeForm(user=user, agreement=agreement)
        if any(t.name == Agreement.State.SUPERSEDED for t in transitions) else None,
        superseded_by=selectors.agreements_for(user).filter(pk=agreement.superseded_by_id)
        .first() if agreement.superseded_by_id else None,
        supersedes=list(selectors.agreements_for(user).filter(superseded_by=agreement)))


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request, pk):
    partnership = get_one(partnerships_for(request.user, action="change"), pk)
    return _create(request, partnership, forms.AgreementForm, services.create_agreement,
                   _("New agreement"))


@login_required
@require_http_methods(["GET", "POST"])
def agreement_update(request, pk):
    agreement = get_one(selectors.agreements_for(request.user, "change"), pk)
    return _edit(request, agreement, forms.AgreementForm, services.update_agreement,
                 _("Edit agreement"))


@login_required
@require_POST
def agreement_transition(request, pk, state):
    agreement = get_one(selectors.agreements_for(request.user, "change"), pk)
    if state not in services.AGREEMENT_LIFECYCLE:
        raise Http404
    replacement = None
    if state == Agreement.State.SUPERSEDED:
        form = forms.SupersedeForm(request.POST, user=request.user, agreement=agreement)
        replacement = form.cleaned_data["superseded_by"] if form.is_valid() else None
    return _transition(request, agreement, services.transition_agreement, state,
                       superseded_by=replacement)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_marking(request, pk):
    return _marking(request, selectors.agreements_for, pk)


# Lines of effort

@login_required
def line_list(request):
    return _list(request, forms.LineOfEffortFilterForm, selectors.lines_for,
                 "partnerships/_lines.html", _("Lines of effort"))


@login_required
def line_detail(request, pk):
    user = request.user
    line = get_one(selectors.lines_for(user), pk)
    progress = next((lp for lp in selectors.objective_progress(user, line.partnership)
                     if lp.line.pk == line.pk), None)
    return _detail(request, "partnerships/line.html", line, progress=progress,
                   assessments=whole_page(selectors.assessments_for(user, line_of_effort=line)))


@login_required
@require_http_methods(["GET", "POST"])
def line_create(request, pk):
    partnership = get_one(partnerships_for(request.user, action="change"), pk)
    return _create(request, partnership, forms.LineOfEffortForm,
                   services.create_line_of_effort, _("New line of effort"))


@login_required
@require_http_methods(["GET", "POST"])
def line_update(request, pk):
    line = get_one(selectors.lines_for(request.user, "change"), pk)
    return _edit(request, line, forms.LineOfEffortForm, services.update_line_of_effort,
                 _("Edit line of effort"))


@login_required
@require_http_methods(["GET", "POST"])
def line_marking(request, pk):
    return _marking(request, selectors.lines_for, pk)


# Objectives

@login_required
def objective_list(request):
    return _list(request, forms.ObjectiveFilterForm, selectors.objectives_for,
                 "partnerships/_objectives.html", _("Objectives"))


@login_required
def objective_detail(request, pk):
    user = request.user
    objective = get_one(selectors.objectives_for(user), pk)
    indicators = selectors.indicators_for(user, objective=objective).order_by("pk")
    return _detail(
        request, "partnerships/objective.html", objective,
        transitions=services.OBJECTIVE_LIFECYCLE.options(user, objective),
        indicators=selectors.indicator_progress(user, indicators),
        engagements=list(objective.engagements.restrict(user).prefetch_related(None)
                         .order_by("start_date", "pk")))


@login_required
@require_http_methods(["GET", "POST"])
def objective_create(request, pk):
    line = get_one(selectors.lines_for(request.user, "change"), pk)
    return _create(request, line, forms.ObjectiveForm, services.create_objective,
                   _("New objective"))


@login_required
@require_http_methods(["GET", "POST"])
def objective_update(request, pk):
    objective = get_one(selectors.objectives_for(request.user, "change"), pk)
    return _edit(request, objective, forms.ObjectiveForm, services.update_objective,
                 _("Edit objective"))


@login_required
@require_POST
def objective_transition(request, pk, state):
    objective = get_one(selectors.objectives_for(request.user, "change"), pk)
    if state not in services.OBJECTIVE_LIFECYCLE:
        raise Http404
    return _transition(request, objective, services.transition_objective, state)


@login_required
@require_http_methods(["GET", "POST"])
def objective_marking(request, pk):
    return _marking(request, selectors.objectives_for, pk)


# Indicators

@login_required
def indicator_list(request):
    return _list(request, forms.IndicatorFilterForm, selectors.indicators_for,
                 "partnerships/_indicators.html", _("Indicators"))


@login_required
def indicator_detail(request, pk):
    user = request.user
    indicator = get_one(selectors.indicators_for(user), pk)
    return _detail(request, "partnerships/indicator.html", indicator,
                   progress=selectors.indicator_progress(user, [indicator])[0])


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request, pk):
    objective = get_one(selectors.objectives_for(request.user, "change"), pk)
    return _create(request, objective, forms.IndicatorForm, services.create_indicator,
                   _("New indicator"))


@login_required
@require_http_methods(["GET", "POST"])
def indicator_update(request, pk):
    indicator = get_one(selectors.indicators_for(request.user, "change"), pk)
    return _edit(request, indicator, forms.IndicatorForm, services.update_indicator,
                 _("Edit indicator"))


@login_required
@require_http_methods(["GET", "POST"])
def indicator_marking(request, pk):
    return _marking(request, selectors.indicators_for, pk)


# Measurements

@login_required
def measurement_list(request):
    user = request.user
    form = forms.MeasurementFilterForm(request.GET, user=user)
    return list_page(request, "partnerships/records.html", "partnerships/_measurements.html",
                     form, selectors.measurements_for(user, **form.filters()),
                     prepare=lambda rows: selectors.with_evidence(user, rows),
                     heading=_("Measurements"))


@login_required
def measurement_detail(request, pk):
    user = request.user
    measurement = get_one(selectors.measurements_for(user), pk)
    return _detail(request, "partnerships/measurement.html", measurement,
                   evidence=selectors.Evidence.of(selectors.with_evidence(user, [measurement])[0]),
                   can_verify=measurement.verified_at is None
                   and measurement.created_by_id != user.pk
                   and may(user, measurement, "change"))


@login_required
@require_http_methods(["GET", "POST"])
def measurement_create(request, pk):
    user = request.user
    indicator = get_one(selectors.indicators_for(user, "change"), pk)
    return _create(request, indicator, forms.MeasurementForm, services.record_measurement,
                   _("Record a measurement"), user=user,
                   partnership=indicator.objective.line_of_effort.partnership)


@login_required
@require_http_methods(["GET", "POST"])
def measurement_update(request, pk):
    user = request.user
    measurement = get_one(selectors.measurements_for(user, "change"), pk)
    return _edit(request, measurement, forms.MeasurementForm, services.update_measurement,
                 _("Edit measurement"), user=user,
                 partnership=measurement.indicator.objective.line_of_effort.partnership)


@login_required
@require_POST
def measurement_verify(request, pk):
    measurement = get_one(selectors.measurements_for(request.user, "change"), pk)
    if attempt(request, services.verify_measurement, request.user, measurement):
        messages.success(request, _("Measurement verified."))
    return redirect(measurement)


@login_required
@require_http_methods(["GET", "POST"])
def measurement_marking(request, pk):
    return _marking(request, selectors.measurements_for, pk)


# Assessments

@login_required
def assessment_list(request):
    return _list(request, forms.AssessmentFilterForm, selectors.assessments_for,
                 "partnerships/_assessments.html", _("Assessments"))


@login_required
def assessment_detail(request, pk):
    assessment = get_one(selectors.assessments_for(request.user), pk)
    return _detail(request, "partnerships/assessment.html", assessment)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_create(request, pk):
    user = request.user
    partnership = get_one(partnerships_for(user, action="change"), pk)
    return _create(request, partnership, forms.AssessmentForm, services.create_assessment,
                   _("New assessment"), user=user, partnership=partnership)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_update(request, pk):
    user = request.user
    assessment = get_one(selectors.assessments_for(user, "change"), pk)
    return _edit(request, assessment, forms.AssessmentForm, services.update_assessment,
                 _("Edit assessment"), user=user, partnership=assessment.partnership)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_marking(request, pk):
    return _marking(request, selectors.assessments_for, pk)
