"""Pages of border events: the list (real events unless asked otherwise), the event with what
Enlace derives from its point, its timeline, lifecycle and incident, the forms, the marking and
the CSV export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from border import derivation
from border.forms.events import EventFilterForm, EventForm, TimelineEntryForm, TransitionForm
from border.selectors import events as selectors
from border.services import events as services
from core.exports import csv_response, marking_cells
from core.permissions import may
from core.related import shown
from core.views import (
    attempt,
    create_page,
    get_one,
    list_page,
    marking_page,
    record_page,
    run_service,
    update_page,
)
from response.services.incidents import perimeter_summary


@login_required
def event_list(request):
    user = request.user
    form = EventFilterForm(request.GET)
    return list_page(request, "border/event_list.html", "border/_events.html", form,
                     selectors.events_for(user, **form.filters()),
                     can_add=user.has_perm("border.add_borderevent"),
                     counts=selectors.real_event_counts(user))


@login_required
def event_export(request):
    """The events the user may see, filtered as on the list, as CSV."""
    form = EventFilterForm(request.GET)
    events = selectors.events_for(request.user, **form.filters())
    header = [_("ID"), _("Title (English)"), _("Title (Spanish)"), _("Kind"), _("Exercise"),
              _("State"), _("Severity"), _("Started"), _("Ended"), _("Latitude"),
              _("Longitude"), _("Side of the line"), _("Distance to the line (km)"),
              _("Reporting organization"), _("Owner nation"), _("Releasable to"),
              _("Foreign disclosure")]
    rows = ([e.pk, e.title_en, e.title_es, e.kind.name, _("Yes") if e.is_exercise else _("No"),
             e.get_state_display(), e.get_severity_display(), e.started_at, e.ended_at,
             e.latitude, e.longitude, e.side, e.border_distance_km,
             e.reporting_organization.acronym, *marking_cells(e)]
            for e in events.iterator(chunk_size=500))
    return csv_response("border-events.csv", header, rows)


def _transitions(user, event):
    return [{"name": o.name, "label": o.label, "needs_reason": o.needs_reason,
             "url": reverse("border:event_transition", args=[event.pk, o.name])}
            for o in services.transitions_for(user, event)]


def _event_page(request, event, *, entry_form=None):
    user = request.user
    language = (get_language() or "en")[:2]
    can_add_entry = (user.has_perm("border.add_timelineentry")
                     and event.state != event.State.CLOSED)
    return record_page(
        request, "border/event_detail.html", event, event=event,
        derivation=derivation.for_event(event),
        perimeter=perimeter_summary(event.perimeter),
        timeline=list(selectors.timeline_for(user, event)),
        entry_form=entry_form or (TimelineEntryForm(initial={
            "language": language if language in ("en", "es") else "en"})
            if can_add_entry else None),
        transitions=_transitions(user, event),
        # The incident through the one rule: a reader who may not see it is told so, never
        # its name.
        incident=shown(user, event.incident) if event.incident_id else None,
        can_open_incident=(event.incident_id is None and event.state != event.State.CLOSED
                           and may(user, event, "change")
                           and user.has_perm("response.add_incident")))


@login_required
def event_detail(request, pk):
    return _event_page(request, get_one(selectors.events_for(request.user,
                                                             exercise=selectors.ALL), pk))


@login_required
@permission_required("border.add_borderevent", raise_exception=True)
@require_http_methods(["GET", "POST"])
def event_create(request):
    form = EventForm(request.POST or None, user=request.user, prefix="e")
    return create_page(request, form, services.report_event, "border/event_form.html",
                       _("Border event reported."), event=None)


@login_required
@require_http_methods(["GET", "POST"])
def event_update(request, pk):
    user = request.user
    event = get_one(selectors.events_for(user, "change", exercise=selectors.ALL), pk)
    form = EventForm(request.POST or None, instance=event, user=user, prefix="e")
    return update_page(request, event, form, services.update_event, "border/event_form.html",
                       _("Border event updated."), event=event)


@login_required
@require_http_methods(["GET", "POST"])
def event_marking(request, pk):
    event = get_one(selectors.events_for(request.user, "change_marking",
                                         exercise=selectors.ALL), pk)
    return marking_page(request, event, services.change_event_marking,
                        "border/event_marking.html", event=event)


@login_required
@require_POST
def event_transition(request, pk, name):
    """One lifecycle step; a refusal comes back as a message on the event's page."""
    event = get_one(selectors.events_for(request.user, exercise=selectors.ALL), pk)
    form = TransitionForm(request.POST)
    form.is_valid()
    if attempt(request, services.transition_event, request.user, event, name,
               reason=form.cleaned_data.get("reason", "")):
        event.refresh_from_db()
        messages.success(request, _("The border event is now %(state)s.")
                         % {"state": event.get_state_display().lower()})
    return redirect(event)


@login_required
@require_POST
def timeline_add(request, pk):
    """Add an entry to the event's timeline; a refusal shows on the form, on the event's
    page."""
    event = get_one(selectors.events_for(request.user, exercise=selectors.ALL), pk)
    form = TimelineEntryForm(request.POST)
    if form.is_valid() and run_service(form, services.add_timeline_entry, request.user, event,
                                       **form.service_fields()):
        messages.success(request, _("Timeline entry added."))
        return redirect(f"{event.get_absolute_url()}#timeline")
    return _event_page(request, event, entry_form=form)


@login_required
@require_POST
def event_open_incident(request, pk):
    """Open the event's mutual-aid incident and go to it; a refusal comes back as a message on
    the event's page."""
    event = get_one(selectors.events_for(request.user, exercise=selectors.ALL), pk)
    if attempt(request, services.open_incident, request.user, event):
        messages.success(request, _("Mutual-aid incident opened for this event."))
        return redirect(event.incident)
    return redirect(event)
