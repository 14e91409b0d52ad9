"""Fixtures the mutual-aid tests share."""

import pytest

from response.tests.factories import make_incident


@pytest.fixture
def duty(persona_of):
    """A CalGuard duty officer: every mutual-aid permission."""
    return persona_of("duty_officer")


@pytest.fixture
def incident(duty):
    return make_incident(duty)
