"""Deployment pages: releasability of deployments, roster members and costs on every read
path; the deployment page for each nation (checklist buttons, refusals, the clock); the forms;
who is where now."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.services import change_marking
from core.testing import ReleasabilityCase, assert_releasability
from response.models import CheckIn, Deployment
from response.services import deployments as services
from response.tests.factories import (
    add_roster_member,
    make_agreement,
    make_deployment,
    make_incident,
    make_offer,
    make_request,
    nations,
    organization,
)
from response.tests.test_deployments_services import (
    HOST_ITEMS,
    SENDER_ITEMS,
    deploy,
    otay_mesa,
    us_to_mexico,
    walk,
)

DS = Deployment.State


def text(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# ---- Releasability on every read path --------------------------------------------------------

def test_deployments_obey_releasability(us_coordinator, make_user, mx_liaison):
    # A domestic deployment, CalOES to a CalGuard fire, with every record above it released
    # to Mexico: narrowing its agreement or its incident to the United States hides it.
    caloes = make_user("caloes", "CalOES", "duty_officer")
    request = make_request(us_coordinator, make_incident(us_coordinator))
    agreement = make_agreement(us_coordinator, caloes, request=request,
                               offer=make_offer(caloes, request, rel_to=("MEX",)))
    agreement.rel_to.add(*nations("MEX"))
    case = ReleasabilityCase(
        make=lambda user: make_deployment(user, agreement, name="Sierra water convoy"),
        list_url=reverse("response:deployments"),
        detail_url=lambda d: reverse("response:deployment", args=[d.pk]),
        api_list_url="/api/v1/deployments",
        api_detail_url=lambda d: f"/api/v1/deployments/{d.pk}",
        export_url=reverse("response:deployment_export"),
        text=lambda d: d.name,
        parents=lambda d: [d.agreement, d.incident],
        map_feature=lambda d: ("/api/v1/map/deployments", f"deployment-{d.pk}"),
        notices=True,
    )
    assert_releasability(case, us_user=us_coordinator, mx_user=mx_liaison)


def test_roster_members_obey_releasability(us_coordinator, mx_liaison):
    deployment = make_deployment(us_coordinator, us_to_mexico(us_coordinator, mx_liaison))
    case = ReleasabilityCase(
        make=lambda user: add_roster_member(deployment, "Zamorano Quintero"),
        list_url=reverse("response:deployment", args=[deployment.pk]),
        detail_url=lambda m: reverse("response:roster_member", args=[m.pk]),
        api_list_url=f"/api/v1/deployments/{deployment.pk}/roster",
        api_detail_url=lambda m: f"/api/v1/roster-members/{m.pk}",
        export_url=reverse("response:roster_export", args=[deployment.pk]),
        text=lambda m: m.full_name,
        parents=lambda m: [m.deployment],
    )
    assert_releasability(case, us_user=us_coordinator, mx_user=mx_liaison)


def test_costs_obey_releasability(us_coordinator, mx_liaison):
    deployment = make_deployment(us_coordinator, us_to_mexico(us_coordinator, mx_liaison))
    case = ReleasabilityCase(
        make=lambda user: services.add_cost(user, deployment, category="equipment",
                                            description="Sierra generator rental",
                                            amount="4200.00"),
        list_url=reverse("response:deployment", args=[deployment.pk]),
        detail_url=lambda c: reverse("response:cost", args=[c.pk]),
        api_list_url=f"/api/v1/deployments/{deployment.pk}/costs",
        api_detail_url=lambda c: f"/api/v1/deployment-costs/{c.pk}",
        export_url=reverse("response:cost_export", args=[deployment.pk]),
        text=lambda c: c.description,
        parents=lambda c: [c.deployment],
    )
    assert_releasability(case, us_user=us_coordinator, mx_user=mx_liaison)


def test_roster_and_costs_carry_their_deployments_marking(us_coordinator, mx_liaison):
    """A roster member and a cost have no marking of their own (MARKING_FOLLOWS): added while
    the deployment is US-only, they reach Mexico when the deployment is released to it (page
    and API) and are withdrawn with it; the deployment's own parents keep their markings."""
    us, mx = us_coordinator, mx_liaison
    deployment = make_deployment(us, us_to_mexico(us, mx), rel_to=("USA",))
    member = services.add_roster_member(us, deployment, full_name="Zamorano Quintero",
                                        organization=deployment.sending_organization)
    cost = services.add_cost(us, deployment, category="equipment",
                             description="Sierra generator rental", amount="4200.00")
    client = Client()
    client.force_login(mx)

    def marked(record):
        record = type(record).objects.get(pk=record.pk)
        return record.disclosure, {n.code for n in record.rel_to.all()}

    def found():
        return {url: client.get(url).status_code == 200 for url in (
            reverse("response:roster_member", args=[member.pk]),
            f"/api/v1/roster-members/{member.pk}",
            reverse("response:cost", args=[cost.pk]), f"/api/v1/deployment-costs/{cost.pk}")}

    assert marked(member) == marked(cost) == ("approved", {"USA"})
    assert not any(found().values())
    agreement = marked(deployment.agreement)

    change_marking(deployment, us, rel_to=nations("USA", "MEX"), disclosure="approved")
    assert marked(member) == marked(cost) == ("approved", {"USA", "MEX"})
    assert all(found().values())
    assert "Zamorano Quintero" in text(client.get(
        reverse("response:deployment", args=[deployment.pk])))
    assert marked(deployment.agreement) == agreement

    change_marking(deployment, us, rel_to=nations("USA"), disclosure="approved")
    assert marked(member) == marked(cost) == ("approved", {"USA"})
    assert not any(found().values())


