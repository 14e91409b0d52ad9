"""A record's history shows its own fields only: auditlog also logs a new record's reverse
relations (other models' foreign keys to it), which are not history of this record."""

from django.utils import translation

from core.api import history_out
from core.history import history_for, readable_history
from response.tests.factories import make_incident


def test_a_new_record_history_names_only_its_own_fields(persona_of):
    user = persona_of("duty_officer")
    incident = make_incident(user)
    created = history_for(incident).last()
    assert "requests" in created.changes_dict  # what auditlog stores
    fields = {change.label for change in readable_history([created], user)[0].changes}
    assert "Name (English)" in fields
    assert not fields & {"requests", "offers", "deployments", "proposals", "ID"}
    changes = history_out(incident, user)[-1]["changes"]
    assert "name_en" in changes
    assert not set(changes) & {"requests", "offers", "deployments", "proposals", "id"}


def test_history_reads_in_the_readers_language_with_labelled_values(us_coordinator,
                                                                      client_for):
    from django.urls import reverse

    from engagements.tests.factories import make_engagement

    engagement = make_engagement(us_coordinator, partner_non_military=True)
    client = client_for(us_coordinator)
    entries = client.get(f"/api/v1/engagements/{engagement.pk}/history",
                         headers={"Accept-Language": "es"}).json()
    created = entries[-1]
    assert created["action"] == "create" and created["action_label"] == "Creado"
    rows = {row["field"]: row for row in created["changes_display"]}
    assert rows["type"]["label"] == "Tipo"
    assert rows["type"]["after"] == "Intercambio de expertos en la materia"
    assert rows["partner_non_military"]["after"] == "Sí"
    assert rows["start_date"]["after"] == "02/03/2026"
    assert rows["fiscal_year"]["after"] == "2026"
    assert rows["partnership"]["after"] == "California – México"
    # A new record's empty fields are not listed; no "None", "True" or internal id.
    assert "lead" not in rows and "id" not in rows
    texts = [value for row in created["changes_display"] for value in row.values()]
    assert not {"None", "True", "False", "[]", "create"} & set(texts)

    page = client.get(reverse("engagements:detail", args=[engagement.pk]),
                      headers={"Accept-Language": "es"}).content.decode()
    history = page[page.index('id="history-heading"'):]
    assert "<td>Creado</td>" in history and "<dt>Fundamento legal</dt>" in history
    assert "legal_basis" not in history and "None" not in history


def test_links_to_marked_records_are_logged_with_their_ids(us_coordinator, mx_liaison):
    from auditlog.models import LogEntry

    from accounts.models import Nation
    from engagements.tests.factories import make_engagement, make_objective, mexico

    partnership = mexico(us_coordinator)
    hidden = make_objective(us_coordinator, partnership, code="ZULU-9")
    hidden.rel_to.set([Nation.objects.get(code="USA")])
    shown = make_objective(us_coordinator, partnership, code="HADR-2")
    engagement = make_engagement(us_coordinator, partnership)
    engagement.objectives.set([hidden, shown])
    engagement.objectives.remove(hidden)
    added, removed = history_for(engagement)[1], history_for(engagement)[0]
    assert sorted(added.changes["objectives"]["pks"]) == sorted([hidden.pk, shown.pk])
    assert removed.changes["objectives"] == {"type": "m2m", "operation": "delete",
                                             "objects": [str(hidden)], "pks": [hidden.pk]}
    with translation.override("en"):
        mx = readable_history([added, removed], mx_liaison)
        assert {str(v) for v in mx[0].changes[0].after} == {"a record not released to you",
                                                             str(shown)}
        assert [str(v) for v in mx[1].changes[0].before] == ["a record not released to you"]
        us = readable_history([removed], us_coordinator)
        assert [str(v) for v in us[0].changes[0].before] == [str(hidden)]
    # Clearing the links logs the ones cleared (auditlog's own handler would log every
    # objective in the database).
    engagement.objectives.clear()
    cleared = history_for(engagement)[0]
    assert cleared.changes["objectives"]["pks"] == [shown.pk]
    assert cleared.changes["objectives"]["operation"] == "delete"
    # An entry written before the ids were kept names a marked record by name only: it cannot
    # be checked, so nobody reads the name.
    legacy = LogEntry.objects.create(
        content_type=added.content_type, object_pk=added.object_pk, object_id=added.object_id,
        action=LogEntry.Action.UPDATE, changes={"objectives": {
            "type": "m2m", "operation": "add", "objects": [str(hidden)]}})
    with translation.override("en"):
        assert [str(v) for v in readable_history([legacy], us_coordinator)[0].changes[0]
                .after] == ["a record not released to you"]
