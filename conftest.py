"""Fixtures for the whole suite: reference data and personas of both nations."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from accounts.reference import load_reference
from accounts.tests.personas import (
    create_mx_liaison,
    create_person,
    create_us_coordinator,
    persona,
)
from response.reference import load_reference as load_response_reference


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Login throttling counts in the cache; one test's failed logins must not lock another."""
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A page requested in Spanish leaves Spanish active in the thread (the locale middleware
    activates it and nothing turns it off): each test starts, and ends, in the default."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def reference(db):
    # Ports of entry and resource kinds come with a data migration, which a test that flushes
    # the database (the live-server browser tests) takes away again.
    load_response_reference()
    return load_reference()


@pytest.fixture
def make_user(reference):
    return create_person


@pytest.fixture
def persona_of(reference):
    """`persona_of(role, nation)`: the test user of a built-in role in USA or MEX
    (accounts.tests.personas)."""
    return persona


@pytest.fixture
def us_coordinator(reference):
    return create_us_coordinator()


@pytest.fixture
def us(persona_of):
    """The US side's Joint Operations Center duty officer: who reports border events."""
    return persona_of("duty_officer", "USA")


@pytest.fixture
def mx(persona_of):
    """The Mexican side's liaison: who acknowledges notices and writes Mexico's sections."""
    return persona_of("liaison", "MEX")


@pytest.fixture
def us_viewer(make_user):
    return make_user("t.us.viewer", "CalOES", "viewer")


@pytest.fixture
def mx_liaison(reference):
    return create_mx_liaison()


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
