"""Pages of joint situation reports: a new report (its operational period) from the event's page,
the report with both nations' sections in English and Spanish side by side, the form of the
reader's own nation's section, its submit button, and the published report as PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from border.forms.sitreps import ReportForm, SectionForm
from border.selectors import events as event_selectors
from border.selectors import sitreps as selectors
from border.services import sitreps as services
from core.views import attempt, get_one, record_page, run_service


def may_write(user, section):
    """Whether the page offers `user` the edit and submit buttons of `section`: a user of its
    nation whose role reports border events, while the section and the report are open (the
    service decides again)."""
    return (user.nation_id == section.nation_id
            and user.has_perm(services.WRITER_PERMISSION)
            and not section.submitted
            and section.report.state != section.report.State.PUBLISHED)


@login_required
@require_http_methods(["GET", "POST"])
def sitrep_create(request, pk):
    event = get_one(event_selectors.events_for(request.user, exercise=event_selectors.ALL), pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = run_service(form, services.open_report, request.user, event,
                             **form.service_fields())
        if report is not None:
            messages.success(request, _("Situation report %(number)s opened.")
                             % {"number": report.number})
            return redirect(report)
    return render(request, "border/sitreps/report_form.html", {"form": form, "event": event})


@login_required
def sitrep_detail(request, pk):
    report = selectors.report_for(request.user, pk)
    sections = selectors.ordered_sections(report)
    for section in sections:
        section.report = report
        section.can_write = may_write(request.user, section)
    return record_page(request, "border/sitreps/report_detail.html", report, report=report,
                       event=report.event, sections=sections)


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request, pk, nation):
    """The reader's own nation's section; "Save" keeps a draft, "Submit" submits it."""
    user = request.user
    report = selectors.report_for(user, pk)
    section = selectors.section_for(user, report, nation)
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        submitting = "submit" in request.POST
        service = services.submit_section if submitting else services.write_section
        if run_service(form, service, user, section, **form.service_fields()):
            report.refresh_from_db()
            messages.success(request, _("Situation report %(number)s published.")
                             % {"number": report.number}
                             if report.state == report.State.PUBLISHED
                             else _("Section submitted.") if submitting else _("Section saved."))
            return redirect(report)
    return render(request, "border/sitreps/section_form.html",
                  {"form": form, "report": report, "section": section, "event": report.event})


@login_required
@require_POST
def section_submit(request, pk, nation):
    """Submit the section as saved; a refusal comes back as a message on the report's page."""
    user = request.user
    report = selectors.report_for(user, pk)
    section = selectors.section_for(user, report, nation)
    if attempt(request, services.submit_section, user, section):
        report.refresh_from_db()
        messages.success(request, _("Situation report %(number)s published.")
                         % {"number": report.number}
                         if report.state == report.State.PUBLISHED else _("Section submitted."))
    return redirect(report)


urlpatterns = [
    path("<int:pk>/sitreps/new/", sitrep_create, name="sitrep_create"),
    path("sitreps/<int:pk>/", sitrep_detail, name="sitrep"),
    path("sitreps/<int:pk>/sections/<str:nation>/", section_edit, name="sitrep_section"),
    path("sitreps/<int:pk>/sections/<str:nation>/submit/", section_submit,
         name="sitrep_section_submit"),
]
