"""A record's history shows its own fields only: auditlog also logs a new record's reverse
relations (other models' foreign keys to it), which are not history of this record."""

from core.api import history_out
from core.history import describe_changes, history_for
from response.tests.factories import make_incident


def test_a_new_record_history_names_only_its_own_fields(make_user):
    incident = make_incident(make_user("d", "CalGuard", "duty_officer"))
    created = history_for(incident).last()
    assert "requests" in created.changes_dict  # what auditlog stores
    fields = {field for field, _before, _after in describe_changes(created)}
    assert "name (English)" in fields
    assert not fields & {"requests", "offers", "deployments", "proposals"}
    changes = history_out(incident)[-1]["changes"]
    assert "name_en" in changes
    assert not set(changes) & {"requests", "offers", "deployments", "proposals"}
