"""Two nations, two languages, one act of mutual aid: the CalGuard duty officer (English) asks
for hand crews for a California wildfire and releases the request to Mexico; the DEFENSA
liaison (Spanish browser) offers them; both sign the three-part agreement over the same hash;
DEFENSA sends the team by road through a port of entry, is stopped at "arrived and cleared"
until the host's crossing items are recorded, and the team is checked in, onboarded,
assigned and demobilized — with no console error (the CSP allows no inline script or
style)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from accounts.models import Organization, Role, User
from accounts.reference import load_reference
from response.models import (
    AidAgreement,
    CheckIn,
    Deployment,
    Offer,
    PortOfEntry,
    ResourceKind,
    ResourceRequest,
)
from response.reference import load_reference as load_response_reference
from response.services.deployments import CHECKLIST, DEFAULT_ONBOARDING
from response.tests.factories import make_incident

PASSWORD = "mutual-aid-across-the-line"
DS = Deployment.State
SENDER_ITEMS = [name for name, _label, side in CHECKLIST if side == "sending"]
HOST_ITEMS = [name for name, _label, side in CHECKLIST if side == "host"]


def spanish(text):
    """What the Spanish catalog makes of `text` (a lazy label or a msgid): the page shows
    this, in Spanish once the catalog translates it."""
    with translation.override("es"):
        return str(translation.gettext(text) if isinstance(text, str) else text)


def local_input(moment, user):
    """A datetime-local value: the moment on the user's clock."""
    return timezone.localtime(moment, ZoneInfo(user.time_zone)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def people(transactional_db):
    load_reference()
    load_response_reference()  # a transactional test may run after the migration data is gone
    users = {}
    for username, acronym, role, first, last, zone in (
            ("us.duty", "CalGuard", "duty_officer", "Dana", "Whitfield", "America/Los_Angeles"),
            ("mx.liaison", "DEFENSA", "liaison", "Sofía", "Ramírez Ortega", "America/Tijuana")):
        users[username] = User.objects.create_user(
            username=username, password=PASSWORD, email=f"{username}@x.test",
            first_name=first, last_name=last, time_zone=zone,
            organization=Organization.objects.get(acronym=acronym))
        users[username].groups.add(Role.objects.get(code=role))
    incident = make_incident(users["us.duty"], name="Palisades Fire",
                             started_at=timezone.now() - timedelta(days=2))
    return users["us.duty"], users["mx.liaison"], incident


def login(page, url, user):
    page.goto(url + "/")
    page.fill("#id_login", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_test_id("login").click()
    expect(page.get_by_test_id("logout")).to_be_visible()


def step(page, name, label):
    page.get_by_test_id(f"transition-{name}").click()
    expect(page.get_by_test_id("state").first).to_have_text(str(label))


def test_request_offer_agreement_and_deployment_across_the_border(live_server, people,
                                                                  open_page):
    url = live_server.url
    duty, liaison, incident = people
    now = timezone.now()
    crew = ResourceKind.objects.get(code="CREW-HAND-T2")
    engine = ResourceKind.objects.get(code="ENGINE-T3")
    defensa = Organization.objects.get(acronym="DEFENSA")
    port = PortOfEntry.objects.get(key="2504")  # San Ysidro: open 24 hours, no warning

    # ---- us.duty, English: the request, released to Mexico with disclosure approved ----
    us = open_page("en-US")
    login(us, url, duty)
    expect(us.locator("html")).to_have_attribute("lang", "en")
    us.goto(url + "/response/requests/")
    us.get_by_test_id("add-request").click()
    form = us.get_by_test_id("request-form")
    form.locator("#id_r-incident").select_option(str(incident.pk))
    form.locator("#id_r-kind").select_option(str(crew.pk))
    form.locator("#id_r-quantity").fill("2")
    form.locator("#id_r-needed_by").fill(local_input(now + timedelta(days=1), duty))
    form.locator("#id_r-reporting_location").fill("Palisades Fire ICP, Will Rogers State Beach")
    form.locator("#id_r-priority").select_option("urgent")
    form.locator("#id_r-special_instructions").fill("Self-sufficient for 72 hours.")
    form.locator("input[name='m-rel_to'][value='MEX']").check()
    form.locator("#id_m-disclosure").select_option("approved")
    form.locator("button[type=submit]").click()
    expect(us.get_by_test_id("state").first).to_have_text("Draft")
    resource_request = ResourceRequest.objects.get(incident=incident)
    number = resource_request.number
    expect(us.get_by_test_id("number")).to_have_text(number)
    step(us, "submit", "Submitted")
    resource_request.refresh_from_db()
    assert resource_request.state == ResourceRequest.State.SUBMITTED
    assert resource_request.disclosure == "approved"
    assert {n.code for n in resource_request.rel_to.all()} == {"USA", "MEX"}

    # ---- mx.liaison, Spanish: sees the request and offers against it ----
    mx = open_page("es-MX")
    login(mx, url, liaison)
    expect(mx.locator("html")).to_have_attribute("lang", "es")
    mx.goto(url + "/response/requests/")
    mx.get_by_test_id("requests").get_by_role("link", name=number).click()
    expect(mx.get_by_test_id("number")).to_have_text(number)
    mx.get_by_test_id("make-offer").click()
    offer_form = mx.get_by_test_id("offer-form")
    expect(offer_form).to_be_visible()
    expect(mx.locator("h1")).to_have_text(
        spanish("Offer resources for request %(number)s") % {"number": number})
    # What the request asks for reads in Spanish: the kind's and the incident's names.
    expect(mx.get_by_test_id("offer-for")).to_contain_text(crew.name_es)
    expect(mx.get_by_test_id("offer-for")).to_contain_text("Incendio Palisades Fire")
    expect(mx.get_by_test_id("offer-lines")).to_contain_text(spanish("Resources offered"))
    # The first line is what the request asks for: two crews of twenty.
    expect(offer_form.locator("#id_l-0-kind")).to_have_value(str(crew.pk))
    expect(offer_form.locator("#id_l-0-quantity")).to_have_value("2")
    expect(offer_form.locator("#id_l-0-headcount")).to_have_value("40")
    expect(offer_form.locator("#id_l-0-agency")).to_have_value(str(defensa.pk))
    offer_form.locator("#id_l-0-headcount").fill("42")
    offer_form.locator("#id_l-1-kind").select_option(str(engine.pk))
    offer_form.locator("#id_l-1-quantity").fill("1")
    offer_form.locator("#id_l-1-headcount").fill("4")
    offer_form.locator("#id_l-1-agency").select_option(str(defensa.pk))
    offer_form.locator("#id_o-self_sustaining").check()
    offer_form.locator("#id_o-available_from").fill(
        local_input(now + timedelta(hours=12), liaison))
    offer_form.locator("#id_o-cost_terms").select_option("donated")
    offer_form.locator("#id_o-conditions_es").fill("La brigada trae su propio equipo de "
                                                   "protección personal.")
    offer_form.locator("#id_o-conditions_en").fill("The crews bring their own PPE.")
    offer_form.locator("button[type=submit]").click()
    expect(mx.get_by_test_id("state").first).to_have_text(spanish(Offer.State.OFFERED.label))
    offer = Offer.objects.get(request=resource_request)
    assert offer.owner_nation.code == "MEX" and offer.disclosure == "approved"
    assert {n.code for n in offer.rel_to.all()} == {"MEX", "USA"}
    assert sorted((line.kind.code, line.quantity, line.headcount)
                  for line in offer.lines.all()) == [("CREW-HAND-T2", 2, 42), ("ENGINE-T3", 1, 4)]
    expect(mx.get_by_test_id("headcount")).to_have_text("46")
    expect(mx.get_by_test_id("conditions")).to_have_text(
        "La brigada trae su propio equipo de protección personal.")

    # ---- us.duty: reviews the offer, draws up the agreement, signs the request part ----
    us.goto(url + resource_request.get_absolute_url())
    us.get_by_test_id("request-offers").get_by_role("link", name=str(offer)).click()
    expect(us.get_by_test_id("conditions")).to_have_text("The crews bring their own PPE.")
    step(us, "review", "Under review")
    us.get_by_test_id("draw-up").click()
    expect(us.get_by_test_id("state").first).to_have_text("Awaiting signatures")
    agreement = AidAgreement.objects.get(offer=offer)
    text_hash = agreement.text_hash
    expect(us.get_by_test_id("text-hash")).to_have_text(text_hash)
    expect(us.get_by_test_id("sign-offer")).to_have_count(0)  # DEFENSA's part
    expect(us.get_by_test_id("sign-acceptance")).to_have_count(0)  # after the other two

    def sign(page, part, signer):
        page.get_by_test_id(f"sign-{part}").click()
        expect(page.get_by_test_id("confirm-hash")).to_have_text(text_hash)
        page.get_by_test_id("confirm-sign").click()
        expect(page.get_by_test_id(f"part-{part}")).to_contain_text(signer.get_full_name())

    sign(us, "request", duty)

    # ---- mx.liaison: signs the offer part, in Spanish ----
    mx.goto(url + agreement.get_absolute_url())
    expect(mx.get_by_test_id("text")).to_have_attribute("lang", "es")
    expect(mx.get_by_test_id("sign-request")).to_have_count(0)
    sign(mx, "offer", liaison)

    # ---- us.duty: signs the acceptance; the agreement is in force ----
    us.reload()
    sign(us, "acceptance", duty)
    expect(us.get_by_test_id("state").first).to_have_text("In force")
    hashes = us.get_by_test_id("signed-hash")
    expect(hashes).to_have_count(3)
    assert [hashes.nth(i).get_attribute("data-hash") for i in range(3)] == [text_hash] * 3
    expect(us.get_by_test_id("verified")).to_have_class("flag ok")
    # The requesting side does not send the team.
    expect(us.get_by_test_id("create-deployment")).to_have_count(0)
    agreement.refresh_from_db()
    assert agreement.state == AidAgreement.State.IN_FORCE
    assert {s.text_hash for s in agreement.signatures.all()} == {text_hash}
    assert agreement.signatures.count() == 3
    offer.refresh_from_db()
    resource_request.refresh_from_db()
    assert offer.state == Offer.State.ACCEPTED
    assert resource_request.state == ResourceRequest.State.FILLED

    # ---- mx.liaison: the deployment, by road through San Ysidro ----
    mx.reload()
    expect(mx.get_by_test_id("state").first).to_have_text(
        spanish(AidAgreement.State.IN_FORCE.label))
    mx.get_by_test_id("create-deployment").click()
    deployment_form = mx.get_by_test_id("deployment-form")
    deployment_form.locator("#id_name").fill("Contingente DEFENSA/CONAFOR Palisades")
    deployment_form.locator("input[name='transport'][value='ground']").check()
    deployment_form.locator("#id_port").select_option(str(port.pk))
    deployment_form.locator("#id_planned_crossing_at").fill(
        local_input(now + timedelta(hours=2), liaison))
    deployment_form.locator("#id_reception_site").fill("CAL FIRE Beaumont")
    deployment_form.locator("#id_carries_equipment").check()
    deployment_form.locator("button[type=submit]").click()
    expect(mx.get_by_test_id("state").first).to_have_text(spanish(DS.MOBILIZING.label))
    deployment = Deployment.objects.get(agreement=agreement)
    assert deployment.owner_nation.code == "MEX" and deployment.host_nation.code == "USA"
    assert deployment.port == port and deployment.transport == Deployment.Transport.GROUND
    expect(mx.get_by_test_id("port")).to_contain_text(port.name)
    expect(mx.get_by_test_id("crossing-warning")).to_have_count(0)
    # The deployment page in Spanish: its sections, and the onboarding items' own text.
    expect(mx.get_by_test_id("crossing-checklist")).to_contain_text(
        spanish("Crossing checklist"))
    expect(mx.get_by_test_id("onboarding")).to_contain_text(DEFAULT_ONBOARDING[0][1])

    mx.get_by_test_id("roster-add").click()
    roster_form = mx.get_by_test_id("roster-form")
    expect(roster_form.locator("#id_organization")).to_have_value(str(defensa.pk))
    roster_form.locator("#id_full_name").fill("Luis Pérez Hernández")
    roster_form.locator("#id_position").fill("Jefe de brigada")
    roster_form.locator("#id_languages").fill("es, en")
    roster_form.locator("#id_agency_id").fill("SEDENA-4471")
    roster_form.locator("button[type=submit]:not([name])").click()
    expect(mx.get_by_test_id("roster")).to_contain_text("Luis Pérez Hernández")
    member = deployment.roster.get()
    assert member.languages == "es,en"

    # The sending nation's crossing items; the host's are not its to record.
    for item in SENDER_ITEMS:
        mx.get_by_test_id(f"record-{item}").click()
        expect(mx.get_by_test_id(f"undo-{item}")).to_be_visible()
    for item in HOST_ITEMS:
        expect(mx.get_by_test_id(f"record-{item}")).to_have_count(0)
    step(mx, "in_transit", spanish(DS.IN_TRANSIT.label))
    missing = [spanish(label) for name, label, _side in CHECKLIST if name in HOST_ITEMS]
    expect(mx.get_by_test_id("transition-arrived")).to_be_disabled()
    for label in missing:
        expect(mx.get_by_test_id("refusal-arrived")).to_contain_text(label)

    # ---- us.duty, the host: "arrived and cleared" is refused until its items are done ----
    us.goto(url + deployment.get_absolute_url())
    expect(us.get_by_test_id("state").first).to_have_text("In transit")
    arrived = us.get_by_test_id("transition-arrived")
    expect(arrived).to_be_disabled()
    refusal = us.get_by_test_id("refusal-arrived")
    expect(refusal).to_contain_text("Entry at a designated port of entry or airport")
    expect(refusal).to_contain_text("Host acknowledgement: cleared to operate")
    expect(refusal).not_to_contain_text("Identity documents")
    # Posting it anyway (a stale page, say): the service refuses and says what is missing.
    arrived.evaluate("button => button.form.requestSubmit()")
    error = us.locator(".messages .error")
    expect(error).to_contain_text("Missing: Entry at a designated port of entry or airport; "
                                  "Host acknowledgement: cleared to operate.")
    deployment.refresh_from_db()
    assert deployment.state == DS.IN_TRANSIT and deployment.arrived_at is None

    for item in HOST_ITEMS:
        us.get_by_test_id(f"record-{item}").click()
        expect(us.get_by_test_id(f"undo-{item}")).to_be_visible()
    expect(us.get_by_test_id("refusal-arrived")).to_have_count(0)
    step(us, "arrived", "Arrived and cleared")

    # Check-in of the team member (ICS-211).
    us.get_by_test_id(f"check-in-{member.pk}").click()
    check_in = us.get_by_test_id("check-in-form")
    check_in.locator("#id_status").select_option(CheckIn.Status.CHECKED_IN)
    check_in.locator("#id_location").fill("CAL FIRE Beaumont")
    check_in.locator("button[type=submit]").click()
    expect(us.get_by_test_id("check-ins")).to_contain_text("CAL FIRE Beaumont")
    expect(us.get_by_test_id("check-ins")).to_contain_text("Checked in")
    assert member.check_ins.get().recorded_by == duty

    # ---- mx.liaison starts onboarding; us.duty completes it and records the assignment ----
    mx.reload()
    step(mx, "onboarding", spanish(DS.ONBOARDING.label))
    us.goto(url + deployment.get_absolute_url())
    expect(us.get_by_test_id("state").first).to_have_text("Onboarding")
    expect(us.get_by_test_id("transition-assigned")).to_be_disabled()
    expect(us.get_by_test_id("refusal-assigned")).to_contain_text(DEFAULT_ONBOARDING[0][0])
    for item in deployment.onboarding_items.order_by("pk"):
        us.get_by_test_id(f"onboarding-{item.pk}").click()
        expect(us.get_by_test_id(f"onboarding-{item.pk}")).to_have_text("Undo")
    step(us, "assigned", "Assigned")
    expect(us.get_by_test_id("clock-status")).to_have_text("Day 1 of 14")

    # ---- mx.liaison demobilizes the team; both pages show it ----
    mx.reload()
    step(mx, "demobilizing", spanish(DS.DEMOBILIZING.label))
    us.reload()
    expect(us.get_by_test_id("state").first).to_have_text("Demobilizing")
    deployment.refresh_from_db()
    assert deployment.state == DS.DEMOBILIZING
    assert deployment.departed_at <= deployment.arrived_at <= deployment.assigned_at \
        <= deployment.demobilized_at

    assert us.console_errors == [], us.console_errors
    assert mx.console_errors == [], mx.console_errors
