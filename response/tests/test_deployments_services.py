"""Deployment services: the US sends a team to help Mexico after a hurricane. Creation and its
marking and host notice, the crossing checklist (each side's items), every lifecycle guard's
refusal, the roster, check-ins, daily status, shifts with the 2:1 check, costs, the extension,
and who is where now."""

from datetime import timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import Notification
from response import accountability
from response.forms.deployments import AccountabilityFilterForm
from response.models import Deployment, DeploymentCost, Offer, PortOfEntry
from response.services import deployments as services
from response.tests.factories import (
    add_roster_member,
    make_agreement,
    make_deployment,
    make_incident,
    make_offer,
    make_request,
    organization,
)

DS = Deployment.State
SENDER_ITEMS = ("host_notified", "identity_documents", "visas", "credentials",
                "customs_manifest")
HOST_ITEMS = ("designated_entry", "host_cleared")
LABELS = {name: str(label) for name, label, _side in services.CHECKLIST}


# ---- Helpers other deployment test modules share --------------------------------------------

NUMBERS = count(1)


def us_to_mexico(us_user, mx_user, cost_terms=Offer.CostTerms.DONATED):
    """An agreement in force by which `us_user`'s organization helps Mexico: a hurricane at
    Los Cabos recorded by `mx_user`'s nation and released to the US."""
    incident = make_incident(mx_user, name="Hurricane Odile-X", latitude=22.89,
                             longitude=-109.92, state_region="BCS", rel_to=("USA",))
    request = make_request(mx_user, incident, number=f"BCS-{next(NUMBERS):03d}",
                           rel_to=("USA",))
    offer = make_offer(us_user, request, rel_to=("MEX",), cost_terms=cost_terms)
    return make_agreement(mx_user, us_user, request=request, offer=offer)


def otay_mesa():
    return PortOfEntry.objects.get(key="2506-C")  # commercial: 06:00–22:00, Monday to Friday


def deploy(us_user, mx_user, **fields):
    """A US water-purification convoy to Baja California Sur, through Otay Mesa."""
    defaults = {"name": "Cal water purification convoy", "transport": "ground",
                "port": otay_mesa(), "reception_site": "San José del Cabo",
                "carries_equipment": True}
    return services.create_deployment(us_user, us_to_mexico(us_user, mx_user),
                                      **{**defaults, **fields})


def record_items(user, deployment, items, at=None):
    for item in items:
        services.record_checklist_item(user, deployment, item, at=at)


def walk(us_user, mx_user, deployment, target, at=None):
    """Take the deployment to `target` the way it happens; `at(name)` gives each step's time
    (default now)."""
    when = at or (lambda name: None)
    if not deployment.roster.exists():
        services.add_roster_member(us_user, deployment, full_name="Ana Smith",
                                   organization=deployment.sending_organization)
    for name in ("in_transit", "arrived", "onboarding", "assigned", "demobilizing",
                 "returned", "closed"):
        if name == "in_transit":
            record_items(us_user, deployment, SENDER_ITEMS)
        if name == "arrived":
            record_items(mx_user, deployment, HOST_ITEMS)
        if name == "assigned":
            for item in deployment.onboarding_items.all():
                services.complete_onboarding_item(mx_user, deployment, item)
        mover = mx_user if name in ("arrived", "assigned") else us_user
        services.transition_deployment(mover, deployment, name, at=when(name))
        if name == target:
            return deployment
    raise AssertionError(target)


def messages_of(exc):
    return " ".join(exc.value.messages)


# ---- Creating a deployment ------------------------------------------------------------------

