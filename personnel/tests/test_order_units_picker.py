"""An order's units are picked by typing (core.pickers.MultiPicker): the form renders only the
units chosen, never the whole list; the search offers only the units the reader may see (a
Mexican user never finds a US unit); the chosen codes post like ticked boxes did."""

import re

import pytest
from django.urls import reverse

from accounts.models import Nation
from core.pickers import LIMIT
from personnel.models import Order, Unit
from personnel.tests.factories import make_member, make_unit
from personnel.tests.test_views import _order_post

PICK = reverse("web:pick", args=["guard-units"])


@pytest.fixture
def officer(persona_of):
    return persona_of("personnel_officer", "USA")


@pytest.fixture
def many_units(reference):
    return [make_unit(f"U{n:03d}", f"Company {n:03d}") for n in range(LIMIT + 15)]


def offered(response):
    assert response.status_code == 200
    return re.findall(r'<option value="([^"]+)">([^<]*)</option>', response.content.decode())


def chosen(html):
    return re.findall(r'<input type="hidden" name="o-units" value="([^"]+)">', html)


def test_the_form_lists_no_unit_until_one_is_chosen(client_for, officer, many_units):
    html = client_for(officer).get(reverse("personnel:order_create")).content.decode()
    assert not re.search(r"U0\d\d", html) and chosen(html) == []
    assert f'hx-get="{PICK}"' in html
    assert '<label for="id_o-units-search">' in html  # the label names the search box


def test_the_search_offers_only_units_the_reader_may_see(client_for, officer, persona_of,
                                                         many_units):
    us = client_for(officer)
    assert len(offered(us.get(PICK, {"q": "company"}))) == LIMIT  # type more to narrow
    assert offered(us.get(PICK, {"q": "company 007"})) == [("U007", "U007 Company 007")]
    assert offered(us.get(PICK, {"q": "u01 4"})) == [("U014", "U014 Company 014")]
    # Mexico's own unit is Mexico's alone; a US unit is never offered to a Mexican user.
    mexico = Nation.objects.get(code="MEX")
    theirs = Unit.objects.create(code="MX-2BPM", name="2nd Company", owner_nation=mexico)
    theirs.rel_to.set([mexico])
    mx_user = client_for(persona_of("personnel_officer", "MEX"))
    assert offered(mx_user.get(PICK, {"q": "company"})) == [("MX-2BPM", "MX-2BPM 2nd Company")]
    assert ("MX-2BPM", "MX-2BPM 2nd Company") not in offered(us.get(PICK, {"q": "2nd"}))


def test_chosen_units_post_their_codes_and_stay_chosen_on_an_error(client_for, officer,
                                                                   many_units):
    first, second = many_units[3], many_units[4]
    covered = {make_member("100", first), make_member("101", second)}
    make_member("102", many_units[5])
    client = client_for(officer)
    url = reverse("personnel:order_create")
    refused = client.post(url, _order_post(**{"o-units": [first.code, second.code],
                                              "o-title_en": ""}))
    html = refused.content.decode()
    assert refused.status_code == 200 and "title_en" in refused.context["form"].errors
    assert chosen(html) == [first.code, second.code]
    assert 'aria-label="Remove U003 Company 003"' in html and "U005" not in html

    created = client.post(url, _order_post(**{"o-units": [first.code, second.code],
                                              "m-rel_to": ["USA"]}))
    order = Order.objects.get()
    assert created.status_code == 302 and set(order.members.all()) == covered
