"""Fixtures for the whole suite: reference data and personas of both nations."""

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import Organization, Role, User
from accounts.reference import load_reference
from response.reference import load_reference as load_response_reference


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Login throttling counts in the cache; one test's failed logins must not lock another."""
    cache.clear()


@pytest.fixture
def reference(db):
    # Ports of entry and resource kinds come with a data migration, which a test that flushes
    # the database (the live-server browser tests) takes away again.
    load_response_reference()
    return load_reference()


@pytest.fixture
def make_user(reference):
    def make(username, organization=None, role="viewer", **extra):
        user = User.objects.create_user(
            username=username, password="correct horse battery", email=f"{username}@x.test",
            organization=Organization.objects.get(acronym=organization) if organization
            else None, **extra,
        )
        if role:
            user.groups.add(Role.objects.get(code=role))
        return user

    return make


@pytest.fixture
def us_coordinator(make_user):
    return make_user("t.us.coordinator", "CalGuard", "coordinator")


@pytest.fixture
def us_viewer(make_user):
    return make_user("t.us.viewer", "CalOES", "viewer")


@pytest.fixture
def mx_liaison(make_user):
    return make_user("t.mx.liaison", "DEFENSA", "liaison", time_zone="America/Tijuana")


@pytest.fixture
def outsider(make_user):
    """Signed in, but of no organization and so of no nation."""
    return make_user("t.outsider", None, "viewer")


@pytest.fixture
def client_for():
    def make(user, **defaults):
        client = Client(**defaults)
        client.force_login(user)
        return client

    return make