class TestCreate:
    def test_owned_by_the_sender_released_to_the_host_with_onboarding(self, us_coordinator,
                                                                      mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison)
        assert deployment.state == DS.MOBILIZING
        assert deployment.owner_nation.code == "USA" and deployment.host_nation.code == "MEX"
        assert deployment.sending_organization.acronym == "CalGuard"
        assert {n.code for n in deployment.rel_to.all()} == {"USA", "MEX"}
        assert deployment.disclosure == "approved"
        items = list(deployment.onboarding_items.all())
        assert len(items) == 5 and all(i.text_en and i.text_es for i in items)
        assert "PPE" in items[0].text_en and "EPP" in items[0].text_es
        assert Deployment.objects.restrict(mx_liaison).filter(pk=deployment.pk).exists()

    def test_host_is_told_of_the_planned_crossing(self, us_coordinator, mx_liaison,
                                                  make_user):
        mx_viewer = make_user("t.mx.viewer", "CNPC", "viewer")
        deploy(us_coordinator, mx_liaison,
               planned_crossing_at=timezone.now() + timedelta(days=1))
        notices = list(Notification.objects.all())
        assert [n.recipient for n in notices] == [mx_liaison]  # not the sender, not a viewer
        assert "Crossing planned for" in notices[0].message_en
        assert "Otay Mesa (commercial)" in notices[0].message_en
        # Each sentence ends once, and the Spanish port name (a "Garita") is not repeated.
        assert ".." not in notices[0].message_en and ".." not in notices[0].message_es
        assert "por Garita Mesa de Otay" in notices[0].message_es
        assert "garita Garita" not in notices[0].message_es
        assert notices[0].url.startswith("/response/deployments/")
        assert not Notification.objects.filter(recipient=mx_viewer).exists()

    def test_no_notice_without_a_planned_time(self, us_coordinator, mx_liaison):
        deploy(us_coordinator, mx_liaison)
        assert not Notification.objects.exists()

    def test_port_hours_warning(self, us_coordinator, mx_liaison):
        saturday = timezone.make_aware(timezone.datetime(2026, 3, 7, 10),
                                       timezone.get_fixed_timezone(-8 * 60))
        deployment = deploy(us_coordinator, mx_liaison, planned_crossing_at=saturday)
        warnings = services.crossing_warnings(deployment)
        assert len(warnings) == 1 and "Monday to Friday" in warnings[0]
        night = saturday + timedelta(days=-2, hours=13)  # Thursday 23:00 at the border
        services.update_deployment(us_coordinator, deployment, planned_crossing_at=night)
        assert "outside the hours" in services.crossing_warnings(deployment)[0]
        assert services.crossing_warnings(deploy(us_coordinator, mx_liaison,
                                                 transport="air", port=None,
                                                 arrival_airport="SJD")) == []

    def test_agreement_must_be_in_force(self, us_coordinator, mx_liaison):
        incident = make_incident(mx_liaison, latitude=22.89, longitude=-109.92,
                                 rel_to=("USA",))
        request = make_request(mx_liaison, incident, number="BCS-900", rel_to=("USA",))
        offer = make_offer(us_coordinator, request, rel_to=("MEX",))
        awaiting = make_agreement(mx_liaison, us_coordinator, request=request, offer=offer,
                                  signed=False)
        with pytest.raises(ValidationError) as exc:
            services.create_deployment(us_coordinator, awaiting, name="x", transport="air",
                                       arrival_airport="SJD")
        assert "in force" in messages_of(exc)

    def test_only_the_assisting_nation_sends(self, us_coordinator, mx_liaison):
        agreement = us_to_mexico(us_coordinator, mx_liaison)
        with pytest.raises(PermissionDenied, match="assisting nation"):
            services.create_deployment(mx_liaison, agreement, name="x", transport="air",
                                       arrival_airport="SJD")

    def test_agreement_must_be_visible(self, us_coordinator, mx_liaison):
        agreement = us_to_mexico(us_coordinator, mx_liaison)
        agreement.rel_to.remove(us_coordinator.nation)
        with pytest.raises(ValidationError) as exc:
            services.create_deployment(us_coordinator, agreement, name="x", transport="air",
                                       arrival_airport="SJD")
        assert "agreement" in exc.value.message_dict

    def test_role_must_allow(self, us_coordinator, us_viewer, mx_liaison):
        agreement = us_to_mexico(us_coordinator, mx_liaison)
        with pytest.raises(PermissionDenied):
            services.create_deployment(us_viewer, agreement, name="x", transport="air",
                                       arrival_airport="SJD")

    def test_ground_needs_a_port_and_air_an_airport(self, us_coordinator, mx_liaison):
        agreement = us_to_mexico(us_coordinator, mx_liaison)
        with pytest.raises(ValidationError) as exc:
            services.create_deployment(us_coordinator, agreement, name="x", transport="ground")
        assert "port" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            services.create_deployment(us_coordinator, agreement, name="x", transport="air",
                                       port=otay_mesa())
        assert "arrival_airport" in exc.value.message_dict


class TestUpdate:
    def test_changed_crossing_plan_is_notified_again(self, us_coordinator, mx_liaison):
        planned = timezone.now() + timedelta(days=2)
        deployment = deploy(us_coordinator, mx_liaison, planned_crossing_at=planned)
        services.update_deployment(us_coordinator, deployment, reception_site="La Paz")
        assert Notification.objects.count() == 1  # not the crossing plan
        services.update_deployment(us_coordinator, deployment,
                                   planned_crossing_at=planned + timedelta(hours=3))
        assert Notification.objects.filter(recipient=mx_liaison).count() == 2

    def test_only_the_sending_nation(self, us_coordinator, mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison)
        with pytest.raises(PermissionDenied, match="sending nation"):
            services.update_deployment(mx_liaison, deployment, name="Renamed")

    def test_not_once_home(self, us_coordinator, mx_liaison):
        deployment = walk(us_coordinator, mx_liaison, deploy(us_coordinator, mx_liaison),
                          "returned")
        with pytest.raises(ValidationError, match="no longer be changed"):
            services.update_deployment(us_coordinator, deployment, supervisor="X")

    def test_crossing_plan_fixed_after_arrival(self, us_coordinator, mx_liaison):
        deployment = walk(us_coordinator, mx_liaison, deploy(us_coordinator, mx_liaison),
                          "arrived")
        with pytest.raises(ValidationError) as exc:
            services.update_deployment(us_coordinator, deployment,
                                       planned_crossing_at=timezone.now())
        assert "planned_crossing_at" in exc.value.message_dict
        services.update_deployment(us_coordinator, deployment, assignment_division="Div A")
        assert deployment.assignment_division == "Div A"

    def test_times_are_bounded_and_read_in_the_current_zone(self, us_coordinator,
                                                            mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison)
        for year in (1, 9999):
            with pytest.raises(ValidationError) as exc:
                services.update_deployment(us_coordinator, deployment,
                                           planned_crossing_at=timezone.datetime(year, 1, 2))
            assert "planned_crossing_at" in exc.value.message_dict
        with timezone.override("America/Tijuana"):
            services.update_deployment(us_coordinator, deployment,
                                       planned_crossing_at=timezone.datetime(2026, 3, 4, 12))
        assert deployment.planned_crossing_at.utcoffset() is not None
        assert timezone.localtime(deployment.planned_crossing_at,
                                  timezone.get_fixed_timezone(-8 * 60)).hour == 12

    def test_unknown_fields_are_refused(self, us_coordinator, mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison)
        with pytest.raises(ValidationError) as exc:
            services.update_deployment(us_coordinator, deployment, state="closed")
        assert "state" in exc.value.message_dict


