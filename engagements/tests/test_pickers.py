"""Large choices are picked by typing (core.pickers): the participant and person forms render
only the chosen record, not thousands of options, and the search behind them offers only what
the reader may choose — a Mexican liaison never finds a US-only person or any Guard member."""

import re

from django.urls import reverse

from core.pickers import LIMIT
from engagements.tests.factories import make_engagement, make_person, mexico
from personnel.models import Member
from personnel.tests.factories import make_member

MANY = LIMIT + 15


def options(html, name):
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r"<option", select)


def found(response):
    assert response.status_code == 200
    return re.findall(r'<option value="(\d+)">([^<]*)</option>', response.content.decode())


def test_the_forms_render_the_choice_not_every_option(client_for, us_coordinator):
    engagement = make_engagement(us_coordinator, mexico(us_coordinator))
    for n in range(MANY):
        make_person(us_coordinator, f"Persona {n:03d}")
    for n in range(MANY):
        make_member(f"M{n:05d}", last_name=f"Soto{n:03d}")
    client = client_for(us_coordinator)
    page = client.get(reverse("engagements:participant_add", args=[engagement.pk]))
    html = page.content.decode()
    assert len(options(html, "c-person")) == 1  # "—" only: nothing chosen yet
    assert 'hx-get="/pick/engagement-people/?engagement=' in html
    html = client.get(reverse("engagements:person_create")).content.decode()
    assert len(options(html, "p-guard_member")) == 1
    assert "Soto001" not in html and len(html) < 40_000
    # Typing finds them, a page at a time.
    url = reverse("web:pick", args=["engagement-people"])
    assert len(found(client.get(url, {"engagement": engagement.pk, "q": "persona"}))) == LIMIT
    assert [label for _pk, label in found(client.get(
        url, {"engagement": engagement.pk, "q": "Persona 007"}))] == ["Persona 007"]
    assert [label for _pk, label in found(client.get(
        reverse("web:pick", args=["guard-members"]), {"q": "soto012"}))] == [
        str(Member.objects.get(last_name="Soto012"))]


def test_the_search_offers_only_what_the_reader_may_choose(client_for, us_coordinator,
                                                          mx_liaison):
    partnership = mexico(us_coordinator)
    engagement = make_engagement(us_coordinator, partnership)
    make_person(us_coordinator, "Ana Quiet", rel_to=())  # US-only
    released = make_person(us_coordinator, "Ana Shared")  # released to Mexico, but not theirs
    own = make_person(mx_liaison, "Ana Nuestra", rel_to=(), disclosure="not_reviewed")
    make_member("M00001", last_name="Anaya")
    client = client_for(mx_liaison)
    url = reverse("web:pick", args=["engagement-people"])
    assert found(client.get(url, {"engagement": engagement.pk, "q": "ana"})) == [
        (str(own.pk), "Ana Nuestra")]
    assert not found(client.get(reverse("web:pick", args=["guard-members"]), {"q": "ana"}))
    # The US coordinator may add both of their nation's people and the partner's.
    us = {label for _pk, label in found(client_for(us_coordinator).get(
        url, {"engagement": engagement.pk, "q": "ana"}))}
    assert {"Ana Quiet", released.full_name} <= us
    # An engagement the reader may not see offers nobody; a bad id is not an error.
    hidden = make_engagement(us_coordinator, partnership, rel_to=())
    assert not found(client.get(url, {"engagement": hidden.pk, "q": "ana"}))
    assert not found(client.get(url, {"engagement": "x", "q": "ana"}))
    assert client.get(reverse("web:pick", args=["no-such-list"])).status_code == 404