def test_pages_of_an_invisible_deployment_are_404(client_for, us_coordinator, mx_liaison):
    deployment = deploy(us_coordinator, mx_liaison)
    member = services.add_roster_member(us_coordinator, deployment, full_name="A",
                                        organization=organization("CalOES"))
    deployment.rel_to.remove(mx_liaison.nation)
    client = client_for(mx_liaison)
    for url in (reverse("response:deployment", args=[deployment.pk]),
                reverse("response:daily_status", args=[deployment.pk]),
                reverse("response:shift_add", args=[deployment.pk]),
                reverse("response:team_check_in", args=[deployment.pk]),
                reverse("response:roster_export", args=[deployment.pk]),
                reverse("response:check_in", args=[member.pk])):
        assert client.get(url).status_code == 404, url


# ---- The deployment page ---------------------------------------------------------------------

class TestDetail:
    def test_sender_sees_its_checklist_buttons_and_the_refusal(self, client_for,
                                                              us_coordinator, mx_liaison):
        saturday = timezone.make_aware(timezone.datetime(2026, 3, 7, 10),
                                       timezone.get_fixed_timezone(-8 * 60))
        deployment = deploy(us_coordinator, mx_liaison, planned_crossing_at=saturday)
        page = text(client_for(us_coordinator).get(deployment.get_absolute_url()))
        assert 'data-testid="crossing-warning"' in page and "Monday to Friday" in page
        assert 'data-testid="record-host_notified"' in page
        assert 'data-testid="record-host_cleared"' not in page
        assert 'data-testid="transition-in_transit"' in page
        assert "Put at least one person on the roster" in page
        assert "Equipment and PPE fitting" in page
        assert 'data-testid="edit-deployment"' in page

    def test_host_sees_its_items_and_no_edit(self, client_for, us_coordinator, mx_liaison):
        deployment = walk(us_coordinator, mx_liaison, deploy(us_coordinator, mx_liaison),
                          "in_transit")
        page = text(client_for(mx_liaison).get(deployment.get_absolute_url()))
        assert 'data-testid="record-host_cleared"' in page
        assert 'data-testid="record-visas"' not in page
        assert 'data-testid="transition-arrived"' in page
        assert "Missing: Entry at a designated port" in page
        assert 'data-testid="edit-deployment"' not in page

    def test_clock_and_extension_link(self, client_for, us_coordinator, mx_liaison):
        deployment = make_deployment(us_coordinator, us_to_mexico(us_coordinator, mx_liaison),
                                     state=DS.ASSIGNED,
                                     assigned_at=timezone.now() - timedelta(days=11, hours=2))
        page = text(client_for(mx_liaison).get(deployment.get_absolute_url()))
        assert "Day 12 of 14" in page and "The limit is 2 days away" in page
        assert 'data-testid="extension-link"' in page
        page = text(client_for(us_coordinator).get(deployment.get_absolute_url()))
        assert 'data-testid="extension-link"' not in page

    def test_spanish_page(self, client_for, us_coordinator, mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison)
        client = client_for(mx_liaison, HTTP_ACCEPT_LANGUAGE="es")
        client.cookies["django_language"] = "es"
        page = text(client.get(deployment.get_absolute_url()))
        assert "Entrega y ajuste de equipo y EPP" in page


