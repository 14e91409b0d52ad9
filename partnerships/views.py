from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.exports import csv_response
from core.forms import MarkingForm
from core.history import history_for
from core.permissions import may
from core.services import change_marking
from core.views import get_one, marking_page, paginate, run_service
from engagements.models import AfterActionReport, Engagement
from partnerships import forms, selectors, services
from partnerships.forms import PartnershipForm
from partnerships.models import Agreement, Partnership
from partnerships.selectors import partnerships_for


def _visible(request, pk, action="view"):
    return get_one(Partnership.objects.restrict(request.user, action), pk)


def _filters(request):
    return {key: request.GET.get(key) or None for key in ("partner_nation", "status", "q")}


@login_required
def partnership_list(request):
    page = paginate(request, partnerships_for(request.user, **_filters(request)))
    template = "partnerships/_table.html" if request.htmx else "partnerships/list.html"
    return render(request, template, {
        "page": page, "filters": _filters(request), "statuses": Partnership.Status.choices,
        "can_add": request.user.has_perm("partnerships.add_partnership"),
    })


@login_required
def partnership_export(request):
    rows = (
        [p.pk, p.name_en, p.name_es, p.us_state, p.partner_nation.code, p.established or "",
         p.get_status_display(), p.owner_nation.code,
         " ".join(sorted(n.code for n in p.rel_to.all())), p.disclosure]
        for p in partnerships_for(request.user, **_filters(request)).iterator(chunk_size=500)
    )
    header = ["id", _("name (English)"), _("name (Spanish)"), _("US state"), _("partner nation"),
              _("year established"), _("status"), _("owner nation"), _("releasable to"),
              _("foreign disclosure")]
    return csv_response("partnerships.csv", header, rows)


ASSESSMENTS_SHOWN = 5


@login_required
def partnership_detail(request, pk):
    user = request.user
    partnership = _visible(request, pk)
    assessments = selectors.assessments_for(user, partnership=partnership).order_by(
        "-assessed_on", "-pk")
    return render(request, "partnerships/detail.html", {
        "partnership": partnership,
        "history": history_for(partnership),
        "can_change": partnerships_for(user, action="change").filter(pk=pk).exists(),
        "can_mark": partnerships_for(user, action="change_marking")
        .filter(pk=pk).exists(),
        "can_add": _can_add(user, partnership),
        "agreements": list(selectors.agreements_for(user, partnership=partnership)),
        "lines": selectors.objective_progress(user, partnership),
        "assessments": list(assessments[:ASSESSMENTS_SHOWN + 1]),
        "assessments_shown": ASSESSMENTS_SHOWN,
    })


@login_required
@permission_required("partnerships.add_partnership", raise_exception=True)
@require_http_methods(["GET", "POST"])
def partnership_create(request):
    form = PartnershipForm(request.POST or None, prefix="p")
    marking_form = MarkingForm(request.POST or None, prefix="m",
                               initial={"rel_to": [request.user.nation]})
    if request.method == "POST" and form.is_valid() and marking_form.is_valid():
        partnership = run_service(form, services.create_partnership, request.user,
                                  **marking_form.marking(), **form.cleaned_data)
        if partnership is not None:
            messages.success(request, _("Partnership created."))
            return redirect(partnership)
    return render(request, "partnerships/form.html",
                  {"form": form, "marking_form": marking_form, "partnership": None})


@login_required
@require_http_methods(["GET", "POST"])
def partnership_update(request, pk):
    partnership = _visible(request, pk, "change")
    form = PartnershipForm(request.POST or None, instance=partnership, prefix="p")
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.update_partnership, request.user, partnership,
                       **form.cleaned_data):
            messages.success(request, _("Partnership updated."))
            return redirect(partnership)
    return render(request, "partnerships/form.html",
                  {"form": form, "marking_form": None, "partnership": partnership})


@login_required
@require_http_methods(["GET", "POST"])
def partnership_marking(request, pk):
    partnership = _visible(request, pk, "change_marking")
    form = MarkingForm(request.POST or None, initial={
        "rel_to": list(partnership.rel_to.all()), "disclosure": partnership.disclosure,
        "tlp": partnership.tlp,
    })
    if request.method == "POST" and form.is_valid():
        if run_service(form, change_marking, partnership, request.user, **form.marking()):
            messages.success(request, _("Marking changed."))
            return redirect(partnership)
    return render(request, "partnerships/marking.html",
                  {"form": form, "partnership": partnership})