# ---- The crossing checklist -----------------------------------------------------------------

class TestChecklist:
    def test_each_side_records_its_items(self, us_coordinator, mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison)
        record_items(us_coordinator, deployment, SENDER_ITEMS)
        record_items(mx_liaison, deployment, HOST_ITEMS)
        assert services.checklist_complete(deployment)
        rows = {i.name: i for i in services.crossing_checklist(deployment)}
        assert rows["host_cleared"].side == "host" and rows["visas"].side == "sending"
        assert all(i.done for i in rows.values())

    @pytest.mark.parametrize("item", SENDER_ITEMS)
    def test_host_cannot_record_the_senders_items(self, us_coordinator, mx_liaison, item):
        deployment = deploy(us_coordinator, mx_liaison)
        with pytest.raises(PermissionDenied, match="sending nation"):
            services.record_checklist_item(mx_liaison, deployment, item)

    @pytest.mark.parametrize("item", HOST_ITEMS)
    def test_sender_cannot_record_the_hosts_items(self, us_coordinator, mx_liaison, item):
        deployment = deploy(us_coordinator, mx_liaison)
        with pytest.raises(PermissionDenied, match="host nation"):
            services.record_checklist_item(us_coordinator, deployment, item)

    def test_unknown_item(self, us_coordinator, mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison)
        with pytest.raises(ValidationError) as exc:
            services.record_checklist_item(us_coordinator, deployment, "passports")
        assert "item" in exc.value.message_dict

    def test_undo_and_no_future(self, us_coordinator, mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison)
        services.record_checklist_item(us_coordinator, deployment, "visas")
        services.record_checklist_item(us_coordinator, deployment, "visas", done=False)
        deployment.refresh_from_db()
        assert deployment.visas_at is None
        with pytest.raises(ValidationError) as exc:
            services.record_checklist_item(us_coordinator, deployment, "visas",
                                           at=timezone.now() + timedelta(hours=1))
        assert "at" in exc.value.message_dict

    def test_closed_after_arrival(self, us_coordinator, mx_liaison):
        deployment = walk(us_coordinator, mx_liaison, deploy(us_coordinator, mx_liaison),
                          "arrived")
        with pytest.raises(ValidationError, match="closes when the team arrives"):
            services.record_checklist_item(us_coordinator, deployment, "visas", done=False)

    def test_customs_manifest_only_with_equipment(self, us_coordinator, mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison, carries_equipment=False)
        record_items(us_coordinator, deployment, SENDER_ITEMS[:4])
        record_items(mx_liaison, deployment, HOST_ITEMS)
        assert services.checklist_complete(deployment)
        deployment.carries_equipment = True
        assert [i.name for i in services.missing_checklist_items(deployment)] == [
            "customs_manifest"]


# ---- The lifecycle --------------------------------------------------------------------------

