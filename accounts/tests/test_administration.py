"""The back office (Django admin), users' own preferences, and the history nobody may edit."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization, Role, User
from partnerships.tests.factories import make_partnership


@pytest.fixture
def admin_user(make_user):
    return make_user("t.admin", "CalGuard", "administrator", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("name", ["accounts_user", "accounts_organization", "accounts_role",
                                  "accounts_nation", "accounts_apitoken",
                                  "auditlog_logentry"])
def test_administrators_manage_accounts_in_the_back_office(client_for, admin_user, name):
    assert client_for(admin_user).get(reverse(f"admin:{name}_changelist")).status_code == 200


def test_administrator_creates_a_user_in_an_organization(client_for, admin_user):
    client = client_for(admin_user)
    response = client.post(reverse("admin:accounts_user_add"), {
        "username": "new.liaison", "password1": "Zq9!long-pass-word",
        "password2": "Zq9!long-pass-word", "usable_password": "true",
        "organization": Organization.objects.get(acronym="PC-BCS").pk,
        "groups": [Role.objects.get(code="liaison").pk],
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="new.liaison")
    assert user.nation.code == "MEX" and [r.code for r in user.roles] == ["liaison"]
    assert LogEntry.objects.get_for_object(user).filter(actor=admin_user).exists()


def test_non_staff_users_cannot_open_the_back_office(client_for, us_coordinator):
    response = client_for(us_coordinator).get(reverse("admin:index"))
    assert response.status_code == 302 and "login" in response.url


def test_history_cannot_be_edited_or_deleted_even_by_administrators(client_for, admin_user,
                                                                    us_coordinator):
    entry = LogEntry.objects.get_for_object(make_partnership(us_coordinator)).first()
    client = client_for(admin_user)
    change = client.post(reverse("admin:auditlog_logentry_change", args=[entry.pk]),
                         {"changes": "{}"})
    delete = client.post(reverse("admin:auditlog_logentry_delete", args=[entry.pk]),
                         {"post": "yes"})
    assert change.status_code == 403 and delete.status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_times_show_in_the_users_time_zone(client_for, make_user):
    user = make_user("t.bcs", "PC-BCS", "viewer", time_zone="America/Mazatlan")
    response = client_for(user).get(reverse("web:dashboard"))
    assert response.context["TIME_ZONE"] == "America/Mazatlan"
    assert timezone.get_current_timezone_name() != "America/Mazatlan"  # only for the request


def test_preferences_form_validates_and_saves(client_for, mx_liaison):
    client = client_for(mx_liaison)
    bad = client.post(reverse("accounts:profile"), {"time_zone": "Mars/Olympus", "email": "x"})
    assert bad.status_code == 200 and {"time_zone", "email"} <= bad.context["form"].errors.keys()
    good = client.post(reverse("accounts:profile"), {
        "first_name": "Alejandra", "last_name": "Morales", "email": "a@defensa.example",
        "time_zone": "America/Mazatlan"})
    assert good.status_code == 302
    mx_liaison.refresh_from_db()
    assert mx_liaison.time_zone == "America/Mazatlan"
