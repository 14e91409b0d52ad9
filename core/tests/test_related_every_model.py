"""Every link from a marked record to another marked record — each foreign key and each
many-to-many field of every marked model with history — is read through the related-record
rule: a Mexican user reading a history entry that names a US-only record reads "a record not
released to you" (history page and API share the reading), while a US user reads its name.
A new link to a kind of record this test cannot make fails it until a maker is added."""

from functools import cache

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from accounts.models import Nation, Role
from core.history import readable_history
from core.related import NOT_RELEASED, is_marked
from core.services import apply_marking


def _links():
    """(model, field) for every marked model with history and each of its links to a marked
    record."""
    return sorted(
        ((model, field) for model in apps.get_models()
         if is_marked(model) and auditlog.contains(model)
         for field in model._meta.get_fields()
         if field.concrete and field.is_relation and is_marked(field.related_model)),
        key=lambda pair: (pair[0]._meta.label, pair[1].name))


def _makers(us):
    """A maker of one record of each kind a link may point to, owned by the US."""
    from datetime import date

    from border.tests.factories import report as report_border_event
    from border.tests.notice_factories import make_notice
    from border.tests.sitrep_factories import make_sitrep
    from engagements.services import after_action
    from engagements.tests.aar_factories import make_report
    from engagements.tests.factories import make_engagement, make_person
    from exercises.models import EvaluatorObservation
    from exercises.tests.factories import (
        STARTEX,
        add_inject,
        add_objective,
        make_exercise,
        make_exercise_engagement,
    )
    from partnerships.tests.factories import make_agreement as make_program_agreement
    from partnerships.tests.factories import make_measurement, make_program
    from personnel.tests.factories import make_member, make_order
    from personnel.tests.factories import make_unit as make_personnel_unit
    from response.models import AllocationProposal
    from response.tests.factories import (
        make_agreement,
        make_deployment,
        make_incident,
        make_offer,
        make_request,
    )

    @cache
    def program():
        return make_program(us, name_en="Zulu program")

    def partnership():
        return program()[0]

    @cache
    def exercise():
        return make_exercise(us, make_exercise_engagement(us, partnership=partnership(),
                                                          title="Zulu exercise"))

    @cache
    def exercise_objective():
        return add_objective(us, exercise(), text="Zulu objective")

    def evaluator_observation():
        record = EvaluatorObservation(
            exercise=exercise(), objective=exercise_objective(), kind="strength",
            text_en="Zulu observation", text_es="Observación zulú", evaluator=us, at=STARTEX,
            owner_nation=us.nation, created_by=us)
        apply_marking(record, owner=us.nation, rel_to=())
        return record

    def proposal():
        record = AllocationProposal(requested_by=us, created_by=us, instance={})
        apply_marking(record, owner=us.nation, rel_to=())
        return record

    return {
        "partnerships.Partnership": partnership,
        "partnerships.LineOfEffort": lambda: program()[1],
        "partnerships.Objective": lambda: program()[2],
        "partnerships.Indicator": lambda: program()[3],
        "partnerships.Agreement": lambda: make_program_agreement(us, program()[0],
                                                                 title_en="Zulu letter"),
        "engagements.Engagement": lambda: make_engagement(us, partnership(), title="Zulu drill"),
        "engagements.AfterActionReport": lambda: make_report(
            make_engagement(us, partnership(), title="Zulu reported")),
        "engagements.Person": lambda: make_person(us, "Zulu Person", nation="USA"),
        "engagements.Observation": lambda: after_action.add_observation(
            us, make_report(make_engagement(us, partnership(), title="Zulu observed")),
            kind="sustain", topic="Zulu topic", text_en="Zulu sustain"),
        "partnerships.Measurement": lambda: make_measurement(
            us, program()[3], "7", date(2026, 1, 15), source="Zulu roster"),
        "exercises.Exercise": exercise,
        "exercises.ExerciseObjective": exercise_objective,
        "exercises.Inject": lambda: add_inject(us, exercise(), text="Zulu inject",
                                               receivers=("CalGuard",)),
        "exercises.EvaluatorObservation": evaluator_observation,
        "personnel.Unit": lambda: make_personnel_unit("ZULU", "Zulu battalion"),
        "personnel.Member": lambda: make_member("Z1", last_name="Zulu"),
        "personnel.Order": lambda: make_order([], us, title_en="Zulu order"),
        "response.Incident": lambda: make_incident(us, name="Zulu Fire"),
        "response.ResourceRequest": lambda: make_request(us, number="ZULU-1"),
        "response.Offer": lambda: make_offer(us, make_request(us, number="ZULU-2")),
        "response.AidAgreement": lambda: make_agreement(
            us, us, request=make_request(us, number="ZULU-3")),
        "response.Deployment": lambda: make_deployment(us, make_agreement(
            us, us, request=make_request(us, number="ZULU-4")), name="Zulu team"),
        "response.AllocationProposal": proposal,
        "border.BorderEvent": lambda: report_border_event(us, title="Zulu border event"),
        "border.Notice": lambda: make_notice(us),
        "border.SituationReport": lambda: make_sitrep(us),
    }


def _us_only(record):
    usa = Nation.objects.get(code="USA")
    type(record).objects.filter(pk=record.pk).update(owner_nation=usa, disclosure="approved")
    record.rel_to.set([usa])
    record.refresh_from_db()
    return record


def _entry(model, field, record):
    if field.many_to_many:
        change = {"type": "m2m", "operation": "add", "objects": [str(record)],
                  "pks": [record.pk]}
    else:
        change = ["None", str(record.pk)]
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model), object_pk="999999",
        object_id=999999, action=LogEntry.Action.UPDATE, changes={field.name: change})


@pytest.mark.parametrize("language", ["es"])
def test_every_link_to_a_marked_record_is_read_through_the_rule(us_coordinator, mx_liaison,
                                                                language):
    for role in ("duty_officer", "personnel_officer"):
        us_coordinator.groups.add(Role.objects.get(code=role))
    makers = _makers(us_coordinator)
    links = _links()
    missing = {field.related_model._meta.label for _model, field in links} - set(makers)
    assert not missing, f"no maker for {missing}"
    made = {label: make() for label, make in makers.items()}
    related = {label: _us_only(record) for label, record in made.items()}
    with translation.override(language):
        withheld = str(NOT_RELEASED)
        for model, field in links:
            record = related[field.related_model._meta.label]
            name = str(record)
            entry = _entry(model, field, record)
            where = f"{model._meta.label}.{field.name}"
            (mx,) = readable_history([entry], mx_liaison)
            (change,) = mx.changes
            assert [str(v) for v in change.after] == [withheld], where
            (us,) = readable_history([entry], us_coordinator)
            assert [str(v) for v in us.changes[0].after] == [name], where
            entry.delete()
    assert len(links) >= 30
