"""Login throttling that cannot be aimed at someone else: failures count per (client address,
username) with back-off, and the client's address (like HTTPS) is believed from configured
proxies only."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.test_authentication import PASSWORD

ATTACKER, VICTIM, PROXY = "203.0.113.66", "198.51.100.7", "10.0.0.1"


def login(username, password=PASSWORD, address=ATTACKER, **headers):
    """Whether the sign-in succeeded, from a fresh browser at `address`."""
    response = Client(headers=headers).post(
        reverse("account_login"), {"login": username, "password": password},
        REMOTE_ADDR=address)
    assert response.status_code in (200, 302)
    return response.status_code == 302


def fail(username, times, **where):
    for _ in range(times):
        assert not login(username, "wrong password", **where)


@pytest.fixture
def clock(monkeypatch):
    """Minutes passing for the throttle (allauth reads time.time)."""
    start = time.time()
    now = {"minutes": 0}
    monkeypatch.setattr(time, "time", lambda: start + now["minutes"] * 60)
    return now


def test_wrong_passwords_from_one_address_do_not_lock_the_user_out_elsewhere(us_coordinator):
    fail(us_coordinator.username, 5)
    assert not login(us_coordinator.username)  # that pair is throttled, even with the password
    assert login(us_coordinator.username, address=VICTIM)


def test_many_usernames_from_one_address_do_not_lock_another_user_there(us_coordinator,
                                                                          mx_liaison):
    for username in ("admin", "us.duty", "mx.bc", mx_liaison.username):
        fail(username, 5)
    assert login(us_coordinator.username)


def test_throttle_backs_off(us_coordinator, clock):
    fail(us_coordinator.username, 5)
    clock["minutes"] = 6  # the first window has passed
    fail(us_coordinator.username, 5)
    clock["minutes"] = 12  # past 5 minutes again, but 10 failures in the hour
    assert not login(us_coordinator.username)
    clock["minutes"] = 61
    assert login(us_coordinator.username)


def test_forwarded_addresses_count_only_from_trusted_proxies(us_coordinator, settings):
    # From a client directly, X-Forwarded-For is ignored: a new forged address per attempt
    # does not escape the throttle.
    for n in range(5):
        assert not login(us_coordinator.username, "wrong password",
                         X_Forwarded_For=f"192.0.2.{n}")
    assert not login(us_coordinator.username, X_Forwarded_For="192.0.2.99")
    # Behind the configured proxy, clients are told apart by the address it forwards; what a
    # client puts in front of it is not believed.
    settings.TRUSTED_PROXIES = [f"{PROXY}/32"]
    for n in range(5):
        assert not login(us_coordinator.username, "wrong password", address=PROXY,
                         X_Forwarded_For=f"192.0.2.{n}, {ATTACKER}")
    assert not login(us_coordinator.username, address=PROXY, X_Forwarded_For=ATTACKER)
    assert login(us_coordinator.username, address=PROXY, X_Forwarded_For=VICTIM)


def test_https_is_believed_only_from_trusted_proxies(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client = Client(headers={"X-Forwarded-Proto": "https"})
    assert client.get("/healthz", REMOTE_ADDR=ATTACKER).status_code == 301
    settings.TRUSTED_PROXIES = [PROXY]
    assert client.get("/healthz", REMOTE_ADDR=ATTACKER).status_code == 301
    assert client.get("/healthz", REMOTE_ADDR=PROXY).status_code == 200

