"""API tokens: stored hashed, expiring, read-only or read-write, made in the UI, the API and
the command line (`enlace token create USERNAME` prints the token and nothing else)."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import APIToken
from accounts.services import create_token


def bearer(key):
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_the_key_is_stored_only_as_a_hash(us_coordinator):
    token, key = create_token(us_coordinator, name="sync")
    assert key.startswith("enl_") and len(key) > 40
    stored = APIToken.objects.get(pk=token.pk)
    assert key not in (stored.key_hash, stored.hint) and stored.key_hash == APIToken.hash_key(key)


def test_a_token_reads_as_its_user(us_coordinator):
    _, key = create_token(us_coordinator, name="sync")
    response = bearer(key).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["username"] == us_coordinator.username
    assert response.json()["nation"] == "USA"


def test_read_only_tokens_cannot_write(us_coordinator):
    _, key = create_token(us_coordinator, name="reader")
    response = bearer(key).post("/api/v1/partnerships", {"name_en": "x", "name_es": "x",
                                                         "partner_nation": "UKR"},
                                content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"] == "This API token is read-only."


def test_read_write_tokens_write_without_csrf(us_coordinator):
    _, key = create_token(us_coordinator, name="writer", write=True)
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {key}"})
    response = client.post("/api/v1/partnerships",
                           {"name_en": "California – Ukraine", "name_es": "California – Ucrania",
                            "partner_nation": "UKR", "marking": {"rel_to": ["USA"]}},
                           content_type="application/json")
    assert response.status_code == 201, response.content


def test_only_a_session_makes_tokens(client_for, us_coordinator):
    _, key = create_token(us_coordinator, name="writer", write=True)
    response = bearer(key).post("/api/v1/tokens", {"name": "another", "write": True},
                                content_type="application/json")
    assert response.status_code == 403
    assert "cannot make another token" in response.json()["detail"]
    assert us_coordinator.api_tokens.count() == 1
    response = client_for(us_coordinator).post("/api/v1/tokens", {"name": "another"},
                                               content_type="application/json")
    assert response.status_code == 201


def test_a_token_read_records_its_use_at_most_once_a_minute(us_coordinator):
    token, key = create_token(us_coordinator, name="sync")

    def writes():
        with CaptureQueriesContext(connection) as queries:
            assert bearer(key).get("/api/v1/me").status_code == 200
        return [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]

    assert len(writes()) == 1
    assert writes() == []  # a read within the minute writes nothing
    APIToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now() - timedelta(minutes=2))
    assert len(writes()) == 1


@pytest.mark.parametrize("spoil", ["expire", "revoke", "deactivate"])
def test_expired_revoked_or_inactive_tokens_are_refused(us_coordinator, spoil):
    token, key = create_token(us_coordinator, name="old")
    if spoil == "expire":
        token.expires_at = timezone.now() - timedelta(seconds=1)
        token.save()
    elif spoil == "revoke":
        token.revoked_at = timezone.now()
        token.save()
    else:
        us_coordinator.is_active = False
        us_coordinator.save()
    response = bearer(key).get("/api/v1/me")
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors"}


def test_unknown_token_is_401(db):
    assert bearer("enl_nope").get("/api/v1/partnerships").status_code == 401


def test_token_lifetime_is_bounded(us_coordinator):
    with pytest.raises(ValidationError):
        create_token(us_coordinator, name="forever", days=10_000)


def test_command_line_prints_only_the_token(us_coordinator):
    out = io.StringIO()
    call_command("token", "create", us_coordinator.username, "--write", "--days", "7", stdout=out)
    key = out.getvalue().strip()
    assert "\n" not in key and key.startswith("enl_")
    token = APIToken.objects.get(key_hash=APIToken.hash_key(key))
    assert token.write and token.expires_at < timezone.now() + timedelta(days=7, minutes=1)
    with pytest.raises(CommandError):
        call_command("token", "create", "nobody", stdout=io.StringIO())


def test_users_create_and_revoke_their_tokens_in_the_ui(client_for, us_coordinator, mx_liaison):
    client = client_for(us_coordinator)
    page = client.post(reverse("accounts:tokens"), {"name": "laptop", "days": 30})
    assert page.status_code == 200
    key = page.context["new_key"]
    assert key and key in page.content.decode()
    token = us_coordinator.api_tokens.get()
    # Someone else's token is not theirs to revoke.
    other = client_for(mx_liaison).post(reverse("accounts:token_revoke", args=[token.pk]))
    assert other.status_code == 404
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert bearer(key).get("/api/v1/me").status_code == 401


def test_token_form_rerenders_with_errors(client_for, us_coordinator):
    page = client_for(us_coordinator).post(reverse("accounts:tokens"), {"name": "", "days": 0})
    assert page.status_code == 200
    assert page.context["form"].errors.keys() == {"name", "days"}
    assert not us_coordinator.api_tokens.exists()