class TestLifecycle:
    def test_the_whole_way_records_each_time(self, us_coordinator, mx_liaison):
        now = timezone.now()
        times = {"in_transit": now - timedelta(days=16), "arrived": now - timedelta(days=15),
                 "onboarding": now - timedelta(days=15), "assigned": now - timedelta(days=14),
                 "demobilizing": now - timedelta(days=2), "returned": now - timedelta(days=1),
                 "closed": now}
        deployment = walk(us_coordinator, mx_liaison,
                          deploy(us_coordinator, mx_liaison, carries_equipment=False),
                          "closed", at=times.get)
        deployment.refresh_from_db()
        assert deployment.state == DS.CLOSED
        assert deployment.departed_at == times["in_transit"]
        assert deployment.arrived_at == times["arrived"]
        assert deployment.assigned_at == times["assigned"]
        assert deployment.demobilized_at == times["demobilizing"]
        assert deployment.returned_at == times["returned"]
        # The clock stopped when demobilization started: day 13 of 14.
        assert services.assignment_clock(deployment).day == 13

    def test_in_transit_needs_a_roster(self, us_coordinator, mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison)
        services.record_checklist_item(us_coordinator, deployment, "host_notified")
        with pytest.raises(ValidationError, match="at least one person on the roster"):
            services.transition_deployment(us_coordinator, deployment, "in_transit")

    def test_in_transit_needs_the_host_notified(self, us_coordinator, mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison)
        services.add_roster_member(us_coordinator, deployment, full_name="Ana Smith",
                                   organization=organization("CalGuard"))
        with pytest.raises(ValidationError, match="host government was notified"):
            services.transition_deployment(us_coordinator, deployment, "in_transit")

    @pytest.mark.parametrize("missing", SENDER_ITEMS[1:] + HOST_ITEMS)
    def test_each_missing_checklist_item_blocks_arrival(self, us_coordinator, mx_liaison,
                                                        missing):
        deployment = walk(us_coordinator, mx_liaison, deploy(us_coordinator, mx_liaison),
                          "in_transit")
        record_items(mx_liaison, deployment, HOST_ITEMS)
        side = mx_liaison if missing in HOST_ITEMS else us_coordinator
        services.record_checklist_item(side, deployment, missing, done=False)
        with pytest.raises(ValidationError) as exc:
            services.transition_deployment(mx_liaison, deployment, "arrived")
        assert "crossing checklist complete" in messages_of(exc)
        assert LABELS[missing] in messages_of(exc)
        assert deployment.state == DS.IN_TRANSIT

    def test_refusal_lists_every_missing_item(self, us_coordinator, mx_liaison):
        deployment = walk(us_coordinator, mx_liaison, deploy(us_coordinator, mx_liaison),
                          "in_transit")
        with pytest.raises(ValidationError) as exc:
            services.transition_deployment(us_coordinator, deployment, "arrived")
        text = messages_of(exc)
        assert "Entry at a designated port" in text and "cleared to operate" in text

    def test_onboarding_incomplete_blocks_assignment(self, us_coordinator, mx_liaison):
        deployment = walk(us_coordinator, mx_liaison, deploy(us_coordinator, mx_liaison),
                          "onboarding")
        items = list(deployment.onboarding_items.all())
        for item in items[1:]:
            services.complete_onboarding_item(mx_liaison, deployment, item)
        with pytest.raises(ValidationError) as exc:
            services.transition_deployment(mx_liaison, deployment, "assigned")
        assert "Onboarding is not complete" in messages_of(exc)
        assert items[0].text_en in messages_of(exc)
        services.complete_onboarding_item(us_coordinator, deployment, items[0].pk)
        services.transition_deployment(mx_liaison, deployment, "assigned")
        assert deployment.state == DS.ASSIGNED and deployment.assigned_at is not None

    def test_closing_needs_every_cost_claimed_or_donated(self, us_coordinator, mx_liaison):
        deployment = walk(us_coordinator, mx_liaison, deploy(us_coordinator, mx_liaison),
                          "returned")
        cost = services.add_cost(us_coordinator, deployment, category="travel",
                                 description="Fuel", amount="1200.00",
                                 reimbursement="not_claimed")
        with pytest.raises(ValidationError, match="Not claimed: Fuel"):
            services.transition_deployment(us_coordinator, deployment, "closed")
        services.update_cost(us_coordinator, cost, reimbursement="claimed")
        services.transition_deployment(us_coordinator, deployment, "closed")
        assert deployment.state == DS.CLOSED

    @pytest.mark.parametrize(("state", "name"), [
        (DS.MOBILIZING, "arrived"), (DS.IN_TRANSIT, "onboarding"), (DS.ONBOARDING, "returned"),
        (DS.ASSIGNED, "closed"), (DS.CLOSED, "in_transit")])
    def test_wrong_state(self, us_coordinator, mx_liaison, state, name):
        deployment = make_deployment(us_coordinator, us_to_mexico(us_coordinator, mx_liaison),
                                     state=state)
        with pytest.raises(ValidationError, match="cannot go to"):
            services.transition_deployment(us_coordinator, deployment, name)

    def test_unknown_transition(self, us_coordinator, mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison)
        with pytest.raises(ValidationError) as exc:
            services.transition_deployment(us_coordinator, deployment, "teleported")
        assert "name" in exc.value.message_dict

    @pytest.mark.parametrize(("state", "name"), [
        (DS.MOBILIZING, "in_transit"), (DS.ONBOARDING, "onboarding"),
        (DS.ASSIGNED, "demobilizing"), (DS.DEMOBILIZING, "returned")])
    def test_host_records_only_arrival_and_assignment(self, us_coordinator, mx_liaison, state,
                                                      name):
        deployment = make_deployment(us_coordinator, us_to_mexico(us_coordinator, mx_liaison),
                                     state=state)
        with pytest.raises(PermissionDenied, match="host nation records arrival"):
            services.transition_deployment(mx_liaison, deployment, name)

    def test_a_third_nation_or_a_viewer_may_not(self, us_coordinator, us_viewer, mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison)
        with pytest.raises(PermissionDenied, match="role"):
            services.transition_deployment(us_viewer, deployment, "in_transit")

    def test_a_step_cannot_come_before_the_previous_one(self, us_coordinator, mx_liaison):
        deployment = walk(us_coordinator, mx_liaison, deploy(us_coordinator, mx_liaison),
                          "in_transit")
        record_items(mx_liaison, deployment, HOST_ITEMS)
        with pytest.raises(ValidationError) as exc:
            services.transition_deployment(mx_liaison, deployment, "arrived",
                                           at=deployment.departed_at - timedelta(hours=1))
        assert "at" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            services.transition_deployment(mx_liaison, deployment, "arrived",
                                           at=timezone.now() + timedelta(hours=1))
        assert "at" in exc.value.message_dict

    def test_transitions_for_each_nation(self, us_coordinator, mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison)
        options = services.transitions_for(us_coordinator, deployment)
        assert [o.name for o in options] == ["in_transit"]
        assert not options[0].allowed and "roster" in options[0].refusal
        assert services.transitions_for(mx_liaison, deployment) == []
        walk(us_coordinator, mx_liaison, deployment, "in_transit")
        assert services.transitions_for(us_coordinator, deployment)[0].name == "arrived"
        host = services.transitions_for(mx_liaison, deployment)
        assert [o.name for o in host] == ["arrived"] and not host[0].allowed
        record_items(mx_liaison, deployment, HOST_ITEMS)
        assert services.transitions_for(mx_liaison, deployment)[0].allowed


