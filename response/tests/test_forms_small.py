"""What a new user met on the mutual-aid forms: the perimeter box starts empty (not `null`),
every input of an offer's lines has a label, and the unit of a line is picked by typing from
the units the user may offer — a Mexican liaison finds only Mexico's own — and its request from
those released to them."""

import re

from django.urls import reverse

from response.tests.factories import make_incident, make_request, make_unit


def test_the_new_incident_form_starts_with_an_empty_perimeter(client_for, us_coordinator):
    page = client_for(us_coordinator).get(reverse("response:incident_create")).content.decode()
    box = re.search(r'<textarea name="i-perimeter"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert box.strip() == ""


def test_every_offer_line_input_has_a_label(client_for, mx_liaison):
    page = client_for(mx_liaison).get(reverse("response:offer_create")).content.decode()
    lines = page[page.index('data-testid="offer-lines"'):]
    ids = re.findall(r'<(?:input|select)[^>]*name="l-\d+-[a-zA-Z]+"[^>]*id="([^"]+)"', lines)
    ids += re.findall(r'<(?:input|select)[^>]*id="([^"]+)"[^>]*name="l-\d+-[a-zA-Z]+"', lines)
    assert len(set(ids)) >= 18  # three empty lines of six inputs
    for ident in set(ids):
        assert f'<label class="visually-hidden" for="{ident}">' in lines, ident
    assert "Unit, line 2" in lines


def test_units_are_picked_from_those_the_user_may_offer(client_for, us_coordinator,
                                                        mx_liaison):
    make_unit(us_coordinator, name="Crew Alfa", rel_to=("MEX",))  # released, but not theirs
    make_unit(mx_liaison, name="Brigada Alfa", rel_to=(), disclosure="not_reviewed")
    make_unit(mx_liaison, name="Brigada Alfa 2", rel_to=(), disclosure="not_reviewed",
              held_for_home_coverage=True)
    client = client_for(mx_liaison)
    page = client.get(reverse("response:offer_create")).content.decode()
    assert "Brigada Alfa" not in page and 'hx-get="/pick/units-to-offer/?blank=1"' in page
    found = client.get(reverse("web:pick", args=["units-to-offer"]), {"q": "alfa"})
    assert re.findall(r'<option value="\d+">([^<]*)</option>', found.content.decode()) == [
        "Brigada Alfa"]


def test_requests_are_picked_from_those_released_to_the_user(client_for, us_coordinator,
                                                             mx_liaison):
    incident = make_incident(us_coordinator)
    shared = make_request(us_coordinator, incident, number="LA-2025-001")
    make_request(us_coordinator, incident, number="LA-2025-002", rel_to=())  # US-only
    client = client_for(mx_liaison)
    page = client.get(reverse("response:offer_create")).content.decode()
    select = re.search(r'<select name="o-request"[^>]*>(.*?)</select>', page, re.S)
    assert re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1)) == ["—"]
    assert 'hx-get="/pick/offerable-requests/?blank=1"' in page
    found = client.get(reverse("web:pick", args=["offerable-requests"]), {"q": "LA-2025"})
    assert re.findall(r'<option value="(\d+)">', found.content.decode()) == [str(shared.pk)]
