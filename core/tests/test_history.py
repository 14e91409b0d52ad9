"""A record's history shows its own fields only: auditlog also logs a new record's reverse
relations (other models' foreign keys to it), which are not history of this record."""

from core.api import history_out
from core.history import history_for, readable_history
from response.tests.factories import make_incident


def test_a_new_record_history_names_only_its_own_fields(make_user):
    user = make_user("d", "CalGuard", "duty_officer")
    incident = make_incident(user)
    created = history_for(incident).last()
    assert "requests" in created.changes_dict  # what auditlog stores
    fields = {change.label for change in readable_history([created], user)[0].changes}
    assert "Name (English)" in fields
    assert not fields & {"requests", "offers", "deployments", "proposals", "ID"}
    changes = history_out(incident, user)[-1]["changes"]
    assert "name_en" in changes
    assert not set(changes) & {"requests", "offers", "deployments", "proposals", "id"}
