"""Pages of joint situation reports: a new report (its operational period) from the event's page,
the report with both nations' sections in English and Spanish side by side, the form of the
reader's own nation's section, its submit button, and the published report as PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from border.forms.sitreps import ReportForm, SectionForm
from border.selectors import events as event_selectors
from border.selectors import sitreps as selectors
from border.services import sitreps as services
from core.history import history_of
from core.models import localized
from core.pdf import pdf_filename, pdf_response
from core.views import attempt, get_one, record_page, run_service

# The parts of a section, in the order every page, form and printout shows them.
PARTS = (("situation", pgettext_lazy("situation report part", "Situation")),
         ("actions", pgettext_lazy("situation report part", "Actions taken")),
         ("resources", pgettext_lazy("situation report part", "Resources committed")),
         ("needs", pgettext_lazy("situation report part", "Needs")),
         ("next_period", pgettext_lazy("situation report part", "Next period")))


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
                       event=report.event, sections=sections,
                       history=history_of([report, *sections]))  # the sections' with it


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request, pk, nation):
    """The reader's own nation's section; "Save" keeps a draft, "Submit" submits it."""
    user = request.user
    report = selectors.report_for(user, pk)
    section = selectors.section_for(user, report, nation)
    if not may_write(user, section):  # no form to fill that could never be saved
        messages.error(request, _("Only the %(nation)s side's reporters may write this section, "
                                  "and only until it is submitted.")
                       % {"nation": section.nation.name})
        return redirect(report)
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


def _printed(report, sections):
    """What the printout shows, in the language it is being rendered in (core.pdf renders it
    once per language)."""
    language = (get_language() or "en")[:2]
    language = language if language in ("en", "es") else "en"
    return {
        "report": report, "event": report.event,
        "event_title": localized(report.event, "title"),
        "sections": [{
            "nation": localized(s.nation, "name"),
            "organization": s.organization.acronym if s.organization_id else "",
            "submitted_by": (s.submitted_by.get_full_name() or s.submitted_by.username)
            if s.submitted_by_id else "",
            "submitted_at": s.submitted_at,
            "parts": [(str(label), getattr(s, f"{name}_{language}")) for name, label in PARTS],
        } for s in sections]}


@login_required
def sitrep_pdf(request, pk):
    """The published report as a PDF, English and Spanish side by side; a report not yet
    published has no printout (404), nor one the user may not see."""
    report = selectors.report_for(request.user, pk)
    if report.state != report.State.PUBLISHED:
        raise Http404
    sections = selectors.ordered_sections(report)
    return pdf_response(request, "border/sitreps/report_pdf.html",
                        lambda: _printed(report, sections),
                        title=gettext_lazy("Joint situation report"),
                        filename=pdf_filename("sitrep", report.event_id, report.number),
                        record=report)


urlpatterns = [
    path("sitreps/<int:pk>/pdf/", sitrep_pdf, name="sitrep_pdf"),
    path("<int:pk>/sitreps/new/", sitrep_create, name="sitrep_create"),
    path("sitreps/<int:pk>/", sitrep_detail, name="sitrep"),
    path("sitreps/<int:pk>/sections/<str:nation>/", section_edit, name="sitrep_section"),
    path("sitreps/<int:pk>/sections/<str:nation>/submit/", section_submit,
         name="sitrep_section_submit"),
]