# ---- Onboarding and the roster --------------------------------------------------------------

class TestOnboardingAndRoster:
    def test_either_nation_adds_onboarding_items(self, us_coordinator, mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison)
        item = services.add_onboarding_item(mx_liaison, deployment, "",
                                             "Curso de seguridad de cinco horas")
        assert item.text_en == item.text_es == "Curso de seguridad de cinco horas"
        with pytest.raises(ValidationError):
            services.add_onboarding_item(mx_liaison, deployment, " ", "")

    def test_onboarding_refusals(self, us_coordinator, us_viewer, mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison)
        other = deploy(us_coordinator, mx_liaison)
        with pytest.raises(PermissionDenied):
            services.complete_onboarding_item(us_viewer, deployment,
                                              deployment.onboarding_items.first())
        with pytest.raises(ValidationError, match="not on the deployment"):
            services.complete_onboarding_item(us_coordinator, deployment,
                                              other.onboarding_items.first())
        walk(us_coordinator, mx_liaison, deployment, "assigned")
        with pytest.raises(ValidationError, match="Onboarding is over"):
            services.complete_onboarding_item(mx_liaison, deployment,
                                              deployment.onboarding_items.first(), done=False)

    def test_roster_member_is_marked_like_the_deployment(self, us_coordinator, mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison)
        member = services.add_roster_member(
            us_coordinator, deployment, full_name=" Jennifer Nguyen ",
            organization=organization("CalOES"), languages="EN, es,en")
        assert member.full_name == "Jennifer Nguyen" and member.languages == "en,es"
        assert member.owner_nation.code == "USA" and member.disclosure == "approved"
        assert {n.code for n in member.rel_to.all()} == {"USA", "MEX"}

    def test_roster_refusals(self, us_coordinator, mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison)
        with pytest.raises(PermissionDenied, match="sending nation"):
            services.add_roster_member(mx_liaison, deployment, full_name="X",
                                       organization=organization("DEFENSA"))
        with pytest.raises(ValidationError) as exc:
            services.add_roster_member(us_coordinator, deployment, full_name="X",
                                       organization=organization("DEFENSA"))
        assert "organization" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            services.add_roster_member(us_coordinator, deployment, full_name="X",
                                       organization=organization("CalOES"),
                                       languages="english")
        assert "languages" in exc.value.message_dict

    def test_removal_only_before_arrival(self, us_coordinator, mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison)
        first = services.add_roster_member(us_coordinator, deployment, full_name="A",
                                           organization=organization("CalOES"))
        second = services.add_roster_member(us_coordinator, deployment, full_name="B",
                                            organization=organization("CalOES"))
        services.remove_roster_member(us_coordinator, first)
        walk(us_coordinator, mx_liaison, deployment, "arrived")
        with pytest.raises(ValidationError, match="only before the team arrives"):
            services.remove_roster_member(us_coordinator, second)
        services.update_roster_member(us_coordinator, second, position="Team leader")
        assert deployment.roster.get().position == "Team leader"

    def test_no_one_joins_after_demobilization(self, us_coordinator, mx_liaison):
        deployment = make_deployment(us_coordinator, us_to_mexico(us_coordinator, mx_liaison),
                                     state=DS.DEMOBILIZING)
        with pytest.raises(ValidationError, match="until it demobilizes"):
            services.add_roster_member(us_coordinator, deployment, full_name="Late",
                                       organization=organization("CalOES"))


# ---- Check-ins, daily status, shifts --------------------------------------------------------

