"""The requests, offers and agreements API: the whole flow by two nations, refusals in the one
error shape (in Spanish for a Spanish reader), 404 for what is not released, and lists without
N+1 queries."""


from core.models import Disclosure
from core.testing import error, ok
from response.models import AidAgreement, Offer, ResourceRequest
from response.services.agreements import draw_up_agreement
from response.tests.factories import make_incident, nations
from response.tests.test_aid_services import in_force, line, new_offer, submitted

JSON = "application/json"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type=JSON)


def test_the_whole_flow(client_for, duty, mx_liaison, incident):
    us, mx = client_for(duty), client_for(mx_liaison)
    created = ok(post(us, "/api/v1/resource-requests", {
        "incident": incident.pk, "kind": "CREW-HAND-T2", "quantity": 2,
        "needed_by": "2025-01-10T08:00:00-08:00", "reporting_location": "Palisades ICP",
        "priority": "urgent", "special_instructions": "Bring chainsaws",
        "marking": {"rel_to": ["MEX"], "disclosure": "approved"}}), 201)
    assert created["number"] == "USA-2025-0001" and created["state"] == "draft"
    assert created["requesting_organization"] == "CalGuard"
    assert {t["name"] for t in created["transitions"]} == {"submit", "cancel"}
    url = f"/api/v1/resource-requests/{created['id']}"
    patched = ok(us.patch(url, {"quantity": 3}, content_type=JSON))
    assert patched["quantity"] == 3
    submitted_ = ok(post(us, f"{url}/transitions/submit"))
    assert submitted_["state"] == "submitted"

    seen = ok(mx.get(url))
    assert seen["transitions"] == []
    offer = ok(post(mx, "/api/v1/offers", {
        "request": created["id"], "duration_days": 14,
        "available_from": "2025-01-09T10:00:00-08:00", "cost_terms": "donated",
        "conditions_en": "PPE needed", "conditions_es": "Se necesita EPP",
        "lines": [{"kind": "CREW-CONAFOR", "quantity": 1, "headcount": 30,
                   "agency": "CONAFOR"},
                  {"kind": "CREW-HAND-T2", "quantity": 2, "headcount": 42,
                   "agency": "DEFENSA"}]}), 201)
    assert offer["request"] == created["id"] and offer["headcount"] == 72
    assert offer["marking"] == {"owner": "MEX", "rel_to": ["MEX", "USA"],
                                "disclosure": "approved", "tlp": None}
    assert [t["name"] for t in offer["transitions"]] == ["withdraw"]
    assert offer["may_draw_up"] is False
    offer_url = f"/api/v1/offers/{offer['id']}"
    assert ok(us.get(offer_url))["may_draw_up"] is True
    assert ok(post(us, f"{offer_url}/transitions/review"))["state"] == "under_review"

    agreement = ok(post(us, f"{offer_url}/agreement"), 201)
    assert agreement["state"] == "awaiting" and agreement["verified"] is True
    assert agreement["request_number"] == "USA-2025-0001"
    assert "1. Solicitud: USA-2025-0001" in agreement["text_es"]
    a_url = f"/api/v1/aid-agreements/{agreement['id']}"
    ok(post(us, f"{a_url}/signatures/request"), 201)
    ok(post(mx, f"{a_url}/signatures/offer"), 201)
    done = ok(post(us, f"{a_url}/signatures/acceptance"), 201)
    assert done["state"] == "in_force" and done["verified"] is True
    assert [(s["part"], s["organization"]) for s in done["signatures"]] == [
        ("request", "CalGuard"), ("offer", "DEFENSA"), ("acceptance", "CalGuard")]
    assert {s["text_hash"] for s in done["signatures"]} == {done["text_hash"]}
    assert ok(mx.get(a_url))["signatures"][1]["signer"] == mx_liaison.username
    assert ok(us.get(url))["state"] == "partially_filled"  # 2 typed crews of 3; no substitutes
    assert ok(us.get(offer_url))["state"] == "accepted"

    amended = ok(post(us, f"{a_url}/amendments", {
        "reason": "Third crew joins", "lines": [{}, {"quantity": 3, "headcount": 63}]}), 201)
    assert amended["version"] == 2 and amended["amends"] == agreement["id"]
    assert amended["terms"]["lines"][1]["quantity"] == 3
    for part, client in (("request", us), ("offer", mx), ("acceptance", us)):
        ok(post(client, f"/api/v1/aid-agreements/{amended['id']}/signatures/{part}"), 201)
    assert ok(us.get(a_url))["state"] == "superseded"
    assert ok(us.get(a_url))["amended_by"] == amended["id"]
    assert ok(us.get(url))["state"] == "filled"
    assert ok(post(us, f"{url}/transitions/close"))["state"] == "closed"


