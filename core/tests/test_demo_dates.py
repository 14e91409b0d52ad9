"""happened_at: what a block writes is dated at the story's moment, however it was written
(saved, bulk-created or updated), and nothing written before it moves."""

from datetime import datetime
from zoneinfo import ZoneInfo

from core.demo import happened_at
from core.models import Notification

MOMENT = datetime(2025, 1, 9, 10, tzinfo=ZoneInfo("America/Los_Angeles"))


def _notice(user, text):
    return Notification(recipient=user, message_en=text, message_es=text)


def test_every_write_of_the_block_is_dated_and_nothing_else(persona_of):
    user = persona_of("viewer", "USA")
    before = Notification.objects.create(recipient=user, message_en="a", message_es="a")
    with happened_at(MOMENT):
        saved = Notification.objects.create(recipient=user, message_en="b", message_es="b")
        Notification.objects.bulk_create([_notice(user, "c")])
    times = dict(Notification.objects.values_list("message_en", "created_at"))
    assert times["b"] == times["c"] == MOMENT
    assert saved.created_at == MOMENT
    assert times["a"] == before.created_at != MOMENT