class TestReports:
    def test_check_in_by_either_nation(self, us_coordinator, mx_liaison):
        deployment = walk(us_coordinator, mx_liaison, deploy(us_coordinator, mx_liaison),
                          "arrived")
        member = deployment.roster.get()
        services.check_in(mx_liaison, member, status="checked_in", location="SJD")
        later = services.check_in(us_coordinator, member, status="assigned",
                                  location="Desalination plant")
        assert later.recorded_by == us_coordinator
        row = accountability.roster_for(mx_liaison, deployment).get()
        assert (row.last_status, row.last_location) == ("assigned", "Desalination plant")

    def test_check_in_refusals(self, us_coordinator, us_viewer, mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison)
        member = services.add_roster_member(us_coordinator, deployment, full_name="A",
                                            organization=organization("CalOES"))
        with pytest.raises(ValidationError, match="from departure"):
            services.check_in(mx_liaison, member, status="checked_in", location="SJD")
        walk(us_coordinator, mx_liaison, deployment, "in_transit")
        with pytest.raises(PermissionDenied):
            services.check_in(us_viewer, member, status="checked_in", location="SJD")
        with pytest.raises(ValidationError) as exc:
            services.check_in(mx_liaison, member, status="checked_in", location="SJD",
                              at=timezone.now() + timedelta(hours=2))
        assert "at" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            services.check_in(mx_liaison, member, status="lost", location="SJD")
        assert "status" in exc.value.message_dict

    def test_daily_status_replaces_the_days_report(self, us_coordinator, mx_liaison):
        deployment = walk(us_coordinator, mx_liaison, deploy(us_coordinator, mx_liaison),
                          "arrived")
        today = timezone.localdate()
        services.record_daily_status(mx_liaison, deployment, day=today, summary_es="Llegada",
                                     personnel_on_duty=6)
        services.record_daily_status(us_coordinator, deployment, day=today,
                                     summary_en="Arrived", personnel_on_duty=5, injuries=1)
        report = deployment.daily_status.get()
        assert (report.summary_en, report.personnel_on_duty, report.injuries) == (
            "Arrived", 5, 1)
        with pytest.raises(ValidationError) as exc:
            services.record_daily_status(mx_liaison, deployment,
                                         day=today + timedelta(days=1))
        assert "day" in exc.value.message_dict

    def test_daily_status_refused_before_arrival(self, us_coordinator, mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison)
        with pytest.raises(ValidationError, match="from arrival"):
            services.record_daily_status(mx_liaison, deployment, day=timezone.localdate())

    def _assigned(self, us_coordinator, mx_liaison, hours_ago=72):
        assigned = timezone.now() - timedelta(hours=hours_ago)
        times = {"in_transit": assigned - timedelta(hours=10),
                 "arrived": assigned - timedelta(hours=5),
                 "onboarding": assigned - timedelta(hours=4), "assigned": assigned}
        return walk(us_coordinator, mx_liaison, deploy(us_coordinator, mx_liaison),
                    "assigned", at=times.get)

    def test_shift_returns_its_work_rest_finding(self, us_coordinator, mx_liaison):
        deployment = self._assigned(us_coordinator, mx_liaison)
        start = deployment.assigned_at
        first = services.record_shift(mx_liaison, deployment, started_at=start,
                                      ended_at=start + timedelta(hours=12))
        assert first.ok and first.rest_hours is None
        short = services.record_shift(mx_liaison, deployment,
                                      started_at=start + timedelta(hours=16),
                                      ended_at=start + timedelta(hours=33))
        assert short.short_rest and short.rest_hours == 4 and short.required_rest_hours == 6
        assert short.long_shift  # 17 hours

    def test_shift_refusals(self, us_coordinator, us_viewer, mx_liaison):
        deployment = self._assigned(us_coordinator, mx_liaison)
        start = deployment.assigned_at
        services.record_shift(mx_liaison, deployment, started_at=start,
                              ended_at=start + timedelta(hours=12))
        cases = [
            ({"started_at": start + timedelta(hours=11), "ended_at": start + timedelta(hours=14)},
             "started_at", "overlaps"),
            ({"started_at": start + timedelta(hours=20), "ended_at": start + timedelta(hours=19)},
             "ended_at", "ends after it starts"),
            ({"started_at": start + timedelta(hours=13), "ended_at": start + timedelta(hours=38)},
             "ended_at", "24 hours"),
            ({"started_at": start - timedelta(hours=3), "ended_at": start - timedelta(hours=1)},
             "started_at", "after the assignment"),
            ({"started_at": start + timedelta(hours=70), "ended_at": start + timedelta(hours=80)},
             "ended_at", "future"),
        ]
        for fields, field, text in cases:
            with pytest.raises(ValidationError) as exc:
                services.record_shift(mx_liaison, deployment, **fields)
            assert text in " ".join(exc.value.message_dict[field])
        with pytest.raises(PermissionDenied):
            services.record_shift(us_viewer, deployment, started_at=start + timedelta(hours=20),
                                  ended_at=start + timedelta(hours=22))

    def test_shifts_only_once_assigned(self, us_coordinator, mx_liaison):
        deployment = walk(us_coordinator, mx_liaison, deploy(us_coordinator, mx_liaison),
                          "onboarding")
        now = timezone.now()
        with pytest.raises(ValidationError, match="once the team is assigned"):
            services.record_shift(mx_liaison, deployment, started_at=now - timedelta(hours=3),
                                  ended_at=now - timedelta(hours=1))


# ---- Costs and the extension ----------------------------------------------------------------

