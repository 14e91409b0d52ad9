"""A measurement's evidence (an engagement, an after-action report) is picked by typing from
those of the partnership the reader may see: the form renders only the chosen one, and a
Mexican liaison never finds a US-only engagement."""

import re

from django.urls import reverse

from engagements.tests.factories import make_engagement
from partnerships.tests.factories import make_program


def found(response):
    assert response.status_code == 200
    return re.findall(r'<option value="\d+">([^<]*)</option>', response.content.decode())


def test_evidence_is_picked_from_what_the_reader_may_see(client_for, us_coordinator,
                                                         mx_liaison):
    partnership, _line, _objective, indicator = make_program(us_coordinator)
    make_engagement(us_coordinator, partnership, title="Drill shared")
    make_engagement(us_coordinator, partnership, title="Drill quiet", rel_to=())
    client = client_for(us_coordinator)
    page = client.get(reverse("partnerships:measurement_create", args=[indicator.pk]))
    html = page.content.decode()
    assert "Drill shared" not in html
    assert f'hx-get="/pick/partnership-engagements/?partnership={partnership.pk}' in html
    url = reverse("web:pick", args=["partnership-engagements"])
    assert sorted(found(client.get(url, {"partnership": partnership.pk, "q": "drill"}))) == [
        "Drill quiet", "Drill shared"]
    assert found(client_for(mx_liaison).get(url, {"partnership": partnership.pk,
                                                  "q": "drill"})) == ["Drill shared"]
