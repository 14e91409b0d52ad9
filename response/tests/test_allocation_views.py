"""Allocation proposal pages: the list (empty state, pagination), "Propose a plan", the
progress fragment htmx polls, the plan (objective, assignments with route and port, why, unmet
demand), solving again with ticked pins and exclusions, accepting (offers linked) and
discarding, the map layer, and releasability on every read path."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.humanize import grouped
from core.services import apply_marking
from core.testing import ReleasabilityCase, assert_releasability
from response.models import AllocationProposal, Offer, Unit
from response.services import allocation
from response.tests.factories import make_request, make_unit
from response.tests.test_allocation_services import make_scene, solved

PS = AllocationProposal.State
LIST = reverse("response:proposals")


@pytest.fixture
def scene(duty, mx_liaison):
    return make_scene(duty, mx_liaison)


def queued(user, **fields):
    """A proposal straight through the ORM: the list and the progress need no solving."""
    proposal = AllocationProposal(requested_by=user, created_by=user, instance={}, **fields)
    apply_marking(proposal, owner=user.nation, rel_to=())
    return proposal


def test_the_list_says_when_there_is_nothing_and_pages(client_for, duty, us_viewer):
    page = client_for(duty).get(LIST)
    assert page.status_code == 200
    body = page.content.decode()
    assert "No proposal yet" in body and 'data-testid="add-proposal"' in body
    assert 'data-testid="add-proposal"' not in client_for(us_viewer).get(LIST).content.decode()
    for _n in range(26):
        queued(duty)
    first = client_for(duty).get(LIST).content.decode()
    assert first.count('data-testid="state"') == 25 and "Page 1 of 2" in first
    assert client_for(duty).get(LIST, {"page": 2}).content.decode().count(
        'data-testid="state"') == 1
    filtered = client_for(duty).get(LIST, {"state": "ready"}, HTTP_HX_REQUEST="true")
    assert "No proposal yet" in filtered.content.decode()


def test_propose_a_plan_then_review_it(client_for, duty, scene,
                                       django_capture_on_commit_callbacks):
    client = client_for(duty)
    form = client.get(reverse("response:proposal_create"), {"incident": scene["incident"].pk})
    assert form.status_code == 200
    assert f'<option value="{scene["incident"].pk}" selected>' in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("response:proposal_create"), {
            "incident": scene["incident"].pk, "solver": "auto", "liaison_rule": "on",
            "time_limit": "5"})
    proposal = AllocationProposal.objects.get()
    assert response.status_code == 302 and response.url == proposal.get_absolute_url()
    assert proposal.state == PS.READY and proposal.time_limit == 5

    page = client.get(proposal.get_absolute_url())
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="progress"' not in body  # solved: no polling
    assert f'data-testid="objective-total">{proposal.plan["objective"]["total"]:,}<' in body
    assert "every constraint holds" in body
    assert body.count('data-testid="assignment"') == 2
    assert "Crossing at" in body and "The runner-up, Generator team" in body
    assert "MEX-2026-0002" in body  # water purification, unmet, with its reason
    assert "No unit of this kind" in body
    assert f'href="/response/map/?proposal={proposal.pk}"' in body
    assert 'data-testid="accept"' in body and 'data-testid="resolve"' in body


def test_propose_refusals_land_on_the_form(client_for, duty, us_viewer):
    response = client_for(duty).post(reverse("response:proposal_create"), {
        "incident": "", "solver": "auto", "time_limit": "10"})
    assert response.status_code == 200
    assert "nothing to plan" in response.content.decode()
    assert not AllocationProposal.objects.exists()
    assert client_for(us_viewer).get(reverse("response:proposal_create")).status_code == 403


def test_progress_is_polled_until_the_plan_is_ready(client_for, duty, scene):
    client = client_for(duty)
    proposal = allocation.propose(duty, incident=scene["incident"])  # queued: no commit here
    url = reverse("response:proposal_progress", args=[proposal.pk])
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert f'hx-get="{url}" hx-trigger="every 2s"' in page
    assert "Waiting for the solver" in page and 'data-testid="accept"' not in page

    AllocationProposal.objects.filter(pk=proposal.pk).update(
        state=PS.SOLVING, progress=30, progress_note=allocation.NOTE_SOLVING)
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert fragment.status_code == 200 and 'value="30"' in body
    assert "Building the network and solving" in body and 'hx-trigger="every 2s"' in body
    spanish = client.get(url, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="es")
    assert spanish.status_code == 200

    AllocationProposal.objects.filter(pk=proposal.pk).update(state=PS.QUEUED)
    allocation.run_proposal(proposal.pk)
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert done.status_code == 204 and done["HX-Refresh"] == "true"  # the page shows the plan
    plain = client.get(url).content.decode()
    assert 'value="100"' in plain and "hx-get" not in plain


def test_a_failed_proposal_shows_its_error(client_for, duty):
    proposal = queued(duty, state=PS.FAILED, error="the network could not be built")
    body = client_for(duty).get(proposal.get_absolute_url()).content.decode()
    assert "The solver failed:" in body and "the network could not be built" in body
    assert 'data-testid="accept"' not in body and 'data-testid="discard"' in body


def test_solve_again_with_ticked_pins_and_exclusions(client_for, duty, scene):
    proposal = solved(duty, incident=scene["incident"])
    request = f"request:{scene['generators'].pk}"
    speaker, *others = [f"unit:{u.pk}" for u in scene["units"]]
    sent = [a["resource"] for a in proposal.plan["assignments"]]
    other = next(r for r in sent if r != speaker)
    client = client_for(duty)
    response = client.post(reverse("response:proposal_resolve", args=[proposal.pk]), {
        "pin": [f"{speaker}|{request}"], "exclude": [f"{other}|{request}"]})
    new = AllocationProposal.objects.exclude(pk=proposal.pk).get()
    assert response.status_code == 302 and response.url == new.get_absolute_url()
    assert new.resolves == proposal
    assert new.pins == [{"resource": speaker, "request": request}]
    assert new.exclusions == [{"resource": other, "request": request}]
    allocation.run_proposal(new.pk)
    body = client.get(new.get_absolute_url()).content.decode()
    assert f'value="{speaker}|{request}" checked' in body  # the pin stays ticked
    assert 'data-testid="exclusions"' in body  # and the exclusion, to keep or untick
    assert proposal.get_absolute_url() in body

    # Values not of the plan are refused without solving.
    response = client.post(reverse("response:proposal_resolve", args=[proposal.pk]),
                           {"pin": ["unit:1|request:999"]}, follow=True)
    assert "Tick only assignments of this plan." in response.content.decode()
    assert AllocationProposal.objects.count() == 2


def test_accept_makes_the_offers_and_links_them(client_for, duty, scene):
    proposal = solved(duty, incident=scene["incident"])
    client = client_for(duty)
    response = client.post(reverse("response:proposal_accept", args=[proposal.pk]),
                           follow=True)
    body = response.content.decode()
    offer = Offer.objects.get(proposals=proposal)
    assert "Offers made" in body and offer.get_absolute_url() in body
    assert 'data-testid="accept"' not in body and 'data-testid="resolve"' not in body
    spanish = client.get(proposal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es")
    assert "<dt>Aceptada</dt>" in spanish.content.decode()  # la propuesta


def test_unmet_reasons_in_spanish_read_after_a_count(client_for, duty, scene):
    Unit.objects.filter(pk__in=[u.pk for u in scene["units"]]).update(
        held_for_home_coverage=True)
    proposal = solved(duty, incident=scene["incident"])
    body = client_for(duty).get(proposal.get_absolute_url(),
                                HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "4 en reserva para la cobertura local" in body


def test_an_acceptance_refused_says_why(client_for, duty, scene):
    proposal = solved(duty, incident=scene["incident"])
    Unit.objects.filter(pk__in=[u.pk for u in scene["units"]]).update(
        held_for_home_coverage=True)
    response = client_for(duty).post(reverse("response:proposal_accept", args=[proposal.pk]),
                                     follow=True)
    body = response.content.decode()
    assert "MEX-2026-0001" in body and "held for home coverage" in body
    proposal.refresh_from_db()
    assert proposal.state == PS.READY and not Offer.objects.filter(proposals=proposal).exists()


def test_discard(client_for, duty, mx_liaison):
    proposal = queued(duty, state=PS.READY)
    client_for(mx_liaison).post(reverse("response:proposal_discard", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.state == PS.READY
    client_for(duty).post(reverse("response:proposal_discard", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.state == PS.DISCARDED


def planned(user, incident):
    """A solved proposal for `incident`: one of `user`'s generators (four, so the drawdown
    limit lets one go) to its request."""
    for n in range(4):
        make_unit(user, name=f"Generator team {n}", kind="GENERATOR")
    make_request(user, incident, number="LA-2025-009", kind="GENERATOR", quantity=1,
                 needed_by=timezone.now() + timedelta(hours=12))
    return solved(user, incident=incident)


def test_proposals_are_releasable_like_every_marked_record(duty, mx_liaison, incident):
    assert_releasability(ReleasabilityCase(
        make=lambda user: planned(user, incident),
        list_url=LIST,
        detail_url=lambda p: p.get_absolute_url(),
        api_list_url="/api/v1/allocation-proposals",
        api_detail_url=lambda p: f"/api/v1/allocation-proposals/{p.pk}",
        export_url=None,
        text=lambda p: f'href="{p.get_absolute_url()}"',
        parents=lambda p: [p.incident],
        map_feature=lambda p: (f"/api/v1/map/proposals/{p.pk}",
                               f"proposal-{p.pk}-{p.plan['assignments'][0]['resource']}"),
        notices=True,
    ), us_user=duty, mx_user=mx_liaison)


def test_the_other_nation_gets_404_everywhere(client_for, duty, mx_liaison, scene):
    proposal = solved(duty, incident=scene["incident"])
    client = client_for(mx_liaison)
    for url in (proposal.get_absolute_url(),
                reverse("response:proposal_progress", args=[proposal.pk]),
                f"/response/map/?proposal={proposal.pk}",
                f"/api/v1/map/proposals/{proposal.pk}"):
        assert client.get(url).status_code == 404, url
    for name in ("proposal_resolve", "proposal_accept", "proposal_discard"):
        assert client.post(reverse(f"response:{name}", args=[proposal.pk])).status_code == 404
    proposal.refresh_from_db()
    assert proposal.state == PS.READY and AllocationProposal.objects.count() == 1


def test_the_map_draws_the_proposal(client_for, duty, scene):
    proposal = solved(duty, incident=scene["incident"])
    page = client_for(duty).get("/response/map/", {"proposal": proposal.pk})
    assert page.status_code == 200
    config = page.context["map_config"]
    assert config["order"][-1] == "proposal"
    assert config["endpoints"]["proposal"] == f"/api/v1/map/proposals/{proposal.pk}"
    assert set(config["order"]) == set(config["endpoints"]) == set(config["labels"]["layers"])
    body = page.content.decode()
    assert f'data-proposal="{proposal.pk}"' in body and 'data-testid="map-proposal"' in body
    plain = client_for(duty).get("/response/map/")
    assert "proposal" not in plain.context["map_config"]["order"]


def test_objective_figures_are_grouped_in_the_readers_format(client_for, duty, scene):
    """A large objective reads 12,345,678, not 12345678, in English and in Mexican Spanish
    (whose separators are the same: comma for thousands, point for decimals)."""
    proposal = solved(duty, incident=scene["incident"])
    proposal.plan["objective"].update(total=12345678, unmet=10080000)
    proposal.plan.update(bound=12000000.4, solve_seconds=1234.56789)
    proposal.timings["build"] = 1234.56789
    proposal.save(update_fields=["plan", "timings"])
    for language in ("en", "es"):
        body = client_for(duty).get(proposal.get_absolute_url(),
                                    HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert 'data-testid="objective-total">12,345,678<' in body, language
        assert 'data-testid="objective-unmet">10,080,000<' in body, language
        assert 'data-testid="objective-bound">12,000,000 ·' in body, language
        assert "<dd>1,234.57 s</dd>" in body, language
        assert 'data-testid="seconds-build">1,234.568<' in body, language


def test_the_page_shows_the_method_and_why_and_where_the_time_went(client_for, duty, scene):
    proposal = solved(duty, incident=scene["incident"])
    timings = proposal.timings
    english = client_for(duty).get(proposal.get_absolute_url()).content.decode()
    assert 'data-testid="method-name">exact min-cost flow<' in english
    assert ('data-testid="method-reason">The flow optimum obeys every rule: this plan is '
            'optimal.<') in english
    assert "Where the time went" in english
    rows = re.findall(r'data-testid="timing-(\w+)"', english)
    # The steps in order, the solver's phases within solving, the total last.
    assert rows == ["build", "save", "wait", "read", "solve", "network", "flow", "explain",
                    "check", "store", "total"]
    assert "Building the instance from the records" in english
    for step in rows:
        assert f'data-testid="seconds-{step}">{grouped(timings[step], 3)}<' in english, step

    spanish = client_for(duty).get(proposal.get_absolute_url(),
                                   HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert 'data-testid="method-name">flujo de costo mínimo exacto<' in spanish
    assert ('data-testid="method-reason">El óptimo del flujo cumple todas las reglas: este plan '
            'es óptimo.<') in spanish
    assert "En qué se fue el tiempo" in spanish
    assert "Construcción de la instancia a partir de los registros" in spanish
    assert "Where the time went" not in spanish and "exact min-cost flow" not in spanish

    # A plan stored before reasons were given, and before steps were timed: the method alone,
    # no table.
    del proposal.plan["method_reason"]
    proposal.timings = {}
    proposal.save(update_fields=["plan", "timings"])
    old = client_for(duty).get(proposal.get_absolute_url()).content.decode()
    assert 'data-testid="method-name">exact min-cost flow<' in old
    assert 'data-testid="method-reason"' not in old and 'data-testid="timings"' not in old
