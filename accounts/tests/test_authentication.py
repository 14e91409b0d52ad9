"""Login, throttling, MFA per role, password reset by email, and the demo accounts."""

import io

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Organization, Role, User
from partnerships.models import Partnership

PASSWORD = "correct horse battery"


def login(client, username, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": username, "password": password})


def test_login_and_logout(us_coordinator):
    client = Client()
    assert login(client, us_coordinator.username).status_code == 302
    assert client.get(reverse("web:dashboard")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("web:dashboard")).status_code == 302


def test_repeated_failed_logins_are_throttled(us_coordinator):
    client = Client()
    for _ in range(5):
        assert login(client, us_coordinator.username, "wrong").status_code == 200
    # Even the right password is refused while the throttle holds.
    response = login(client, us_coordinator.username)
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(reverse("web:dashboard")).status_code == 302


def test_self_sign_up_is_closed(db):
    response = Client().post(reverse("account_signup"), {
        "username": "intruder", "email": "i@x.test", "password1": "Zq9!long-pass",
        "password2": "Zq9!long-pass"})
    assert not User.objects.filter(username="intruder").exists()
    assert response.status_code == 200


def test_password_reset_sends_an_email(us_coordinator):
    Client().post(reverse("account_reset_password"), {"email": us_coordinator.email})
    assert len(mail.outbox) == 1
    assert us_coordinator.email in mail.outbox[0].to
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_passwords_are_hashed_with_argon2_outside_tests(settings):
    assert "Argon2PasswordHasher" in [h for h in settings.PASSWORD_HASHERS if "Argon2" in h][0]


def signed_in(user):
    """A real sign-in that has also confirmed the password again, as allauth asks before any
    change to the user's authenticators."""
    client = Client()
    assert login(client, user.username).status_code == 302
    assert client.get(reverse("mfa_activate_totp")).url.startswith(
        reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    return client


def test_a_role_can_require_mfa(us_coordinator):
    client = signed_in(us_coordinator)
    assert client.get(reverse("web:dashboard")).status_code == 200
    Role.objects.filter(code="coordinator").update(mfa_required=True)
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))
    # Setting up MFA itself stays reachable.
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    Authenticator.objects.create(user=us_coordinator, type=Authenticator.Type.TOTP,
                                 data={"secret": "JBSWY3DPEHPK3PXP"})
    assert client.get(reverse("web:dashboard")).status_code == 200


def test_the_mfa_check_costs_a_page_no_query_of_its_own(us_coordinator):
    """The role's MFA rule and the user's authenticators are read with the user itself, once a
    request, whichever backend signed the user in."""
    through_the_form, forced = Client(), Client()
    assert login(through_the_form, us_coordinator.username).status_code == 302
    forced.force_login(us_coordinator)
    for client in (through_the_form, forced):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("web:dashboard")).status_code == 200
        mfa = [q["sql"] for q in queries if "mfa_authenticator" in q["sql"]]
        assert len(mfa) == 1, mfa
        assert 'FROM "accounts_user"' in mfa[0] and '"accounts_role"' in mfa[0]


def test_a_required_mfa_closes_the_api_to_the_session_until_set_up(us_coordinator):
    client = signed_in(us_coordinator)
    Role.objects.filter(code="coordinator").update(mfa_required=True)
    for response in (client.get("/api/v1/incidents"),
                     client.post("/api/v1/tokens", {"name": "laptop", "write": True, "days": 366},
                                 content_type="application/json")):
        assert response.status_code == 403
        assert set(response.json()) == {"detail", "errors"}
        assert "two-factor" in response.json()["detail"]
    assert not us_coordinator.api_tokens.exists()
    Authenticator.objects.create(user=us_coordinator, type=Authenticator.Type.TOTP,
                                 data={"secret": "JBSWY3DPEHPK3PXP"})
    assert client.get("/api/v1/incidents").status_code == 200


def test_every_user_can_reach_mfa_setup(mx_liaison):
    response = signed_in(mx_liaison).get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert "svg" in response.content.decode().lower()  # the QR code to scan


def test_demo_loader_is_idempotent(db):
    call_command("load_demo", stdout=io.StringIO())
    counts = (User.objects.count(), Organization.objects.count(), Partnership.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (User.objects.count(), Organization.objects.count(),
            Partnership.objects.count()) == counts
    liaison = User.objects.get(username="mx.liaison")
    assert liaison.nation.code == "MEX" and liaison.check_password("enlace-demo")
    assert {r.code for r in liaison.roles} == {"liaison"}
    assert set(User.objects.values_list("username", flat=True)) == {
        "us.coordinator", "us.duty", "us.j1", "us.caloes", "mx.liaison", "mx.bc", "mx.bcs",
        "admin"}


@pytest.mark.parametrize("username", ["mx.liaison", "mx.bc"])
def test_demo_partners_see_only_what_mexico_was_released(db, username):
    call_command("load_demo", stdout=io.StringIO())
    user = User.objects.get(username=username)
    assert [p.partner_nation.code for p in Partnership.objects.restrict(user)] == ["MEX"]
