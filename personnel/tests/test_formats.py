"""Personnel sentences write dates as the rest of the page does (the reader's short format),
never in ISO, in both languages."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from personnel import services
from personnel.eligibility import eligibility
from personnel.models import DutyStatus
from personnel.tests.factories import make_member

PACIFIC = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def soldier(persona_of):
    j1 = persona_of("personnel_officer")
    member = make_member("100")
    services.add_period(j1, member, status=DutyStatus.SAD,
                        start=datetime(2025, 6, 1, 8, tzinfo=PACIFIC),
                        end=datetime(2025, 6, 20, 8, tzinfo=PACIFIC), orders_reference="SAD-1")
    return j1, member


@pytest.mark.parametrize(("language", "day"), [("en", "06/01/2025"), ("es", "01/06/2025")])
def test_dates_in_sentences_follow_the_readers_format(soldier, language, day):
    j1, member = soldier
    with translation.override(language):
        answers = " ".join(str(a) for a in eligibility(
            member, datetime(2025, 6, 5, 12, tzinfo=PACIFIC)).__dict__.values())
        with pytest.raises(ValidationError) as refused:
            services.add_period(j1, member, status=DutyStatus.T32_TRAINING,
                                start=datetime(2025, 6, 10, 8, tzinfo=PACIFIC))
    assert day in answers and "2025-06-01" not in answers
    assert day in str(refused.value) and "2025-06-01" not in str(refused.value)
