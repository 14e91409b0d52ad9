"""Pages of incidents (with the border derivation), units, resource kinds and ports of entry,
and the CSV exports of incidents and units."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.exports import csv_response, marking_cells
from core.history import history_for
from core.permissions import may
from core.views import create_page, get_one, list_page, marking_page, update_page
from response import border
from response.forms.incidents import (
    IncidentFilterForm,
    IncidentForm,
    KindFilterForm,
    UnitFilterForm,
    UnitForm,
)
from response.models import (
    Deployment,
    Offer,
    PortOfEntry,
    ResourceKind,
    ResourceRequest,
)
from response.selectors import incidents as selectors
from response.services import incidents as services

RELATED_SHOWN = 10  # records of each kind listed on an incident's page


# ---- Incidents -------------------------------------------------------------------------------

@login_required
def incident_list(request):
    user = request.user
    form = IncidentFilterForm(request.GET)
    return list_page(request, "response/incident_list.html", "response/_incidents.html", form,
                     selectors.incidents_for(user, **form.filters()),
                     can_add=user.has_perm("response.add_incident"))


@login_required
def incident_export(request):
    """The incidents the user may see, filtered as on the list, as CSV."""
    form = IncidentFilterForm(request.GET)
    incidents = selectors.incidents_for(request.user, **form.filters())
    header = [_("ID"), _("Name (English)"), _("Name (Spanish)"), _("Kind"), _("Status"),
              _("Start"), _("Latitude"), _("Longitude"), _("Country"), _("State"),
              _("Municipality"), _("ICS incident number"), _("Host agency"),
              _("Distance to the border (km)"), _("Request channel"), _("Owner nation"),
              _("Releasable to"), _("Foreign disclosure")]
    rows = ([i.pk, i.name_en, i.name_es, i.get_kind_display(), i.get_status_display(),
             i.started_at, i.latitude, i.longitude, i.country.code, i.state_region,
             i.municipality, i.ics_number, i.host_agency.acronym, i.border_distance_km,
             i.get_request_channel_display(), *marking_cells(i)]
            for i in incidents.iterator(chunk_size=500))
    return csv_response("incidents.csv", header, rows)


def _related(user, incident):
    """The incident's requests, offers and deployments the user may see: how many, the latest
    few, and their list pages filtered to the incident."""
    sections = []
    for key, title, queryset, list_name in (
        ("requests", _("Resource requests"),
         ResourceRequest.objects.restrict(user).select_related("kind"), "response:requests"),
        ("offers", _("Offers"),
         Offer.objects.restrict(user).select_related("offering_organization"),
         "response:offers"),
        ("deployments", _("Deployments"), Deployment.objects.restrict(user),
         "response:deployments"),
    ):
        visible = queryset.filter(incident=incident).order_by("-created_at", "pk")
        sections.append({
            "key": key, "title": title, "count": visible.count(),
            "records": visible[:RELATED_SHOWN],
            "list_url": f"{reverse(list_name)}?incident={incident.pk}",
        })
    return sections


@login_required
def incident_detail(request, pk):
    user = request.user
    incident = get_one(selectors.incidents_for(user), pk)
    return render(request, "response/incident_detail.html", {
        "incident": incident,
        "border": border.for_incident(incident),
        "perimeter": services.perimeter_summary(incident.perimeter),
        "related": _related(user, incident),
        "can_change": may(user, incident, "change"),
        "can_mark": may(user, incident, "change_marking"),
        "history": history_for(incident),
    })


@login_required
@permission_required("response.add_incident", raise_exception=True)
@require_http_methods(["GET", "POST"])
def incident_create(request):
    form = IncidentForm(request.POST or None, user=request.user, prefix="i")
    return create_page(request, form, services.create_incident, "response/incident_form.html",
                       _("Incident recorded."), incident=None)


@login_required
@require_http_methods(["GET", "POST"])
def incident_update(request, pk):
    user = request.user
    incident = get_one(selectors.incidents_for(user, "change"), pk)
    form = IncidentForm(request.POST or None, instance=incident, user=user, prefix="i")
    return update_page(request, incident, form, services.update_incident,
                       "response/incident_form.html", _("Incident updated."), incident=incident)


@login_required
@require_http_methods(["GET", "POST"])
def incident_marking(request, pk):
    incident = get_one(selectors.incidents_for(request.user, "change_marking"), pk)
    return marking_page(request, incident, services.change_incident_marking,
                        "response/incident_marking.html")


# ---- Units -----------------------------------------------------------------------------------

@login_required
def unit_list(request):
    user = request.user
    form = UnitFilterForm(request.GET)
    return list_page(request, "response/unit_list.html", "response/_units.html", form,
                     selectors.units_for(user, **form.filters()),
                     can_add=user.has_perm("response.add_unit"))


@login_required
def unit_export(request):
    """The units the user may see, filtered as on the list, as CSV."""
    form = UnitFilterForm(request.GET)
    units = selectors.units_for(request.user, **form.filters())
    header = [_("ID"), _("Name"), _("Organization"), _("Kind"), _("Home base"),
              _("Home latitude"), _("Home longitude"), _("Headcount"), _("Qualifications"),
              _("Languages"), _("Availability"), _("Available from"), _("Available until"),
              _("Held for home coverage"), _("May cross the border"), _("Can deploy by air"),
              _("Owner nation"), _("Releasable to"), _("Foreign disclosure")]

    def yes_no(flag):
        return _("Yes") if flag else _("No")

    rows = ([u.pk, u.name, u.organization.acronym, u.kind.code, u.home_base, u.home_latitude,
             u.home_longitude, u.headcount, u.qualifications, u.languages,
             u.get_availability_display(), u.available_from, u.available_until,
             yes_no(u.held_for_home_coverage), yes_no(u.cross_border_eligible),
             yes_no(u.air_capable), *marking_cells(u)] for u in units.iterator(chunk_size=500))
    return csv_response("units.csv", header, rows)


@login_required
def unit_detail(request, pk):
    user = request.user
    unit = get_one(selectors.units_for(user), pk)
    return render(request, "response/unit_detail.html", {
        "unit": unit,
        "languages": [code for code in unit.languages.split(",") if code],
        "can_change": may(user, unit, "change"),
        "can_mark": may(user, unit, "change_marking"),
        "history": history_for(unit),
    })


@login_required
@permission_required("response.add_unit", raise_exception=True)
@require_http_methods(["GET", "POST"])
def unit_create(request):
    form = UnitForm(request.POST or None, user=request.user, prefix="u")
    return create_page(request, form, services.create_unit, "response/unit_form.html",
                       _("Unit recorded."), unit=None)


@login_required
@require_http_methods(["GET", "POST"])
def unit_update(request, pk):
    user = request.user
    unit = get_one(selectors.units_for(user, "change"), pk)
    form = UnitForm(request.POST or None, instance=unit, user=user, prefix="u")
    return update_page(request, unit, form, services.update_unit, "response/unit_form.html",
                       _("Unit updated."), unit=unit)


@login_required
@require_http_methods(["GET", "POST"])
def unit_marking(request, pk):
    unit = get_one(selectors.units_for(request.user, "change_marking"), pk)
    return marking_page(request, unit, services.change_unit_marking)


# ---- Resource kinds and ports of entry (reference data) --------------------------------------

@login_required
def kind_list(request):
    form = KindFilterForm(request.GET)
    return list_page(request, "response/kind_list.html", "response/_kinds.html", form,
                     selectors.resource_kinds(**form.filters()), per_page=50)


@login_required
def kind_detail(request, code):
    kind = get_object_or_404(ResourceKind.objects.prefetch_related("substitutes",
                                                                   "substitute_for"), code=code)
    units = selectors.units_for(request.user, kind=kind.code)
    return render(request, "response/kind_detail.html", {
        "kind": kind, "units": units[:RELATED_SHOWN], "unit_count": units.count()})


@login_required
def port_list(request):
    return render(request, "response/port_list.html", {"ports": selectors.ports_of_entry()})


@login_required
def port_detail(request, key):
    return render(request, "response/port_detail.html",
                  {"port": get_object_or_404(PortOfEntry, key=key)})


urlpatterns = [
    path("", incident_list, name="incidents"),
    path("incidents/export/", incident_export, name="incidents_export"),
    path("incidents/new/", incident_create, name="incident_create"),
    path("incidents/<int:pk>/", incident_detail, name="incident"),
    path("incidents/<int:pk>/edit/", incident_update, name="incident_update"),
    path("incidents/<int:pk>/marking/", incident_marking, name="incident_marking"),
    path("units/", unit_list, name="units"),
    path("units/export/", unit_export, name="units_export"),
    path("units/new/", unit_create, name="unit_create"),
    path("units/<int:pk>/", unit_detail, name="unit"),
    path("units/<int:pk>/edit/", unit_update, name="unit_update"),
    path("units/<int:pk>/marking/", unit_marking, name="unit_marking"),
    path("kinds/", kind_list, name="kinds"),
    path("kinds/<str:code>/", kind_detail, name="kind"),
    path("ports/", port_list, name="ports"),
    path("ports/<str:key>/", port_detail, name="port"),
]
