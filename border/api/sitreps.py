"""Joint situation reports under /api/v1/border/: the same rules as the pages. A report is seen
only with its event (a report or event not releasable to you answers 404); each nation writes
and submits only its own section."""

from django.http import HttpResponse
from ninja import Path, Router, Status
from ninja.pagination import paginate

from border import cap
from border.schemas.sitreps import ReportIn, ReportOut, SectionIn, SectionOut
from border.selectors import events as event_selectors
from border.selectors import sitreps as selectors
from border.services import sitreps as services
from core.api import Pagination, error_responses
from core.views import get_one

router = Router(tags=["border"])


def _event(request, event_id):
    """The event (real or exercise) if the user may see it, else 404."""
    return get_one(event_selectors.events_for(request.user, exercise=event_selectors.ALL),
                   event_id)

NationCode = Path(..., min_length=3, max_length=3, pattern=r"^[A-Za-z]{3}$",
                  examples=["MEX"])


@router.get("/border/events/{event_id}/sitreps",
            response={200: list[ReportOut], **error_responses(404, 422)})
@paginate(Pagination)
def list_sitreps(request, event_id: int):
    """The event's situation reports you may see, in number order."""
    return selectors.reports_for(request.user, _event(request, event_id))


@router.post("/border/events/{event_id}/sitreps",
             response={201: ReportOut, **error_responses(403, 404, 422)})
def open_sitrep(request, event_id: int, payload: ReportIn):
    """Open the situation report of an operational period (numbered next; periods of an event
    never overlap), with an empty section for each nation. Your role must report border
    events; the event must be released to both nations."""
    report = services.open_report(request.user, _event(request, event_id), **payload.dict())
    return Status(201, selectors.report_for(request.user, report.pk))


@router.get("/border/sitreps/{sitrep_id}",
            response={200: ReportOut, **error_responses(404, 422)})
def get_sitrep(request, sitrep_id: int):
    """A situation report with both nations' sections in English and Spanish."""
    return selectors.report_for(request.user, sitrep_id)


@router.patch("/border/sitreps/{sitrep_id}/sections/{nation}",
              response={200: SectionOut, **error_responses(403, 404, 422)})
def write_section(request, sitrep_id: int, payload: SectionIn, nation: str = NationCode):
    """Write the fields sent of your own nation's section, until it is submitted."""
    report = selectors.report_for(request.user, sitrep_id)
    section = selectors.section_for(request.user, report, nation)
    return services.write_section(request.user, section, **payload.dict(exclude_unset=True))


@router.post("/border/sitreps/{sitrep_id}/sections/{nation}/submit",
             response={200: ReportOut, **error_responses(403, 404, 422)})
def submit_section(request, sitrep_id: int, payload: SectionIn, nation: str = NationCode):
    """Submit your own nation's section (any fields sent are written first): every part in
    both languages. When the other nation's is in, the report is published, read-only."""
    report = selectors.report_for(request.user, sitrep_id)
    section = selectors.section_for(request.user, report, nation)
    services.submit_section(request.user, section, **payload.dict(exclude_unset=True))
    return selectors.report_for(request.user, sitrep_id)


# ---- CAP ---------------------------------------------------------------------------------------

CAP_MEDIA_TYPE = "application/cap+xml"


@router.get("/border/events/{event_id}/cap", url_name="border_event_cap",
            response=error_responses(404, 422),
            openapi_extra={"responses": {200: {
                "description": "The event's CAP 1.2 alert, validated against the CAP 1.2 schema",
                "content": {CAP_MEDIA_TYPE: {"schema": {"type": "string"}}}}}})
def event_cap(request, event_id: int):
    """The event as a CAP 1.2 alert with an English (en-US) and a Spanish (es-MX) info block:
    status Exercise for an exercise event; once a joint situation report is published, an
    Update referencing the first alert, with the report's situation in each description."""
    event = _event(request, event_id)
    latest = selectors.latest_published(request.user, event)
    sections = selectors.ordered_sections(latest) if latest is not None else ()
    alert = cap.alert_for(event, latest, sections,
                          web=request.build_absolute_uri(event.get_absolute_url()))
    return HttpResponse(cap.write(alert), content_type=CAP_MEDIA_TYPE)