class TestCostsAndExtension:
    def test_cost_default_reimbursement_follows_the_offer(self, us_coordinator, mx_liaison):
        donated = deploy(us_coordinator, mx_liaison)
        cost = services.add_cost(us_coordinator, donated, category="lodging",
                                 description="Meals", amount="350.5", currency="usd")
        assert cost.reimbursement == DeploymentCost.Reimbursement.DONATED
        assert cost.amount == Decimal("350.50") and cost.currency == "USD"
        assert {n.code for n in cost.rel_to.all()} == {"USA", "MEX"}
        agreement = us_to_mexico(us_coordinator, mx_liaison,
                                 cost_terms=Offer.CostTerms.REIMBURSABLE)
        reimbursable = services.create_deployment(us_coordinator, agreement, name="B",
                                                  transport="air", arrival_airport="LAP")
        cost = services.add_cost(us_coordinator, reimbursable, category="travel",
                                 description="Flight", amount=9000)
        assert cost.reimbursement == DeploymentCost.Reimbursement.NOT_CLAIMED

    def test_cost_refusals(self, us_coordinator, us_viewer, mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison)
        with pytest.raises(PermissionDenied, match="role"):
            services.add_cost(us_viewer, deployment, category="travel", description="x",
                              amount=1)
        with pytest.raises(PermissionDenied, match="sending nation"):
            services.add_cost(mx_liaison, deployment, category="travel", description="x",
                              amount=1)
        for fields, field in (({"currency": "dollars"}, "currency"), ({"amount": "-1"}, "amount"),
                              ({"amount": "lots"}, "amount"), ({"category": "bribes"}, "category")):
            with pytest.raises(ValidationError) as exc:
                services.add_cost(us_coordinator, deployment, **{
                    "category": "travel", "description": "x", "amount": 1, **fields})
            assert field in exc.value.message_dict
        closed = make_deployment(us_coordinator, us_to_mexico(us_coordinator, mx_liaison),
                                 state=DS.CLOSED)
        with pytest.raises(ValidationError, match="closed"):
            services.add_cost(us_coordinator, closed, category="travel", description="x",
                              amount=1)

    def test_cost_totals(self, us_coordinator, mx_liaison):
        deployment = deploy(us_coordinator, mx_liaison)
        for category, amount, status in (("travel", "100", "claimed"),
                                         ("travel", "50", "paid"),
                                         ("lodging", "20", "claimed")):
            services.add_cost(us_coordinator, deployment, category=category, description="x",
                              amount=amount, reimbursement=status)
        by_category, by_status = services.cost_totals(deployment.costs.all())
        assert dict(by_category) == {"Lodging and meals": {"USD": Decimal("20")},
                                     "Travel": {"USD": Decimal("150")}}
        assert dict(by_status) == {"Claimed": {"USD": Decimal("120")},
                                   "Paid": {"USD": Decimal("50")}}

    def test_host_approves_an_extension_while_assigned(self, us_coordinator, mx_liaison):
        agreement = us_to_mexico(us_coordinator, mx_liaison)
        deployment = make_deployment(us_coordinator, agreement, state=DS.ASSIGNED,
                                     assigned_at=timezone.now() - timedelta(days=13, hours=2))
        assert services.assignment_clock(deployment).status == "limit"
        with pytest.raises(PermissionDenied, match="host nation"):
            services.approve_extension(us_coordinator, deployment, 3)
        for days in (0, 15):
            with pytest.raises(ValidationError) as exc:
                services.approve_extension(mx_liaison, deployment, days)
            assert "days" in exc.value.message_dict
        services.approve_extension(mx_liaison, deployment, 3)
        clock = services.assignment_clock(deployment)
        # The warning moves with the limit: two days before it.
        assert (clock.day, clock.limit, clock.status) == (14, 17, "ok")
        assert deployment.extension_approved_by == mx_liaison

    def test_extension_refusals(self, us_coordinator, mx_liaison):
        agreement = us_to_mexico(us_coordinator, mx_liaison)
        onboarding = make_deployment(us_coordinator, agreement, state=DS.ONBOARDING)
        with pytest.raises(ValidationError, match="only while the team is on assignment"):
            services.approve_extension(mx_liaison, onboarding, 3)
        late = make_deployment(us_coordinator, agreement, state=DS.ASSIGNED,
                               assigned_at=timezone.now() - timedelta(days=20))
        with pytest.raises(ValidationError, match="on day 21 already"):
            services.approve_extension(mx_liaison, late, 5)


# ---- Who is where now -----------------------------------------------------------------------