# ---- Forms -----------------------------------------------------------------------------------

class TestForms:
    def test_create_from_an_agreement(self, client_for, us_coordinator, mx_liaison):
        agreement = us_to_mexico(us_coordinator, mx_liaison)
        client = client_for(us_coordinator)
        url = reverse("response:deployment_create") + f"?agreement={agreement.pk}"
        assert "deployment-form" in text(client.get(url))
        response = client.post(url, {"name": "Convoy", "transport": "ground", "port": "",
                                     "planned_crossing_at": "2026-03-07T10:00"})
        assert "choose one" in text(response)  # a ground crossing needs a port
        response = client.post(url, {"name": "Convoy", "transport": "ground",
                                     "port": otay_mesa().pk,
                                     "planned_crossing_at": "2026-03-07T10:00"})
        deployment = Deployment.objects.get(name="Convoy")
        assert response.status_code == 302 and response.url == deployment.get_absolute_url()
        assert deployment.owner_nation.code == "USA" and deployment.port == otay_mesa()
        follow = text(client.get(deployment.get_absolute_url()))
        assert "Monday to Friday" in follow

    def test_create_needs_a_visible_agreement_and_the_role(self, client_for, us_coordinator,
                                                           us_viewer, mx_liaison):
        agreement = us_to_mexico(us_coordinator, mx_liaison)
        url = reverse("response:deployment_create")
        assert client_for(us_coordinator).get(url + "?agreement=999999").status_code == 404
        assert client_for(us_viewer).get(
            url + f"?agreement={agreement.pk}").status_code == 403
        response = client_for(mx_liaison).post(url + f"?agreement={agreement.pk}", {
            "name": "X", "transport": "air", "arrival_airport": "SJD"})
        assert "Only the assisting nation" in text(response)

    def test_update_and_notice_again(self, client_for, us_coordinator, mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison, transport="air", port=None,
                            arrival_airport="SJD",
                            planned_crossing_at=timezone.now() + timedelta(days=1))
        client = client_for(us_coordinator)
        url = reverse("response:deployment_update", args=[deployment.pk])
        assert client_for(mx_liaison).get(url).status_code == 404
        response = client.post(url, {
            "name": deployment.name, "transport": "air", "arrival_airport": "LAP",
            "planned_crossing_at": local(timezone.now() + timedelta(days=2)),
            "reception_site": "La Paz", "supervisor": "IC Smith"})
        assert response.status_code == 302
        deployment.refresh_from_db()
        assert deployment.arrival_airport == "LAP" and deployment.supervisor == "IC Smith"
        assert mx_liaison.notifications.count() == 2

    def test_checklist_transition_and_refusal_messages(self, client_for, us_coordinator,
                                                       mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison)
        us = client_for(us_coordinator)
        url = reverse("response:deployment_transition", args=[deployment.pk, "in_transit"])
        page = text(us.post(url, follow=True))
        assert "Put at least one person on the roster" in page
        services.add_roster_member(us_coordinator, deployment, full_name="A",
                                   organization=organization("CalOES"))
        for item in SENDER_ITEMS:
            us.post(reverse("response:deployment_checklist", args=[deployment.pk, item]),
                    {"done": "1"})
        mx = client_for(mx_liaison)
        page = text(mx.post(reverse("response:deployment_checklist",
                                    args=[deployment.pk, "visas"]), {"done": "0"}, follow=True))
        assert "Only the sending nation" in page
        assert us.post(url).status_code == 302
        for item in HOST_ITEMS:
            mx.post(reverse("response:deployment_checklist", args=[deployment.pk, item]),
                    {"done": "1"})
        page = text(mx.post(reverse("response:deployment_transition",
                                    args=[deployment.pk, "arrived"]), follow=True))
        assert "now arrived and cleared" in page
        deployment.refresh_from_db()
        assert deployment.state == DS.ARRIVED and deployment.visas_at is not None

    def test_onboarding_add_and_complete(self, client_for, us_coordinator, mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison)
        mx = client_for(mx_liaison)
        url = reverse("response:deployment_onboarding", args=[deployment.pk])
        mx.post(url, {"text_en": "", "text_es": "Curso de cinco horas"})
        item = deployment.onboarding_items.get(text_es="Curso de cinco horas")
        mx.post(url, {"item": item.pk, "done": "1"})
        item.refresh_from_db()
        assert item.done_at is not None and item.done_by == mx_liaison
        mx.post(url, {"item": item.pk, "done": "0"})
        item.refresh_from_db()
        assert item.done_at is None

    def test_roster_add_edit_remove(self, client_for, us_coordinator, mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison)
        us = client_for(us_coordinator)
        response = us.post(reverse("response:roster_add", args=[deployment.pk]), {
            "full_name": "Megan Patel", "organization": organization("CalOES").pk,
            "languages": "en, es", "another": "1"})
        assert response.url == reverse("response:roster_add", args=[deployment.pk])
        member = deployment.roster.get()
        assert member.languages == "en,es"
        us.post(reverse("response:roster_update", args=[member.pk]), {
            "full_name": "Megan Patel", "organization": organization("CalOES").pk,
            "position": "Water treatment specialist"})
        member.refresh_from_db()
        assert member.position == "Water treatment specialist"
        page = text(client_for(mx_liaison).get(reverse("response:roster_member",
                                                       args=[member.pk])))
        assert "Megan Patel" in page and 'data-testid="roster-remove"' not in page
        us.post(reverse("response:roster_remove", args=[member.pk]))
        assert not deployment.roster.exists()

    def test_check_ins_daily_status_and_shifts(self, client_for, us_coordinator, mx_liaison):
        assigned = timezone.now() - timedelta(days=2)
        times = {"in_transit": assigned - timedelta(hours=9),
                 "arrived": assigned - timedelta(hours=6),
                 "onboarding": assigned - timedelta(hours=5), "assigned": assigned}
        deployment = walk(us_coordinator, mx_liaison, deploy(us_coordinator, mx_liaison),
                          "assigned", at=times.get)
        services.add_roster_member(us_coordinator, deployment, full_name="Bo Kim",
                                   organization=organization("CalOES"))
        mx = client_for(mx_liaison)
        response = mx.post(reverse("response:team_check_in", args=[deployment.pk]), {
            "status": "assigned", "location": "Desalination plant"})
        assert response.status_code == 302
        assert CheckIn.objects.filter(member__deployment=deployment).count() == 2
        member = deployment.roster.get(full_name="Bo Kim")
        mx.post(reverse("response:check_in", args=[member.pk]), {
            "status": "out_of_service", "location": "Hospital Salvatierra"})
        page = text(mx.get(deployment.get_absolute_url()))
        assert "Hospital Salvatierra" in page and "Out of service" in page
        assert '<span class="n">1</span> Assigned' in page
        assert '<span class="n">1</span> Out of service' in page
        mx.post(reverse("response:daily_status", args=[deployment.pk]), {
            "day": timezone.localdate().isoformat(), "summary_en": "Two plants running",
            "personnel_on_duty": 2, "injuries": 0})
        assert deployment.daily_status.get().summary_en == "Two plants running"
        shifts = reverse("response:shift_add", args=[deployment.pk])
        mx.post(shifts, {"started_at": local(assigned), "ended_at": local(
            assigned + timedelta(hours=12))})
        page = text(mx.post(shifts, {"started_at": local(assigned + timedelta(hours=14)),
                                     "ended_at": local(assigned + timedelta(hours=20))},
                            follow=True))
        assert "the 2:1 work/rest ratio asks for 6.0 h" in page
        assert 'data-testid="short-rest"' in page
        page = text(mx.post(shifts, {"started_at": local(assigned + timedelta(hours=19)),
                                     "ended_at": local(assigned + timedelta(hours=21))}))
        assert "overlaps" in page

    def test_costs_and_extension(self, client_for, us_coordinator, mx_liaison):
        deployment = make_deployment(us_coordinator, us_to_mexico(us_coordinator, mx_liaison),
                                     state=DS.ASSIGNED,
                                     assigned_at=timezone.now() - timedelta(days=12))
        us = client_for(us_coordinator)
        form = text(us.get(reverse("response:cost_add", args=[deployment.pk])))
        assert 'value="donated" selected' in form  # the offer was donated
        us.post(reverse("response:cost_add", args=[deployment.pk]), {
            "category": "travel", "description": "Diesel", "amount": "812.40",
            "currency": "usd", "reimbursement": "not_claimed"})
        cost = deployment.costs.get()
        assert cost.currency == "USD"
        us.post(reverse("response:cost_update", args=[cost.pk]), {
            "category": "travel", "description": "Diesel", "amount": "812.40",
            "currency": "USD", "reimbursement": "claimed"})
        cost.refresh_from_db()
        assert cost.reimbursement == "claimed"
        page = text(us.get(deployment.get_absolute_url()))
        assert "812.40\N{NO-BREAK SPACE}USD" in page and 'data-testid="costs-by-status"' in page
        mx = client_for(mx_liaison)
        assert "cost-edit" not in text(mx.get(reverse("response:cost", args=[cost.pk])))
        page = text(us.post(reverse("response:extension", args=[deployment.pk]), {"days": 4}))
        assert "Only the host nation" in page
        response = mx.post(reverse("response:extension", args=[deployment.pk]), {"days": 4})
        assert response.status_code == 302
        deployment.refresh_from_db()
        assert deployment.extension_days == 4
        page = text(us.get(deployment.get_absolute_url()))
        assert "Day 13 of 18" in page and "Extension of 4 days approved by t.mx.liaison" in page


