"""`enlace load_scale`: the small size on the test database (SQLite and PostgreSQL alike), once
per seed, with the marking mix a load test needs — and nothing a nation may not see leaking
through restrict()."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from engagements.models import Engagement, Participation
from enlace import scale_data
from partnerships.models import Measurement
from personnel.models import DutyPeriod, Member
from response.models import CheckIn, Deployment, Incident, Offer, ResourceRequest, RosterMember

COUNTED = [Incident, ResourceRequest, Offer, Deployment, RosterMember, CheckIn, Engagement,
           Participation, Measurement, Member, DutyPeriod]


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture
def small(reference):
    out = StringIO()
    call_command("load_scale", "--size", "small", "--seed", "7", stdout=out)
    return out.getvalue()


def test_small_size_fills_every_kind_of_record_and_reports_it(small):
    assert "Seed 7 (small):" in small and "marked records" in small
    numbers = counts()
    assert all(numbers.values()), numbers
    assert numbers["Incident"] == scale_data.SIZES["small"]["incidents"]
    assert numbers["ResourceRequest"] == 6 * numbers["Incident"]
    assert numbers["Member"] == 40
    # Every marked record carries its owner among its nations.
    for model in (Incident, ResourceRequest, Offer, Deployment, RosterMember, Engagement,
                  Participation, Measurement, Member):
        for record in model.objects.prefetch_related("rel_to"):
            assert record.owner_nation_id in {n.pk for n in record.rel_to.all()}, model


def test_same_seed_adds_nothing_and_another_seed_adds_its_own(small):
    before = counts()
    out = StringIO()
    call_command("load_scale", "--size", "small", "--seed", "7", stdout=out)
    assert "already loaded" in out.getvalue()
    assert counts() == before
    call_command("load_scale", "--size", "small", "--seed", "8", stdout=StringIO())
    after = counts()
    assert after["Incident"] == 2 * before["Incident"]
    assert all(after[name] > n for name, n in before.items()), (before, after)


def test_marking_mix_us_only_released_and_mexican_owned(small, us_coordinator, mx_liaison):
    incidents = Incident.objects.prefetch_related("rel_to")
    us_only = [i for i in incidents if i.owner_nation.code == "USA"
               and {n.code for n in i.rel_to.all()} == {"USA"}]
    released = [i for i in incidents if {n.code for n in i.rel_to.all()} == {"USA", "MEX"}
                and i.disclosure == "approved"]
    mexican = [i for i in incidents if i.owner_nation.code == "MEX"]
    assert us_only and released and mexican

    hidden = us_only[0]
    assert not Incident.objects.restrict(mx_liaison).filter(pk=hidden.pk).exists()
    assert Incident.objects.restrict(us_coordinator).filter(pk=hidden.pk).exists()
    # Its children are hidden from Mexico too (they carry no wider marking than the incident).
    assert ResourceRequest.objects.filter(incident=hidden).exists()
    assert not ResourceRequest.objects.restrict(mx_liaison).filter(incident=hidden).exists()
    assert not Offer.objects.restrict(mx_liaison).filter(incident=hidden).exists()
    assert not Deployment.objects.restrict(mx_liaison).filter(incident=hidden).exists()
    assert Incident.objects.restrict(mx_liaison).filter(pk=released[0].pk).exists()
    # Guard members never leave the United States.
    assert not Member.objects.restrict(mx_liaison).exists()
    assert Member.objects.restrict(User.objects.get(username="scale.us")).count() == 0  # inactive


def test_load_users_of_both_nations_and_several_roles(reference):
    made = scale_data.load_users(12, "a-long-password-for-load")
    assert {nation for _u, nation, _r in made} == {"USA", "MEX"}
    assert len({role for _u, _n, role in made}) >= 4
    assert scale_data.load_users(12, "x") == made  # idempotent
    user = User.objects.get(username="load.01")
    assert user.check_password("a-long-password-for-load") and user.nation.code == "MEX"


def test_accounts_file_gives_each_account_a_working_token(reference, tmp_path, client):
    path = tmp_path / "accounts.json"
    call_command("load_scale", "--users", "3", "--accounts-file", str(path),
                 "--password", "a-long-password-for-load", stdout=StringIO())
    accounts = json.loads(path.read_text())
    assert [a["username"] for a in accounts] == ["load.00", "load.01", "load.02"]
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    mexican = accounts[1]
    assert mexican["nation"] == "MEX" and mexican["organization"] == "DEFENSA"
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {mexican['token']}")
    assert response.status_code == 200 and response.json()["username"] == "load.01"