class TestRefusals:
    def test_illegal_transition_names_the_state(self, client_for, duty, incident):
        request = submitted(duty, incident)
        body = error(post(client_for(duty),
                          f"/api/v1/resource-requests/{request.pk}/transitions/close"), 422)
        assert "submitted" in body["errors"][0]["message"]
        body = error(post(client_for(duty),
                          f"/api/v1/resource-requests/{request.pk}/transitions/cancel"), 422)
        assert body["errors"][0]["field"] == "reason"

    def test_partner_may_not_transition(self, client_for, duty, mx_liaison, incident):
        request = submitted(duty, incident)
        error(post(client_for(mx_liaison),
                   f"/api/v1/resource-requests/{request.pk}/transitions/cancel",
                   {"reason": "no"}), 403)

    def test_wrong_organization_order_and_double_signing(self, client_for, duty, mx_liaison,
                                                         incident):
        agreement = draw_up_agreement(duty, new_offer(mx_liaison, submitted(duty,
                                                                                incident)))
        url = f"/api/v1/aid-agreements/{agreement.pk}/signatures"
        us, mx = client_for(duty), client_for(mx_liaison)
        error(post(mx, f"{url}/request"), 403)
        error(post(us, f"{url}/offer"), 403)
        body = error(post(us, f"{url}/acceptance"), 422)
        assert body["errors"][0]["field"] == "part"
        ok(post(us, f"{url}/request"), 201)
        error(post(us, f"{url}/request"), 422)
        body = error(post(us, f"{url}/witness"), 422)
        assert body["errors"][0]["field"] == "part"

    def test_tampered_agreement_is_not_signed(self, client_for, duty, mx_liaison, incident):
        agreement = draw_up_agreement(duty, new_offer(mx_liaison, submitted(duty,
                                                                                incident)))
        AidAgreement.objects.filter(pk=agreement.pk).update(text_en="We promise nothing.")
        url = f"/api/v1/aid-agreements/{agreement.pk}"
        assert ok(client_for(duty).get(url))["verified"] is False
        body = error(post(client_for(duty), f"{url}/signatures/request"), 422)
        assert "no longer matches" in body["errors"][0]["message"]

    def test_amending_an_agreement_not_in_force(self, client_for, duty, mx_liaison, incident):
        agreement = draw_up_agreement(duty, new_offer(mx_liaison, submitted(duty,
                                                                                incident)))
        body = error(post(client_for(duty), f"/api/v1/aid-agreements/{agreement.pk}/amendments",
                          {"reason": "x", "duration_days": 20}), 422)
        assert "awaiting signatures" in body["errors"][0]["message"]

    def test_offer_lines_in_the_error_shape(self, client_for, duty, mx_liaison, incident):
        request = submitted(duty, incident)
        body = error(post(client_for(mx_liaison), "/api/v1/offers", {
            "request": request.pk, "duration_days": 14, "available_from": "2025-01-09T10:00Z",
            "cost_terms": "donated",
            "lines": [{"kind": "CREW-HAND-T2", "quantity": 1, "agency": "CalGuard"}]}), 422)
        assert body["errors"] == [{"field": "lines",
                                   "message": "Line 1: the agency must be of your nation."}]
        body = error(post(client_for(mx_liaison), "/api/v1/offers", {
            "request": request.pk, "duration_days": 14, "available_from": "2025-01-09T10:00Z",
            "cost_terms": "donated", "lines": []}), 422)
        assert body["errors"][0]["field"] == "lines"

    def test_what_is_not_released_is_404(self, client_for, duty, mx_liaison, incident):
        request = submitted(duty, incident, rel_to=[], disclosure=Disclosure.NOT_REVIEWED)
        mx = client_for(mx_liaison)
        error(mx.get(f"/api/v1/resource-requests/{request.pk}"), 404)
        error(post(mx, f"/api/v1/resource-requests/{request.pk}/transitions/cancel"), 404)
        body = error(post(mx, "/api/v1/offers", {
            "request": request.pk, "duration_days": 14, "available_from": "2025-01-09T10:00Z",
            "cost_terms": "donated",
            "lines": [{"kind": "CREW-HAND-T2", "quantity": 1, "agency": "DEFENSA"}]}), 422)
        assert body["errors"][0]["field"] == "request"