# ---- Lists and who is where ------------------------------------------------------------------

def test_list_filters_and_export(client_for, us_coordinator, mx_liaison):
    agreement = us_to_mexico(us_coordinator, mx_liaison)
    make_deployment(us_coordinator, agreement, name="Air bridge")
    make_deployment(us_coordinator, agreement, name="Ground convoy", transport="ground",
                    port=otay_mesa(), state=DS.IN_TRANSIT)
    client = client_for(mx_liaison)
    url = reverse("response:deployments")
    page = text(client.get(url, {"transport": "ground"}))
    assert "Ground convoy" in page and "Air bridge" not in page
    page = text(client.get(url, {"state": "mobilizing", "nation": "USA",
                                 "incident": agreement.offer.incident_id}))
    assert "Air bridge" in page and "Ground convoy" not in page
    assert "Air bridge" not in text(client.get(url, {"nation": "MEX"}))
    partial = text(client.get(url, {"transport": "air"}, HTTP_HX_REQUEST="true"))
    assert "Air bridge" in partial and "<html" not in partial
    export = client.get(reverse("response:deployment_export"), {"transport": "ground"})
    content = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "Ground convoy" in content and "Air bridge" not in content


def test_who_is_where_page(client_for, us_coordinator, mx_liaison):
    deployment = walk(us_coordinator, mx_liaison, deploy(us_coordinator, mx_liaison),
                      "arrived")
    services.check_in(mx_liaison, deployment.roster.get(), status="checked_in",
                      location="Aeropuerto SJD")
    client = client_for(mx_liaison)
    page = text(client.get(reverse("response:accountability")))
    assert "Ana Smith" in page and "Aeropuerto SJD" in page
    assert 'data-testid="count-USA">1<' in page
    page = text(client.get(reverse("response:accountability"), {"nation": "MEX"}))
    assert "Ana Smith" not in page
    page = text(client.get(reverse("response:accountability"),
                           {"deployment": deployment.pk}))
    assert "Ana Smith" in page
