"""What mutual-aid pages and notices say, in both languages: a notice does not repeat the "New"
flag, an empty cost list says why, amounts carry their currency, lateness reads in days and
hours, the runner-up's extra cost has its unit, an incident's times share one format."""

import re
from datetime import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from response.models import AllocationProposal
from response.services import deployments as services
from response.tests.factories import make_incident
from response.tests.test_aid_services import new_offer, submitted
from response.tests.test_allocation_services import make_scene, solved
from response.tests.test_deployments_services import deploy
from response.views.allocation import why_this_unit


def page(client, url, language):
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("language", "flag", "opening"), [
    ("en", "New", "Resource request USA-2025-0001 released to your nation"),
    ("es", "Nueva", "Solicitud de recursos USA-2025-0001 divulgable a su país")])
def test_a_notice_does_not_repeat_the_new_flag(client_for, duty, mx_liaison, incident,
                                               language, flag, opening):
    request = submitted(duty, incident)
    new_offer(mx_liaison, request)
    liaison_page = page(client_for(mx_liaison), "/notifications/", language)
    duty_page = page(client_for(duty), "/notifications/", language)
    assert opening in liaison_page
    for text in (liaison_page, duty_page):
        assert not re.search(rf"{flag}</span>\s*{flag}\b", text)
        assert not re.search(r"\bNew (resource request|offer|unsolicited)", text)
        assert "Nueva solicitud de recursos USA" not in text
        assert "Nuevo ofrecimiento de" not in text


@pytest.mark.parametrize(("language", "empty", "amount"), [
    ("en", "No costs recorded, or none released to you.", "1,250.50\N{NO-BREAK SPACE}USD"),
    ("es", "No hay costos anotados, o ninguno es divulgable a su país.",
     "1,250.50\N{NO-BREAK SPACE}USD")])
def test_costs_read_as_amounts_with_their_currency(client_for, us_coordinator, mx_liaison,
                                                   language, empty, amount):
    deployment = deploy(us_coordinator, mx_liaison)
    client = client_for(us_coordinator)
    assert empty in page(client, deployment.get_absolute_url(), language)
    services.add_cost(us_coordinator, deployment, category="equipment", description="Fuel",
                      amount=Decimal("1250.5"), reimbursement="donated")
    shown = page(client, deployment.get_absolute_url(), language)
    assert amount in shown and "1250.50 USD" not in shown


def assignment(cost, runner_cost, eta="2026-03-07T10:00:00+00:00"):
    return {"pinned": False, "cost": {"total": cost},
            "why": {"text": "", "runner_up": {"resource": "unit-2", "cost": runner_cost,
                                              "eta": eta}}}


@pytest.mark.parametrize(("language", "more", "same"), [
    ("en", "would cost 3,590 more points of the objective", "costs no more (1,200 points)"),
    ("es", "costaría 3,590 puntos más del objetivo", "no cuesta más (1,200 puntos)")])
def test_the_runner_up_cost_has_its_unit(language, more, same):
    with translation.override(language):
        assert more in why_this_unit(assignment(1000, 4590), {})
        assert same in why_this_unit(assignment(1200, 1200), {})


@pytest.mark.parametrize(("language", "late"), [
    ("en", "5 d 5 h after needed"), ("es", "5 días 5 h después de la hora requerida")])
def test_lateness_reads_in_days_and_hours(client_for, duty, mx_liaison, language, late):
    proposal = solved(duty, incident=make_scene(duty, mx_liaison)["incident"])
    plan = proposal.plan
    plan["assignments"][0]["late_minutes"] = 7506
    AllocationProposal.objects.filter(pk=proposal.pk).update(plan=plan)
    shown = page(client_for(duty), proposal.get_absolute_url(), language)
    # Not the raw minutes (as a number of its own: a timestamp's microseconds may hold 7506).
    assert late in shown and not re.search(r"(?<!\d)7506(?!\d)", shown)


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_incident_shows_its_times_in_one_format(client_for, mx_liaison, language):
    incident = make_incident(mx_liaison, name="Hurricane Odile-X", latitude=22.89,
                             longitude=-109.92, state_region="BCS", rel_to=("USA",))
    incident.started_at = datetime.fromisoformat("2025-09-14T18:30:00+00:00")
    incident.save(update_fields=["started_at"])
    shown = page(client_for(mx_liaison), incident.get_absolute_url(), language)
    times = re.findall(r'<time datetime="[^"]+">([^<]+)</time>', shown)
    assert len(times) >= 2
    assert all(re.match(r"\d\d/\d\d/\d{4} \d", t) for t in times), times