# The partnership program ---------------------------------------------------------------------
# Agreements, lines of effort, objectives, indicators, measurements and assessments. Reads go
# through the selectors (a record shows when it and every record above it may be seen); writes
# through the services. New records are added under a parent the user may change.


def _parent_marking(parent):
    return {"rel_to": list(parent.rel_to.all()), "disclosure": parent.disclosure,
            "tlp": parent.tlp}


def _can_add(user, parent):
    """Which records the user may add under `parent`: its owning nation's, with the role's
    add permission (as partnerships.services._new_child requires)."""
    names = ("agreement", "lineofeffort", "objective", "indicator", "measurement", "assessment")
    held = [name for name in names if user.has_perm(f"partnerships.add_{name}")]
    owns = bool(held) and may(user, parent, "change", perm=f"partnerships.add_{held[0]}")
    return {name: owns and name in held for name in names}


def _records(request, form_class, select, table, heading, url_name):
    """A list page: filters, a table (alone for htmx), pagination."""
    form = form_class(request.GET, user=request.user)
    page = paginate(request, select(request.user, **form.filters()))
    if request.htmx:
        return render(request, table, {"page": page})
    return render(request, "partnerships/records.html", {
        "form": form, "page": page, "table": table, "heading": heading,
        "list_url": reverse(f"partnerships:{url_name}"),
    })


def _create(request, parent, form_class, service, *, heading, cancel, **form_kwargs):
    """A create page: the record's form and its marking, which starts as the parent's."""
    form = form_class(request.POST or None, prefix="r", **form_kwargs)
    marking_form = MarkingForm(request.POST or None, prefix="m",
                               initial=_parent_marking(parent))
    if request.method == "POST" and form.is_valid() and marking_form.is_valid():
        record = run_service(form, service, request.user, parent, **marking_form.marking(),
                             **form.cleaned_data)
        if record is not None:
            messages.success(request, _("%(record)s saved.") % {
                "record": capfirst(record._meta.verbose_name)})
            return redirect(record)
    return render(request, "partnerships/record_form.html", {
        "form": form, "marking_form": marking_form, "heading": heading, "parent": parent,
        "parent_kind": parent._meta.verbose_name, "cancel": cancel})


def _update(request, record, form_class, service, *, heading, **form_kwargs):
    form = form_class(request.POST or None, instance=record, prefix="r", **form_kwargs)
    if request.method == "POST" and form.is_valid():
        if run_service(form, service, request.user, record, **form.cleaned_data):
            messages.success(request, _("%(record)s saved.") % {
                "record": capfirst(record._meta.verbose_name)})
            return redirect(record)
    return render(request, "partnerships/record_form.html", {
        "form": form, "marking_form": None, "heading": heading, "record": record,
        "cancel": record.get_absolute_url()})


def _marking(request, select, pk):
    record = get_one(select(request.user, "change_marking"), pk)
    return marking_page(request, record,
                        lambda user, record, **marking: change_marking(record, user, **marking),
                        "partnerships/record_marking.html")


def _transition(request, record, service, state, **kwargs):
    try:
        service(request.user, record, state, **kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Now %(state)s.") % {
            "state": type(record).State(state).label.lower()})
    return redirect(record)


def _detail(request, template, record, select, **context):
    user = request.user
    return render(request, template, {
        "record": record, "history": history_for(record),
        "can_change": may(user, record, "change"),
        "can_mark": may(user, record, "change_marking"),
        "can_add": _can_add(user, record), **context})


# Objective progress

@login_required
def progress(request, pk):
    """The partnership's progress per line of effort, objective and indicator, with the
    evidence behind each measurement."""
    partnership = _visible(request, pk)
    lines = selectors.objective_progress(request.user, partnership)
    return render(request, "partnerships/progress.html", {
        "partnership": partnership, "lines": lines, "total": selectors.Total(lines),
        "allowance": selectors.ON_TRACK_ALLOWANCE})


