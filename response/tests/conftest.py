"""Fixtures the mutual-aid tests share."""

import pytest

from response.tests.factories import make_incident


@pytest.fixture
def duty(make_user):
    """A CalGuard duty officer: every mutual-aid permission."""
    return make_user("d", "CalGuard", "duty_officer")


@pytest.fixture
def incident(duty):
    return make_incident(duty)
