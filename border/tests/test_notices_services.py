"""The counterpart notification protocol through its services: notices from the contact matrix
when an event is reported, acknowledgement by the notified organization only, escalation on
schedule (time travel by argument: `now`), the event's releasability, exercises."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from accounts.tests.personas import create_person
from border.contact_matrix import load_contact_matrix
from border.models import ContactRule, Notice
from border.services import notices as services
from border.tests.notice_factories import TIJUANA, pc_bc_user, report
from core.models import Notification

NS = Notice.State
pytestmark = pytest.mark.django_db


@pytest.fixture
def matrix(reference):
    return load_contact_matrix()


@pytest.fixture
def us_duty(persona_of, matrix):
    return persona_of("duty_officer", "USA")


@pytest.fixture
def mx_defensa(persona_of, matrix):
    return persona_of("liaison", "MEX")


@pytest.fixture
def mx_pcbc(matrix):
    return pc_bc_user()


def _notices(event):
    return {(n.chain, n.level): n for n in Notice.objects.filter(event=event)}


def test_the_matrix_loads_and_reloads_without_duplicates(matrix):
    assert matrix == ContactRule.objects.count() > 40
    rule = ContactRule.objects.get(kind__code="port_hazmat", side="USA", chain="civil",
                                   level=1)
    assert (rule.organization.acronym, rule.minutes, rule.channel) == ("PC-BC", 15, "enlace")
    assert load_contact_matrix() == matrix == ContactRule.objects.count()


def test_reporting_notifies_the_first_contact_of_every_chain(us_duty, mx_defensa, mx_pcbc):
    event = report(us_duty)
    notices = _notices(event)
    assert set(notices) == {("civil", 1), ("military", 1)}
    civil = notices[("civil", 1)]
    assert civil.organization.acronym == "PC-BC"
    assert civil.due_at - civil.sent_at == timedelta(minutes=30)
    assert notices[("military", 1)].organization.acronym == "DEFENSA"
    assert civil.state == NS.PENDING
    # The notice carries the event's marking, and the counterparts are told (in-app).
    assert civil.marking() == event.marking()
    told = Notification.objects.filter(recipient=mx_pcbc)
    assert told.count() == 1 and "PC-BC" in told.get().message_en
    assert "Aviso" in told.get().message_es or "acuse" in told.get().message_es.lower()
    assert Notification.objects.filter(recipient=mx_defensa).count() == 1
    # Notifying again sends nothing twice.
    assert services.notify_counterparts(event) == []


def test_an_event_the_counterpart_may_not_see_is_refused(us_duty):
    with pytest.raises(ValidationError) as refused:
        report(us_duty, released=False)
    assert "Mexico" in str(refused.value.message_dict["rel_to"])
    assert not Notice.objects.exists()


def test_a_mexican_event_notifies_us_counterparts(mx_defensa, persona_of):
    us_duty = persona_of("duty_officer", "USA")
    event = report(mx_defensa, "river_sewage", point=TIJUANA, title="Río Tijuana")
    (notice,) = Notice.objects.filter(event=event)
    assert notice.organization.acronym == "CalOES"
    assert notice.due_at - notice.sent_at == timedelta(minutes=60)
    assert us_duty.organization.acronym == "CalGuard"  # not CalOES: nothing for them
    assert not Notification.objects.filter(recipient=us_duty).exists()


def test_only_the_notified_organization_acknowledges_once(us_duty, mx_defensa, mx_pcbc):
    event = report(us_duty)
    civil = _notices(event)[("civil", 1)]
    with translation.override("es"), pytest.raises(PermissionDenied) as wrong:
        services.acknowledge(mx_defensa, civil)
    assert "Solo" in str(wrong.value) and "Protección Civil" in str(wrong.value)
    with pytest.raises(PermissionDenied):
        services.acknowledge(us_duty, civil)  # the reporting side cannot acknowledge for them
    done = services.acknowledge(mx_pcbc, civil, now=civil.sent_at + timedelta(minutes=7))
    assert (done.state, done.acknowledged_by, done.late) == (NS.ACKNOWLEDGED, mx_pcbc, False)
    assert done.acknowledged_at - done.sent_at == timedelta(minutes=7)
    with pytest.raises(ValidationError, match="already acknowledged"):
        services.acknowledge(mx_pcbc, civil)
    # The reporter hears of it.
    assert Notification.objects.filter(recipient=us_duty, key__endswith="acknowledged").exists()


def test_a_user_of_the_other_nation_cannot_see_an_unreleased_notice(us_duty, mx_pcbc):
    event = report(us_duty)
    civil = _notices(event)[("civil", 1)]
    event.rel_to.set([us_duty.nation])  # narrowed after the fact: the notice follows it
    from django.http import Http404
    with pytest.raises(Http404):
        services.acknowledge(mx_pcbc, civil)
    assert not Notice.objects.restrict(mx_pcbc).exists()
    assert Notice.objects.restrict(us_duty).count() == 2


def test_escalation_on_schedule(us_duty, mx_pcbc, mx_defensa):
    event = report(us_duty)
    t0 = _notices(event)[("civil", 1)].sent_at
    at = lambda minutes: t0 + timedelta(minutes=minutes)  # noqa: E731

    assert services.escalate_overdue(now=at(29)) == (0, 0, 0)
    # 30 minutes: PC-BC escalates to CONAFOR, the next contact (15 minutes).
    assert services.escalate_overdue(now=at(30)) == (1, 0, 1)
    notices = _notices(event)
    assert notices[("civil", 1)].state == NS.ESCALATED
    conafor = notices[("civil", 2)]
    assert (conafor.organization.acronym, conafor.sent_at, conafor.due_at) == (
        "CONAFOR", at(30), at(45))
    assert conafor.escalated_from == notices[("civil", 1)]
    assert services.escalate_overdue(now=at(31)) == (0, 0, 0)  # nothing twice
    # 45: CONAFOR escalates to the national channel (CNPC, 30 minutes).
    assert services.escalate_overdue(now=at(45)) == (1, 0, 1)
    national = _notices(event)[("civil", 3)]
    assert (national.organization.acronym, national.national) == ("CNPC", True)
    # 60: DEFENSA's hour is up: its chain goes to the national channel too.
    assert services.escalate_overdue(now=at(60)) == (1, 0, 1)
    assert _notices(event)[("military", 2)].organization.acronym == "CNPC"
    # 75: the national channel did not answer: nothing is left.
    assert services.escalate_overdue(now=at(75)) == (0, 1, 0)
    assert _notices(event)[("civil", 3)].state == NS.UNANSWERED
    # The reporter heard of each step.
    assert Notification.objects.filter(recipient=us_duty, key__endswith="escalated").count() == 3


def test_a_late_acknowledgement_stops_the_chain(us_duty, mx_pcbc):
    event = report(us_duty)
    t0 = _notices(event)[("civil", 1)].sent_at
    services.escalate_overdue(now=t0 + timedelta(minutes=30))
    late = services.acknowledge(mx_pcbc, _notices(event)[("civil", 1)],
                                now=t0 + timedelta(minutes=38))
    assert late.state == NS.ACKNOWLEDGED and late.late and late.escalated_at is not None
    # CONAFOR's notice is past due at 45 but its chain was acknowledged: no national channel.
    assert services.escalate_overdue(now=t0 + timedelta(minutes=50)) == (0, 0, 0)
    assert ("civil", 3) not in _notices(event)


def test_exercise_notices_say_so_in_both_languages(us_duty, mx_pcbc):
    report(us_duty, exercise=True, title="Tecate tabletop fire")
    told = Notification.objects.get(recipient=mx_pcbc)
    assert told.message_en.startswith("EXERCISE EXERCISE EXERCISE")
    assert told.message_es.startswith("EJERCICIO EJERCICIO EJERCICIO")


def test_notices_are_made_only_for_kinds_and_sides_the_matrix_names(us_duty):
    ContactRule.objects.filter(kind__code="earthquake").delete()
    assert not report(us_duty, "earthquake").notices.exists()


def test_the_acknowledging_liaison_may_be_of_the_notified_organization_only(matrix, us_duty):
    viewer = create_person("t.mx.pcbc.viewer", "PC-BC", "viewer")
    event = report(us_duty)
    with pytest.raises(PermissionDenied):
        services.acknowledge(viewer, _notices(event)[("civil", 1)])


def test_the_command_loads_the_matrix_and_a_bad_row_stores_nothing(reference, tmp_path):
    from django.core.management import call_command

    call_command("load_contact_matrix", verbosity=0)
    count = ContactRule.objects.count()
    assert count > 40
    bad = tmp_path / "matrix.csv"
    bad.write_text("kind,side,chain,level,organization,channel,minutes,national,duty_role_en,"
                   "duty_role_es,contact\nwildfire,USA,civil,9,PC-BC,enlace,5,no,a,b,c\n"
                   "wildfire,USA,civil,10,NOBODY,enlace,5,no,a,b,c\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="line 3.*NOBODY"):
        load_contact_matrix(bad)
    assert ContactRule.objects.count() == count


def test_an_administrator_edits_the_matrix_in_the_admin(matrix, client_for, make_user):
    admin = make_user("t.admin", "CalGuard", "administrator", is_staff=True, is_superuser=True)
    rule = ContactRule.objects.get(kind__code="port_hazmat", side="USA", chain="civil", level=1)
    client = client_for(admin)
    assert client.get("/admin/border/contactrule/").status_code == 200
    page = client.get(f"/admin/border/contactrule/{rule.pk}/change/")
    assert page.status_code == 200 and "PC-BC" in page.content.decode()
