"""Requests, offers and the three-part agreement through their services: the happy path from a
US request to an agreement in force, partial and full fill, amendments, every guard's refusal,
and notices only for users who may see the record."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from core.models import Disclosure, Notification
from core.services import change_marking
from response.agreement_text import agreement_hash
from response.models import AidAgreement, Offer, ResourceRequest, Signature
from response.services.agreements import (
    amend_agreement,
    draw_up_agreement,
    sign_agreement,
    verify_agreement,
)
from response.services.offers import (
    change_offer_marking,
    create_offer,
    transition_offer,
    update_offer,
)
from response.services.requests import (
    change_request_marking,
    create_request,
    transition_request,
    update_request,
)
from response.tests.factories import (
    START,
    make_agreement,
    make_incident,
    make_offer,
    make_request,
    make_unit,
    nations,
    organization,
)

RS = ResourceRequest.State
OS = Offer.State
AS = AidAgreement.State


def new_request(user, incident, **fields):
    values = {"kind": "CREW-HAND-T2", "quantity": 2, "needed_by": START + timedelta(days=3),
              "reporting_location": "Palisades Fire ICP", "priority": "urgent",
              "rel_to": nations("MEX"), "disclosure": Disclosure.APPROVED}
    return create_request(user, incident=incident, **{**values, **fields})


def submitted(user, incident, **fields):
    request = new_request(user, incident, **fields)
    transition_request(user, request, "submit")
    return request


def line(kind="CREW-HAND-T2", quantity=2, headcount=40, agency="DEFENSA", **extra):
    return {"kind": kind, "quantity": quantity, "headcount": headcount, "agency": agency,
            **extra}


def new_offer(user, request, lines=None, **fields):
    values = {"duration_days": 14, "available_from": START + timedelta(days=2),
              "cost_terms": Offer.CostTerms.DONATED, "conditions_en": "Bring PPE.",
              "conditions_es": "Traer EPP."}
    return create_offer(user, request=request, lines=lines or [line()],
                            **{**values, **fields})


def in_force(us, mx, request, lines=None):
    offer = new_offer(mx, request, lines)
    agreement = draw_up_agreement(us, offer)
    sign_agreement(us, agreement, "request")
    sign_agreement(mx, agreement, "offer")
    sign_agreement(us, agreement, "acceptance")
    agreement.refresh_from_db()
    return agreement


def requester(make_user):
    """A CalGuard user who may write and move requests but not decide foreign disclosure."""
    user = make_user("requester", "CalGuard", None)
    group = Group.objects.create(name="requesters")
    group.permissions.set(Permission.objects.filter(
        content_type__app_label="response",
        codename__in=["view_resourcerequest", "add_resourcerequest",
                      "transition_resourcerequest", "view_incident"]))
    user.groups.add(group)
    return user


def notices(user):
    return list(Notification.objects.filter(recipient=user).values_list("message_en",
                                                                        flat=True))


# ---- The whole story -------------------------------------------------------------------------

def test_happy_path_from_request_to_agreement_in_force(duty, mx_liaison, incident):
    request = new_request(duty, incident)
    assert request.number == "USA-2025-0001" and request.state == RS.DRAFT
    assert request.requesting_organization.acronym == "CalGuard"
    assert notices(mx_liaison) == []

    transition_request(duty, request, "submit")
    assert request.state == RS.SUBMITTED
    assert any("USA-2025-0001" in n for n in notices(mx_liaison))

    offer = new_offer(mx_liaison, request, [line(quantity=1, headcount=30, agency="CONAFOR"),
                                            line(quantity=1, headcount=42)])
    assert offer.owner_nation.code == "MEX" and offer.disclosure == Disclosure.APPROVED
    assert {n.code for n in offer.rel_to.all()} == {"MEX", "USA"}
    assert any(n.startswith("Offer from DEFENSA") for n in notices(duty))

    transition_offer(duty, offer, "review")
    agreement = draw_up_agreement(duty, offer)
    assert agreement.state == AS.AWAITING_SIGNATURES and agreement.owner_nation.code == "USA"
    assert {n.code for n in agreement.rel_to.all()} == {"USA", "MEX"}
    assert agreement.terms["request_number"] == "USA-2025-0001"
    assert [(x["agency"], x["quantity"], x["headcount"]) for x in agreement.terms["lines"]] == [
        ("CONAFOR", 1, 30), ("DEFENSA", 1, 42)]
    assert "1. Request: USA-2025-0001" in agreement.text_en
    assert "1. Solicitud: USA-2025-0001" in agreement.text_es
    assert "Traer EPP." in agreement.text_es and "Bring PPE." in agreement.text_en
    assert agreement.text_hash == agreement_hash(agreement.terms, agreement.text_en,
                                                     agreement.text_es)
    assert any("Signature needed" in n for n in notices(mx_liaison))

    first = sign_agreement(duty, agreement, "request")
    assert first.organization.acronym == "CalGuard" and first.signer_role == "Duty officer"
    sign_agreement(mx_liaison, agreement, "offer")
    assert any("acceptance part" in n for n in notices(duty))
    sign_agreement(duty, agreement, "acceptance")

    agreement.refresh_from_db()
    offer.refresh_from_db()
    request.refresh_from_db()
    assert agreement.state == AS.IN_FORCE and agreement.in_force_at is not None
    assert offer.state == OS.ACCEPTED
    assert request.state == RS.FILLED
    assert verify_agreement(agreement)
    assert {s.text_hash for s in agreement.signatures.all()} == {agreement.text_hash}
    assert any("accepted and in force" in n for n in notices(mx_liaison))
    assert any("accepted and in force" in n for n in notices(duty))

    transition_request(duty, request, "close")
    assert request.state == RS.CLOSED


def test_partial_then_full_fill(duty, mx_liaison, incident):
    request = submitted(duty, incident, quantity=3)
    in_force(duty, mx_liaison, request, [line(quantity=1)])
    request.refresh_from_db()
    assert request.state == RS.PARTIALLY_FILLED
    in_force(duty, mx_liaison, request, [line(quantity=2)])
    request.refresh_from_db()
    assert request.state == RS.FILLED


def test_substitutes_count_only_when_acceptable(duty, mx_liaison, incident):
    strict = submitted(duty, incident, quantity=1)
    in_force(duty, mx_liaison, strict, [line(kind="CREW-CONAFOR", quantity=1)])
    strict.refresh_from_db()
    assert strict.state == RS.PARTIALLY_FILLED

    lenient = submitted(duty, incident, quantity=1, substitutes_acceptable=True)
    in_force(duty, mx_liaison, lenient, [line(kind="CREW-CONAFOR", quantity=1)])
    lenient.refresh_from_db()
    assert lenient.state == RS.FILLED


def test_amendment_supersedes_once_accepted(duty, mx_liaison, incident):
    request = submitted(duty, incident, quantity=2)
    original = in_force(duty, mx_liaison, request)
    amendment = amend_agreement(duty, original, reason="Crews stay a week longer.",
                                    duration_days=21, lines=[{"quantity": 1}])
    assert amendment.version == 2 and amendment.amends == original
    assert amendment.state == AS.AWAITING_SIGNATURES
    assert amendment.terms["duration_days"] == 21 and amendment.terms["lines"][0]["quantity"] == 1
    assert "Amends version 1" in amendment.text_en and "Crews stay" in amendment.text_en
    original.refresh_from_db()
    assert original.state == AS.IN_FORCE  # until the amendment is accepted

    sign_agreement(duty, amendment, "request")
    sign_agreement(mx_liaison, amendment, "offer")
    sign_agreement(duty, amendment, "acceptance")
    original.refresh_from_db()
    amendment.refresh_from_db()
    request.refresh_from_db()
    assert original.state == AS.SUPERSEDED and amendment.state == AS.IN_FORCE
    assert request.state == RS.PARTIALLY_FILLED  # one crew of two now
    assert verify_agreement(original) and verify_agreement(amendment)


def test_unsolicited_offer_and_agreement(duty, mx_liaison, incident):
    offer = create_offer(mx_liaison, incident=incident, lines=[line(quantity=1)],
                             duration_days=7, available_from=START, cost_terms="reimbursable",
                             estimated_cost="125000", currency="mxn",
                             rel_to=nations("USA"), disclosure=Disclosure.NOT_REVIEWED)
    assert offer.request is None and offer.disclosure == Disclosure.NOT_REVIEWED
    assert offer.currency == "MXN"
    # Not yet released: the host's users see nothing and are not told.
    assert notices(duty) == []
    with pytest.raises(Http404):
        draw_up_agreement(duty, offer)

    Offer.objects.filter(pk=offer.pk).update(disclosure=Disclosure.APPROVED)
    agreement = draw_up_agreement(duty, offer)
    assert agreement.request is None and agreement.requesting_organization.acronym == "CalGuard"
    assert "unsolicited offer" in agreement.text_en and "125,000.00 MXN" in agreement.text_en
    assert "no solicitado" in agreement.text_es


# ---- Requests: refusals ----------------------------------------------------------------------

class TestRequestRefusals:
    def test_numbers_follow_nation_and_year(self, duty, incident):
        assert new_request(duty, incident).number == "USA-2025-0001"
        assert new_request(duty, incident).number == "USA-2025-0002"
        assert new_request(duty, incident, number="LA-7").number == "LA-7"
        with pytest.raises(ValidationError) as exc:
            new_request(duty, incident, number="LA-7")
        assert "number" in exc.value.message_dict

    def test_field_guards(self, duty, make_user, incident):
        cases = [({"quantity": 0}, "quantity"), ({"needed_by": None}, "needed_by"),
                 ({"needed_by": START.replace(year=2201)}, "needed_by"),
                 ({"kind": "NOPE"}, "kind"),
                 ({"requesting_organization": organization("DEFENSA")},
                  "requesting_organization")]
        for fields, field in cases:
            with pytest.raises(ValidationError) as exc:
                new_request(duty, incident, **fields)
            assert field in exc.value.message_dict, fields

    def test_incident_must_be_visible(self, duty, mx_liaison, incident):
        hidden = make_incident(mx_liaison, name="Ensenada", rel_to=(), disclosure="approved")
        with pytest.raises(ValidationError) as exc:
            new_request(duty, hidden)
        assert "incident" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            new_request(duty, None)
        assert "incident" in exc.value.message_dict

    def test_role_and_disclosure(self, duty, make_user, incident):
        viewer = make_user("v", "CalOES", "viewer")
        with pytest.raises(PermissionDenied):
            new_request(viewer, incident)
        with pytest.raises(ValidationError) as exc:  # approving disclosure needs a reviewer
            new_request(requester(make_user), incident)
        assert "disclosure" in exc.value.message_dict

    def test_no_organization_no_request(self, outsider, make_user, incident):
        with pytest.raises(PermissionDenied):
            new_request(outsider, incident)

    def test_update_needs_the_role(self, duty, persona_of, incident):
        request = new_request(duty, incident)
        with pytest.raises(PermissionDenied):
            update_request(persona_of("viewer"), request, quantity=3)

    def test_update_only_by_owner_and_while_open(self, duty, mx_liaison, incident):
        request = new_request(duty, incident)
        update_request(duty, request, quantity=5, special_instructions="Night ops")
        request.refresh_from_db()
        assert request.quantity == 5 and request.special_instructions == "Night ops"
        with pytest.raises(Http404):  # a draft is the requesting nation's own (HELD_BACK)
            update_request(mx_liaison, request, quantity=1)
        transition_request(duty, request, "submit")
        with pytest.raises(PermissionDenied):  # submitted: Mexico reads it, never changes it
            update_request(mx_liaison, request, quantity=1)
        with pytest.raises(ValidationError):
            update_request(duty, request, state="filled")
        transition_request(duty, request, "cancel", reason="Contained")
        with pytest.raises(ValidationError) as exc:
            update_request(duty, request, quantity=1)
        assert "cancelled" in str(exc.value)

    def test_illegal_transitions_name_the_state(self, duty, incident):
        request = new_request(duty, incident)
        for name in ("close", "escalate", "unable_to_fill"):
            with pytest.raises(ValidationError) as exc:
                transition_request(duty, request, name, reason="x")
            assert "draft" in str(exc.value), name
        with pytest.raises(ValidationError) as exc:
            transition_request(duty, request, "fill")
        assert "name" in exc.value.message_dict

    def test_reasons_required(self, duty, incident):
        request = submitted(duty, incident)
        for name in ("cancel", "unable_to_fill"):
            with pytest.raises(ValidationError) as exc:
                transition_request(duty, request, name)
            assert "reason" in exc.value.message_dict

    def test_partner_may_not_move_the_request(self, duty, mx_liaison, incident):
        request = submitted(duty, incident)
        with pytest.raises(PermissionDenied):
            transition_request(mx_liaison, request, "cancel", reason="no")

    def test_escalation(self, duty, make_user, mx_liaison, incident):
        request = submitted(duty, incident, rel_to=[], disclosure=Disclosure.NOT_REVIEWED)
        assert notices(mx_liaison) == []  # not released: nobody across the border is told
        transition_request(duty, request, "unable_to_fill", reason="No crews left")
        with pytest.raises(PermissionDenied):
            transition_request(requester(make_user), request, "escalate")

        transition_request(duty, request, "escalate")
        request.refresh_from_db()
        assert request.state == RS.SUBMITTED and request.escalated_at is not None
        assert {n.code for n in request.rel_to.all()} == {"USA", "MEX"}
        assert request.disclosure == Disclosure.APPROVED
        assert any("escalated to your nation" in n for n in notices(mx_liaison))

    def test_escalation_needs_a_partner_nation(self, duty, incident):
        request = submitted(duty, incident)
        transition_request(duty, request, "unable_to_fill", reason="none")
        with pytest.raises(ValidationError) as exc:
            transition_request(duty, request, "escalate", nations=["USA"])
        assert "nations" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            transition_request(duty, request, "escalate", nations=["UKR"])
        assert exc.value.message_dict["nations"] == [
            "Release the incident Palisades Fire to UKR first: without it they could not see "
            "this record."]
        change_marking(incident, duty, rel_to=nations("MEX", "UKR"),
                       disclosure=Disclosure.APPROVED)
        transition_request(duty, request, "escalate", nations=["UKR"])
        assert "UKR" in {n.code for n in request.rel_to.all()}


# ---- A request or offer shows its incident: released only with it ---------------------------

def test_a_request_or_offer_is_released_only_where_its_incident_is(duty, mx_liaison):
    us_only = make_incident(duty, name="Border Fire", rel_to=())
    with pytest.raises(ValidationError) as exc:
        new_request(duty, us_only)
    assert exc.value.message_dict["rel_to"] == [
        "Release the incident Border Fire to MEX first: without it they could not see this "
        "record."]
    draft = new_request(duty, us_only, rel_to=[])
    with pytest.raises(ValidationError) as exc:
        change_request_marking(duty, draft, rel_to=nations("MEX"),
                                   disclosure=Disclosure.APPROVED)
    assert "rel_to" in exc.value.message_dict
    assert ResourceRequest.objects.get(pk=draft.pk).rel_to.count() == 1  # nothing changed
    with pytest.raises(ValidationError) as exc:
        create_offer(duty, incident=us_only, lines=[line(agency="CalGuard")],
                         duration_days=7, available_from=START, cost_terms="donated",
                         rel_to=nations("MEX"), disclosure=Disclosure.APPROVED)
    assert "rel_to" in exc.value.message_dict


def test_narrowing_the_incident_hides_its_requests_and_offers_from_the_partner(
        duty, mx_liaison, incident):
    request = submitted(duty, incident)
    offer = new_offer(mx_liaison, request)
    assert ResourceRequest.objects.restrict(mx_liaison).filter(pk=request.pk).exists()
    change_marking(incident, duty, rel_to=[], disclosure=Disclosure.APPROVED)
    assert not ResourceRequest.objects.restrict(mx_liaison).filter(pk=request.pk).exists()
    assert ResourceRequest.objects.restrict(duty).filter(pk=request.pk).exists()
    # Mexico keeps its own offer in sight; the United States still sees it too.
    assert Offer.objects.restrict(mx_liaison).filter(pk=offer.pk).exists()
    assert Offer.objects.restrict(duty).filter(pk=offer.pk).exists()


# ---- Notices only for who may see ------------------------------------------------------------

def test_notices_only_for_users_who_may_see(duty, make_user, mx_liaison, incident):
    other_mx = make_user("mx.cnpc", "CNPC", "liaison")
    ukraine = make_user("ua", "ZSU", "duty_officer")
    pending = submitted(duty, incident, disclosure=Disclosure.IN_REVIEW)
    assert notices(mx_liaison) == [] and notices(other_mx) == []

    change_request_marking(duty, pending, rel_to=nations("MEX"),
                               disclosure=Disclosure.APPROVED)
    assert len(notices(mx_liaison)) == 1 and len(notices(other_mx)) == 1
    assert notices(ukraine) == []
    # Told once per request, whatever else changes.
    change_request_marking(duty, pending, rel_to=nations("MEX"),
                               disclosure=Disclosure.APPROVED)
    assert len(notices(mx_liaison)) == 1


def test_offer_and_signature_notices_reach_only_the_right_organization(
        duty, make_user, mx_liaison, incident, persona_of):
    caloes = make_user("caloes", "CalOES", "duty_officer")
    viewer = persona_of("viewer")
    cnpc = make_user("mx.cnpc", "CNPC", "liaison")
    offer = new_offer(mx_liaison, submitted(duty, incident))
    assert any(n.startswith("Offer from DEFENSA") for n in notices(duty))
    assert notices(caloes) == [] and notices(viewer) == []
    draw_up_agreement(duty, offer)
    assert any("Signature needed: the offer part" in n for n in notices(mx_liaison))
    assert not any("Signature needed" in n for n in notices(cnpc))
    assert any("Signature needed: the request part" in n for n in notices(duty))
    spanish = Notification.objects.filter(recipient=mx_liaison).first()
    assert spanish.message_es and spanish.url.startswith("/response/")


# ---- Offers: refusals ------------------------------------------------------------------------

class TestOfferRefusals:
    def test_request_must_be_visible_and_open(self, duty, mx_liaison, make_user, incident):
        hidden = submitted(duty, incident, rel_to=[], disclosure=Disclosure.NOT_REVIEWED)
        with pytest.raises(ValidationError) as exc:
            new_offer(mx_liaison, hidden)
        assert "request" in exc.value.message_dict
        draft = new_request(duty, incident)
        with pytest.raises(ValidationError) as exc:  # a draft is not there for Mexico yet
            new_offer(mx_liaison, draft)
        assert "request" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:  # nor can its own nation offer to it
            new_offer(make_user("us.duty2", "CalOES", "duty_officer"), draft)
        assert "draft" in str(exc.value)

    def test_lines(self, duty, mx_liaison, incident):
        request = submitted(duty, incident)
        bad = [([], "at least one"), ([line(agency="CalGuard")], "Line 1"),
               ([line(), line(quantity=0)], "Line 2"), ([line(kind="NOPE")], "Line 1")]
        for lines, text in bad:
            with pytest.raises(ValidationError) as exc:
                create_offer(mx_liaison, request=request, lines=lines, duration_days=14,
                                 available_from=START, cost_terms="donated")
            assert text in str(exc.value.message_dict["lines"]), lines

    def test_units(self, duty, mx_liaison, incident):
        request = submitted(duty, incident)
        home = make_unit(mx_liaison, name="Reserve", held_for_home_coverage=True)
        stay = make_unit(mx_liaison, name="Local crew", cross_border_eligible=False)
        hidden = make_unit(mx_liaison, name="Hidden", rel_to=())
        theirs = make_unit(duty, name="Crew 9")
        other_mx = make_unit(mx_liaison, name="Brigada 3")
        for unit, text in ((home, "home coverage"), (stay, "may not cross"),
                           (theirs, "of your nation")):
            with pytest.raises(ValidationError) as exc:
                new_offer(mx_liaison, request, [line(unit=unit)])
            assert text in str(exc.value), text
        # A unit of the user's nation it may see is fine, wherever its marking points.
        assert new_offer(mx_liaison, request, [line(unit=hidden)]).lines.get().unit == hidden
        assert new_offer(mx_liaison, request, [line(unit=other_mx.pk)]).lines.get().unit \
            == other_mx

    def test_duration_and_money(self, duty, mx_liaison, incident):
        request = submitted(duty, incident)
        for fields, field in (({"duration_days": 29}, "duration_days"),
                              ({"estimated_cost": "-1"}, "estimated_cost"),
                              ({"currency": "PESOS"}, "currency"),
                              ({"cost_terms": "barter"}, "cost_terms")):
            with pytest.raises(ValidationError) as exc:
                new_offer(mx_liaison, request, **fields)
            assert field in exc.value.message_dict, fields

    def test_unsolicited_incident_must_be_visible(self, duty, mx_liaison):
        hidden = make_incident(duty, name="Camp", rel_to=(), disclosure="approved")
        with pytest.raises(ValidationError) as exc:
            create_offer(mx_liaison, incident=hidden, lines=[line()], duration_days=3,
                             available_from=START, cost_terms="donated")
        assert "incident" in exc.value.message_dict

    def test_unsolicited_needs_an_incident(self, mx_liaison):
        with pytest.raises(ValidationError) as exc:
            create_offer(mx_liaison, lines=[line()], duration_days=3, available_from=START,
                             cost_terms="donated")
        assert "incident" in exc.value.message_dict

    def test_role(self, duty, persona_of, incident):
        request = submitted(duty, incident)
        viewer = persona_of("viewer", "MEX")
        with pytest.raises(PermissionDenied):
            new_offer(viewer, request)

    def test_transitions_by_the_right_side(self, duty, mx_liaison, incident):
        request = submitted(duty, incident)
        offer = new_offer(mx_liaison, request)
        with pytest.raises(PermissionDenied):
            transition_offer(mx_liaison, offer, "review")
        with pytest.raises(PermissionDenied):
            transition_offer(duty, offer, "withdraw", reason="x")
        with pytest.raises(ValidationError) as exc:
            transition_offer(duty, offer, "accept")
        assert "acceptance" in str(exc.value)
        with pytest.raises(ValidationError) as exc:
            transition_offer(duty, offer, "decline")
        assert "reason" in exc.value.message_dict
        transition_offer(duty, offer, "review")
        with pytest.raises(ValidationError) as exc:
            transition_offer(duty, offer, "review")
        assert "under review" in str(exc.value)

    def test_withdrawal_voids_the_pending_agreement(self, duty, mx_liaison, incident):
        request = submitted(duty, incident)
        offer = new_offer(mx_liaison, request)
        agreement = draw_up_agreement(duty, offer)
        transition_offer(mx_liaison, offer, "withdraw", reason="Needed at home")
        agreement.refresh_from_db()
        assert offer.state == OS.WITHDRAWN and agreement.state == AS.VOID
        with pytest.raises(ValidationError) as exc:
            transition_offer(mx_liaison, offer, "withdraw", reason="again")
        assert "withdrawn" in str(exc.value)

    def test_marking_keeps_the_requester(self, duty, persona_of, mx_liaison, incident):
        mx_duty = persona_of("duty_officer", "MEX")
        offer = new_offer(mx_duty, submitted(duty, incident))
        with pytest.raises(ValidationError):
            change_offer_marking(mx_duty, offer, rel_to=[], disclosure="in_review")
        change_offer_marking(mx_duty, offer, rel_to=[], disclosure="approved", tlp="amber")
        assert {n.code for n in offer.rel_to.all()} == {"MEX", "USA"} and offer.tlp == "amber"


# ---- The agreement: refusals -----------------------------------------------------------------

class TestAgreementRefusals:
    @pytest.fixture
    def drawn(self, duty, mx_liaison, incident):
        return draw_up_agreement(duty, new_offer(mx_liaison, submitted(duty, incident)))

    def test_only_the_requesting_organization_draws_up(self, duty, make_user, mx_liaison,
                                                       incident):
        offer = new_offer(mx_liaison, submitted(duty, incident))
        other_us = make_user("caloes", "CalOES", "duty_officer")
        for user in (other_us, mx_liaison):
            with pytest.raises(PermissionDenied):
                draw_up_agreement(user, offer)

    def test_cancelled_request_voids_and_takes_no_agreement(self, duty, mx_liaison, incident,
                                                            drawn):
        request = drawn.request
        other = new_offer(mx_liaison, request)
        transition_request(duty, request, "cancel", reason="Contained")
        drawn.refresh_from_db()
        assert drawn.state == AS.VOID
        with pytest.raises(ValidationError) as exc:
            draw_up_agreement(duty, other)
        assert "cancelled" in str(exc.value)
        with pytest.raises(ValidationError):
            sign_agreement(duty, drawn, "request")

    def test_one_pending_agreement_per_offer(self, duty, drawn):
        with pytest.raises(ValidationError) as exc:
            draw_up_agreement(duty, drawn.offer)
        assert "already awaiting" in str(exc.value)

    def test_declined_offer_takes_no_agreement(self, duty, mx_liaison, incident):
        offer = new_offer(mx_liaison, submitted(duty, incident))
        transition_offer(duty, offer, "decline", reason="Too late")
        with pytest.raises(ValidationError) as exc:
            draw_up_agreement(duty, offer)
        assert "declined" in str(exc.value)

    def test_wrong_organization_signs(self, duty, make_user, mx_liaison, drawn):
        conafor = make_user("conafor", "CONAFOR", "liaison")
        caloes = make_user("caloes", "CalOES", "duty_officer")
        for user, part in ((mx_liaison, "request"), (duty, "offer"), (conafor, "offer"),
                           (caloes, "request")):
            with pytest.raises(PermissionDenied):
                sign_agreement(user, drawn, part)
        assert not drawn.signatures.exists()

    def test_signing_needs_the_permission_and_sight(self, persona_of, drawn):
        viewer = persona_of("viewer")
        with pytest.raises(PermissionDenied):
            sign_agreement(viewer, drawn, "request")
        AidAgreement.objects.filter(pk=drawn.pk).update(disclosure=Disclosure.IN_REVIEW)
        liaison = persona_of("liaison", "MEX")
        with pytest.raises(Http404):  # not yet released to Mexico: not there at all
            sign_agreement(liaison, drawn, "offer")

    def test_wrong_order_and_double_signing(self, duty, mx_liaison, drawn):
        with pytest.raises(ValidationError) as exc:
            sign_agreement(duty, drawn, "acceptance")
        assert "after the request and the offer" in str(exc.value)
        sign_agreement(duty, drawn, "request")
        with pytest.raises(ValidationError) as exc:
            sign_agreement(duty, drawn, "request")
        assert "already signed" in str(exc.value)
        with pytest.raises(ValidationError) as exc:
            sign_agreement(duty, drawn, "acceptance")
        assert "after the request and the offer" in str(exc.value)
        with pytest.raises(ValidationError):
            sign_agreement(duty, drawn, "witness")

    def test_tampered_text_is_refused(self, duty, mx_liaison, drawn):
        sign_agreement(duty, drawn, "request")
        AidAgreement.objects.filter(pk=drawn.pk).update(
            text_es=drawn.text_es.replace("14 días", "40 días"))
        drawn.refresh_from_db()
        assert not verify_agreement(drawn)
        with pytest.raises(ValidationError) as exc:
            sign_agreement(mx_liaison, drawn, "offer")
        assert "no longer matches" in str(exc.value)
        assert drawn.signatures.count() == 1

    def test_changed_terms_fail_verification(self, duty, mx_liaison, incident):
        agreement = in_force(duty, mx_liaison, submitted(duty, incident))
        assert verify_agreement(agreement)
        terms = {**agreement.terms, "duration_days": 28}
        AidAgreement.objects.filter(pk=agreement.pk).update(terms=terms)
        agreement.refresh_from_db()
        assert not verify_agreement(agreement)

    def test_in_force_takes_no_more_signatures(self, duty, mx_liaison, incident):
        agreement = in_force(duty, mx_liaison, submitted(duty, incident))
        with pytest.raises(ValidationError) as exc:
            sign_agreement(duty, agreement, "acceptance")
        assert "in force" in str(exc.value)

    def test_amending_guards(self, duty, make_user, mx_liaison, incident, drawn):
        with pytest.raises(ValidationError) as exc:  # not in force yet
            amend_agreement(duty, drawn, reason="x", duration_days=20)
        assert "awaiting" in str(exc.value)
        agreement = in_force(duty, mx_liaison, submitted(duty, incident))
        with pytest.raises(ValidationError) as exc:
            amend_agreement(duty, agreement, reason="", duration_days=20)
        assert "reason" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            amend_agreement(duty, agreement, reason="x", text_en="Anything we like")
        assert "text_en" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            amend_agreement(duty, agreement, reason="x", duration_days=14)
        assert "changes none" in str(exc.value)
        with pytest.raises(ValidationError) as exc:
            amend_agreement(duty, agreement, reason="x", lines=[])
        assert "lines" in exc.value.message_dict
        with pytest.raises(PermissionDenied):
            amend_agreement(mx_liaison, agreement, reason="x", duration_days=20)
        amend_agreement(duty, agreement, reason="longer", duration_days=20)
        with pytest.raises(ValidationError) as exc:
            amend_agreement(duty, agreement, reason="again", duration_days=21)
        assert "already has an amendment" in str(exc.value)

    def test_signature_records_who_and_what(self, duty, drawn):
        duty.first_name, duty.last_name = "Dana", "Ortiz"
        duty.save()
        signature = sign_agreement(duty, drawn, "request")
        assert signature.signer_name == "Dana Ortiz"
        assert signature.signed_at <= timezone.now()
        assert signature.text_hash == drawn.text_hash
        assert Signature.objects.filter(agreement=drawn).count() == 1


# ---- Changing an offer ----------------------------------------------------------------------

def test_update_offer_replaces_lines_voids_a_pending_agreement_and_tells_the_requester(
        duty, mx_liaison):
    request = make_request(duty)
    offer = make_offer(mx_liaison, request)
    pending = make_agreement(duty, mx_liaison, request=request, offer=offer, signed=False)
    update_offer(mx_liaison, offer, duration_days=10, lines=[
        {"kind": "CREW-CONAFOR", "quantity": 1, "headcount": 30, "agency": "CONAFOR"}])
    offer.refresh_from_db()
    assert offer.duration_days == 10
    assert [(line.kind.code, line.headcount) for line in offer.lines.all()] == [
        ("CREW-CONAFOR", 30)]
    pending.refresh_from_db()
    assert pending.state == AidAgreement.State.VOID
    assert Notification.objects.filter(recipient=duty, key__startswith=(
        f"offer:{offer.pk}:changed")).exists()


def test_update_offer_refusals(duty, mx_liaison):
    offer = make_offer(mx_liaison, make_request(duty))
    with pytest.raises(PermissionDenied):
        update_offer(duty, offer, duration_days=3)  # not the offering nation
    with pytest.raises(ValidationError) as refused:
        update_offer(mx_liaison, offer, duration_days=40)
    assert "duration_days" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        update_offer(mx_liaison, offer, lines=[])
    assert "lines" in refused.value.message_dict
    Offer.objects.filter(pk=offer.pk).update(state=Offer.State.ACCEPTED)
    offer.refresh_from_db()
    with pytest.raises(ValidationError):
        update_offer(mx_liaison, offer, duration_days=3)


def test_offer_update_page_and_api(client_for, duty, mx_liaison):
    offer = make_offer(mx_liaison, make_request(duty))
    page = client_for(mx_liaison).get(reverse("response:offer_update", args=[offer.pk]))
    assert page.status_code == 200 and b'data-testid="offer-form"' in page.content
    assert client_for(duty).get(reverse("response:offer_update", args=[offer.pk])
                                ).status_code == 404
    api = client_for(mx_liaison)
    changed = api.patch(f"/api/v1/offers/{offer.pk}", {"duration_days": 7},
                        content_type="application/json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["duration_days"] == 7
    refused = api.patch(f"/api/v1/offers/{offer.pk}", {"duration_days": 99},
                        content_type="application/json")
    assert refused.status_code == 422