# Agreements

@login_required
def agreement_list(request):
    return _records(request, forms.AgreementFilterForm, selectors.agreements_for,
                    "partnerships/_agreements.html", _("Agreements"), "agreements")


@login_required
def agreement_detail(request, pk):
    user = request.user
    agreement = get_one(selectors.agreements_for(user), pk)
    transitions = services.AGREEMENT_LIFECYCLE.options(user, agreement)
    return _detail(
        request, "partnerships/agreement.html", agreement, selectors.agreements_for,
        transitions=transitions,
        supersede_form=forms.SupersedeForm(user=user, agreement=agreement)
        if any(t.name == Agreement.State.SUPERSEDED for t in transitions) else None,
        superseded_by=selectors.agreements_for(user).filter(pk=agreement.superseded_by_id)
        .first() if agreement.superseded_by_id else None,
        supersedes=list(selectors.agreements_for(user).filter(superseded_by=agreement)))


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request, pk):
    partnership = _visible(request, pk, "change")
    _require_add(request, "agreement")
    return _create(request, partnership, forms.AgreementForm, services.create_agreement,
                   heading=_("New agreement"), cancel=partnership.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def agreement_update(request, pk):
    agreement = get_one(selectors.agreements_for(request.user, "change"), pk)
    return _update(request, agreement, forms.AgreementForm, services.update_agreement,
                   heading=_("Edit agreement"))


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
    return _records(request, forms.LineOfEffortFilterForm, selectors.lines_for,
                    "partnerships/_lines.html", _("Lines of effort"), "lines")


@login_required
def line_detail(request, pk):
    user = request.user
    line = get_one(selectors.lines_for(user), pk)
    progress = next((lp for lp in selectors.objective_progress(user, line.partnership)
                     if lp.line.pk == line.pk), None)
    return _detail(request, "partnerships/line.html", line, selectors.lines_for,
                   progress=progress,
                   assessments=list(selectors.assessments_for(user, line_of_effort=line)))


@login_required
@require_http_methods(["GET", "POST"])
def line_create(request, pk):
    partnership = _visible(request, pk, "change")
    _require_add(request, "lineofeffort")
    return _create(request, partnership, forms.LineOfEffortForm, services.create_line_of_effort,
                   heading=_("New line of effort"), cancel=partnership.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def line_update(request, pk):
    line = get_one(selectors.lines_for(request.user, "change"), pk)
    return _update(request, line, forms.LineOfEffortForm, services.update_line_of_effort,
                   heading=_("Edit line of effort"))


@login_required
@require_http_methods(["GET", "POST"])
def line_marking(request, pk):
    return _marking(request, selectors.lines_for, pk)


# Objectives

@login_required
def objective_list(request):
    return _records(request, forms.ObjectiveFilterForm, selectors.objectives_for,
                    "partnerships/_objectives.html", _("Objectives"), "objectives")


@login_required
def objective_detail(request, pk):
    user = request.user
    objective = get_one(selectors.objectives_for(user), pk)
    indicators = selectors.indicators_for(user, objective=objective).order_by("pk")
    return _detail(
        request, "partnerships/objective.html", objective, selectors.objectives_for,
        transitions=services.OBJECTIVE_LIFECYCLE.options(user, objective),
        indicators=selectors.indicator_progress(user, indicators),
        engagements=list(Engagement.objects.restrict(user).prefetch_related(None)
                         .filter(objectives=objective).order_by("start_date", "pk")))


@login_required
@require_http_methods(["GET", "POST"])
def objective_create(request, pk):
    line = get_one(selectors.lines_for(request.user, "change"), pk)
    _require_add(request, "objective")
    return _create(request, line, forms.ObjectiveForm, services.create_objective,
                   heading=_("New objective"), cancel=line.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def objective_update(request, pk):
    objective = get_one(selectors.objectives_for(request.user, "change"), pk)
    return _update(request, objective, forms.ObjectiveForm, services.update_objective,
                   heading=_("Edit objective"))


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
    return _records(request, forms.IndicatorFilterForm, selectors.indicators_for,
                    "partnerships/_indicators.html", _("Indicators"), "indicators")


@login_required
def indicator_detail(request, pk):
    user = request.user
    indicator = get_one(selectors.indicators_for(user), pk)
    progress = selectors.indicator_progress(user, [indicator])[0]
    return _detail(request, "partnerships/indicator.html", indicator, selectors.indicators_for,
                   progress=progress)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request, pk):
    objective = get_one(selectors.objectives_for(request.user, "change"), pk)
    _require_add(request, "indicator")
    return _create(request, objective, forms.IndicatorForm, services.create_indicator,
                   heading=_("New indicator"), cancel=objective.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def indicator_update(request, pk):
    indicator = get_one(selectors.indicators_for(request.user, "change"), pk)
    return _update(request, indicator, forms.IndicatorForm, services.update_indicator,
                   heading=_("Edit indicator"))


@login_required
@require_http_methods(["GET", "POST"])
def indicator_marking(request, pk):
    return _marking(request, selectors.indicators_for, pk)


# Measurements

@login_required
def measurement_list(request):
    return _records(request, forms.MeasurementFilterForm, selectors.measurements_for,
                    "partnerships/_measurements.html", _("Measurements"), "measurements")


@login_required
def measurement_detail(request, pk):
    user = request.user
    measurement = get_one(selectors.measurements_for(user), pk)
    report = None
    if measurement.evidence_report_id:
        report = AfterActionReport.objects.restrict(user).prefetch_related(None).filter(
            pk=measurement.evidence_report_id).first()
    return _detail(request, "partnerships/measurement.html", measurement,
                   selectors.measurements_for, report=report,
                   can_verify=measurement.verified_at is None
                   and measurement.created_by_id != user.pk
                   and may(user, measurement, "change"))


@login_required
@require_http_methods(["GET", "POST"])
def measurement_create(request, pk):
    user = request.user
    indicator = get_one(selectors.indicators_for(user, "change"), pk)
    _require_add(request, "measurement")
    return _create(request, indicator, forms.MeasurementForm, services.record_measurement,
                   heading=_("Record a measurement"), cancel=indicator.get_absolute_url(),
                   user=user, partnership=indicator.objective.line_of_effort.partnership)


@login_required
@require_http_methods(["GET", "POST"])
def measurement_update(request, pk):
    user = request.user
    measurement = get_one(selectors.measurements_for(user, "change"), pk)
    return _update(request, measurement, forms.MeasurementForm, services.update_measurement,
                   heading=_("Edit measurement"), user=user,
                   partnership=measurement.indicator.objective.line_of_effort.partnership)


@login_required
@require_POST
def measurement_verify(request, pk):
    measurement = get_one(selectors.measurements_for(request.user, "change"), pk)
    try:
        services.verify_measurement(request.user, measurement)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Measurement verified."))
    return redirect(measurement)


@login_required
@require_http_methods(["GET", "POST"])
def measurement_marking(request, pk):
    return _marking(request, selectors.measurements_for, pk)


# Assessments

@login_required
def assessment_list(request):
    return _records(request, forms.AssessmentFilterForm, selectors.assessments_for,
                    "partnerships/_assessments.html", _("Assessments"), "assessments")


@login_required
def assessment_detail(request, pk):
    assessment = get_one(selectors.assessments_for(request.user), pk)
    return _detail(request, "partnerships/assessment.html", assessment,
                   selectors.assessments_for)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_create(request, pk):
    user = request.user
    partnership = _visible(request, pk, "change")
    _require_add(request, "assessment")
    return _create(request, partnership, forms.AssessmentForm, services.create_assessment,
                   heading=_("New assessment"), cancel=partnership.get_absolute_url(),
                   user=user, partnership=partnership)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_update(request, pk):
    user = request.user
    assessment = get_one(selectors.assessments_for(user, "change"), pk)
    return _update(request, assessment, forms.AssessmentForm, services.update_assessment,
                   heading=_("Edit assessment"), user=user, partnership=assessment.partnership)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_marking(request, pk):
    return _marking(request, selectors.assessments_for, pk)


def _require_add(request, model_name):
    if not request.user.has_perm(f"partnerships.add_{model_name}"):
        raise PermissionDenied