class TestWhoIsWhere:
    def test_latest_check_in_per_person_of_open_teams(self, us_coordinator, mx_liaison,
                                                      django_assert_max_num_queries):
        deployment = walk(us_coordinator, mx_liaison, deploy(us_coordinator, mx_liaison),
                          "arrived")
        ana = deployment.roster.get()
        bo = services.add_roster_member(us_coordinator, deployment, full_name="Bo Kim",
                                        organization=organization("CalOES"))
        earlier = timezone.now() - timedelta(hours=3)
        services.check_in(mx_liaison, ana, status="checked_in", location="SJD", at=earlier)
        services.check_in(mx_liaison, ana, status="assigned", location="Plant")
        services.check_in(mx_liaison, bo, status="out_of_service", location="Hospital",
                          at=earlier)
        closed = make_deployment(us_coordinator, deployment.agreement, state=DS.CLOSED,
                                 name="Closed team")
        add_roster_member(closed, "Gone Home")
        secret = services.add_roster_member(us_coordinator, deployment, full_name="US Only",
                                            organization=organization("CalOES"))
        secret.rel_to.remove(mx_liaison.nation)
        with django_assert_max_num_queries(1):
            rows = list(accountability.who_is_where(mx_liaison))
        assert [(r.full_name, r.last_status, r.last_location) for r in rows] == [
            ("Ana Smith", "assigned", "Plant"), ("Bo Kim", "out_of_service", "Hospital")]
        assert rows[0].deployment.owner_nation.code == "USA"
        assert len(accountability.who_is_where(us_coordinator)) == 3
        assert accountability.counts(accountability.who_is_where(mx_liaison)) == {
            "USA": {"assigned": 1, "out_of_service": 1}}
        assert accountability.counts(accountability.who_is_where(us_coordinator)) == {
            "USA": {"assigned": 1, "out_of_service": 1, None: 1}}

    def test_filters(self, us_coordinator, mx_liaison):
        deployment = walk(us_coordinator, mx_liaison, deploy(us_coordinator, mx_liaison),
                          "arrived")
        assert len(accountability.who_is_where(mx_liaison, deployment=deployment)) == 1
        assert len(accountability.who_is_where(mx_liaison, incident=deployment.incident_id)) == 1
        assert len(accountability.who_is_where(mx_liaison, nation="USA")) == 1
        assert len(accountability.who_is_where(mx_liaison, nation="MEX")) == 0
        assert not accountability.who_is_where(mx_liaison, deployment=deployment.pk + 1000)



# ---- A person is in one place at a time ------------------------------------------------------

class TestOnePlaceAtATime:
    def test_a_person_on_a_team_not_yet_home_cannot_join_another(self, us_coordinator,
                                                                 mx_liaison):
        first = deploy(us_coordinator, mx_liaison, name="First convoy")
        second = deploy(us_coordinator, mx_liaison, name="Second convoy")
        caloes = organization("CalOES")
        services.add_roster_member(us_coordinator, first, full_name="Sarah Kim",
                                   organization=caloes, agency_id="CalOES-0007")
        with pytest.raises(ValidationError) as exc:
            services.add_roster_member(us_coordinator, second, full_name="S. Kim",
                                       organization=caloes, agency_id=" CalOES-0007 ")
        assert "“First convoy”" in exc.value.message_dict["agency_id"][0]
        with pytest.raises(ValidationError) as exc:  # no agency ID: the same name
            services.add_roster_member(us_coordinator, second, full_name="sarah kim",
                                       organization=caloes)
        assert "“First convoy”" in exc.value.message_dict["full_name"][0]
        # Someone else of the same name and another ID is another person.
        other = services.add_roster_member(us_coordinator, second, full_name="Sarah Kim",
                                           organization=caloes, agency_id="CalOES-0099")
        with pytest.raises(ValidationError) as exc:  # and cannot take the first one's ID
            services.update_roster_member(us_coordinator, other, agency_id="CalOES-0007")
        assert "agency_id" in exc.value.message_dict

    def test_once_the_team_is_home_the_person_may_go_again(self, us_coordinator, mx_liaison):
        first = deploy(us_coordinator, mx_liaison, name="First convoy")
        services.add_roster_member(us_coordinator, first, full_name="Sarah Kim",
                                   organization=organization("CalOES"), agency_id="CalOES-7")
        walk(us_coordinator, mx_liaison, first, "returned")
        second = deploy(us_coordinator, mx_liaison, name="Second convoy")
        services.add_roster_member(us_coordinator, second, full_name="Sarah Kim",
                                   organization=organization("CalOES"), agency_id="CalOES-7")
        # Who is where now: only the team not yet home.
        rows = accountability.who_is_where(us_coordinator)
        assert [r.deployment.name for r in rows] == ["Second convoy"]
        filters = AccountabilityFilterForm(user=us_coordinator)
        assert [label for _pk, label in filters.fields["deployment"].choices][1:] == [
            "Second convoy"]

    def test_the_other_team_is_named_only_to_a_reader_who_may_see_it(self, us_coordinator,
                                                                      mx_liaison):
        hidden = deploy(us_coordinator, mx_liaison, name="Quiet convoy")
        services.add_roster_member(us_coordinator, hidden, full_name="Sarah Kim",
                                   organization=organization("CalOES"), agency_id="CalOES-7")
        # A team the reader may not see (as if another nation's and not released to theirs).
        Deployment.objects.filter(pk=hidden.pk).update(owner_nation=mx_liaison.nation)
        hidden.rel_to.set([mx_liaison.nation])
        assert not Deployment.objects.restrict(us_coordinator).filter(pk=hidden.pk).exists()
        second = deploy(us_coordinator, mx_liaison, name="Second convoy")
        with pytest.raises(ValidationError) as exc:
            services.add_roster_member(us_coordinator, second, full_name="Sarah Kim",
                                       organization=organization("CalOES"),
                                       agency_id="CalOES-7")
        message = exc.value.message_dict["agency_id"][0]
        assert "Quiet convoy" not in message and "another deployment" in message