def test_spanish_errors(client_for, persona_of, duty, mx_liaison, incident):
    spanish = client_for(mx_liaison, headers={"Accept-Language": "es"})
    body = error(post(spanish, "/api/v1/resource-requests", {"incident": incident.pk}), 422)
    assert body["detail"] == "La solicitud no es válida."
    assert {"field": "kind", "message": "Este campo es obligatorio."} in body["errors"]
    viewer = client_for(persona_of("viewer", "MEX"),
                        headers={"Accept-Language": "es"})
    request = submitted(duty, incident)
    body = error(post(viewer, "/api/v1/offers", {
        "request": request.pk, "duration_days": 14, "available_from": "2025-01-09T10:00Z",
        "cost_terms": "donated",
        "lines": [{"kind": "CREW-HAND-T2", "quantity": 1, "agency": "DEFENSA"}]}), 403)
    assert body["detail"] == "Su rol no permite esta acción."
    assert error(spanish.get("/api/v1/aid-agreements/999999"), 404)["detail"] == \
        "No encontrado."


def test_filters(client_for, duty, mx_liaison, incident):
    other = make_incident(duty, name="Eaton Fire")
    urgent = submitted(duty, incident, priority="urgent")
    routine = submitted(duty, other, priority="routine", kind="ENGINE-T3")
    offer = new_offer(mx_liaison, urgent, [line(kind="CREW-CONAFOR", agency="CONAFOR")])
    client = client_for(duty)

    def ids(url, **query):
        return {item["id"] for item in ok(client.get(url, query))["items"]}

    assert ids("/api/v1/resource-requests", priority="urgent") == {urgent.pk}
    assert ids("/api/v1/resource-requests", kind="ENGINE-T3") == {routine.pk}
    assert ids("/api/v1/resource-requests", incident=other.pk) == {routine.pk}
    assert ids("/api/v1/resource-requests", nation="MEX") == set()
    assert ids("/api/v1/offers", kind="CREW-CONAFOR", nation="MEX") == {offer.pk}
    assert ids("/api/v1/offers", incident=other.pk) == set()
    assert ids("/api/v1/offers", state="offered", request=urgent.pk) == {offer.pk}
    agreement = in_force(duty, mx_liaison, routine, [line(kind="ENGINE-T3")])
    assert ids("/api/v1/aid-agreements", state="in_force") == {agreement.pk}
    assert ids("/api/v1/aid-agreements", incident=incident.pk) == set()
    error(client.get("/api/v1/resource-requests", {"state": "nonsense"}), 422)


def test_lists_make_a_fixed_number_of_queries(client_for, duty, mx_liaison, incident,
                                              django_assert_max_num_queries):
    for n in range(6):
        request = submitted(duty, incident, quantity=1)
        if n % 2:
            in_force(duty, mx_liaison, request, [line(quantity=1), line(kind="CREW-CONAFOR",
                                                                        agency="CONAFOR")])
        else:
            new_offer(mx_liaison, request)
    client = client_for(mx_liaison)
    for url, count in (("/api/v1/resource-requests", 6), ("/api/v1/offers", 6),
                       ("/api/v1/aid-agreements", 3)):
        with django_assert_max_num_queries(12):
            assert len(ok(client.get(url))["items"]) == count


def test_marking_endpoints(client_for, persona_of, duty, mx_liaison, incident):
    request = submitted(duty, incident, rel_to=[], disclosure=Disclosure.NOT_REVIEWED)
    marking = ok(client_for(duty).put(f"/api/v1/resource-requests/{request.pk}/marking",
                                      {"rel_to": ["MEX"], "disclosure": "approved"},
                                      content_type=JSON))
    assert marking["rel_to"] == ["MEX", "USA"]
    assert ok(client_for(mx_liaison).get(f"/api/v1/resource-requests/{request.pk}"))
    mx_duty = persona_of("duty_officer", "MEX")
    offer = new_offer(mx_duty, request)
    body = error(client_for(mx_duty).put(f"/api/v1/offers/{offer.pk}/marking",
                                         {"rel_to": [], "disclosure": "in_review"},
                                         content_type=JSON), 422)
    assert body["errors"][0]["field"] == "disclosure"
    error(client_for(duty).put(f"/api/v1/offers/{offer.pk}/marking",
                               {"rel_to": ["MEX"], "disclosure": "approved"},
                               content_type=JSON), 403)
    assert Offer.objects.get(pk=offer.pk).disclosure == Disclosure.APPROVED
    assert set(ResourceRequest.objects.get(pk=request.pk).rel_to.all()) == \
        set(nations("USA", "MEX"))
