"""Demo mutual aid: two stories, both directions, every lifecycle state.

A. Mexico helps California, January 2025 (recorded from the public sources in the project's
   scenario notes): the Palisades and Eaton fires; Cal OES asks for hand crews; Mexico offers its
   72-person task force (CONAFOR, DEFENSA's emergency battalion, civil protection coordinators,
   liaisons, two Air Force aircraft); the three-part agreement is signed; the contingent flies
   from Santa Lucía into LAX on 11 Jan, is oriented at CAL FIRE's Beaumont centre, works the
   Palisades Fire from 13 Jan and is home on 25 Jan.
B. California helps Baja California Sur after a hurricane at Los Cabos (an exercise built on
   Hurricane Odile, dated relative to today so the live screens have data): Baja California Sur
   asks for water purification, generators, building-safety evaluators and shelter management;
   Cal OES and CalGuard offer; a Cal OES convoy crosses at Otay Mesa and is on assignment now,
   a CalGuard C-130 is in the air, other offers wait, were declined or withdrawn.

Some records stay US-only or Mexico-only, so each nation's view differs. Names of people are
illustrative. Everything goes through the mutual-aid services as the demo users, so guards,
signatures and history apply, each step dated when it happened (`core.demo.happened_at`): the
January 2025 agreement signed on 10 January 2025, the exercise's steps in the days since its
landfall. Idempotent: nothing is made when the Palisades Fire exists.
"""

from datetime import UTC, datetime, timedelta

from django.db.models import F
from django.utils import timezone

from accounts.models import Nation, Organization
from core.demo import IN_USE_SINCE, happened_at, on
from core.models import Disclosure, Notification
from response.models import Incident, Offer, PortOfEntry, ResourceKind, RosterMember
from response.reference import load_reference
from response.services import allocation, deployments, incidents
from response.services.agreements import draw_up_agreement, sign_agreement
from response.services.offers import create_offer, transition_offer
from response.services.requests import create_request, transition_request

APPROVED = Disclosure.APPROVED
PLACES = {  # (latitude, longitude), from the curated places file
    "Sacramento": (38.5816, -121.4944), "Camp Roberts": (35.7872, -120.7462),
    "Los Alamitos": (33.7911, -118.0514), "Moffett Field": (37.4161, -122.0490),
    "Riverside": (33.9533, -117.3962), "Redding": (40.5865, -122.3917),
    "Ensenada": (31.8667, -116.5964), "Tecate": (32.5672, -116.6251),
    "Mexicali": (32.6245, -115.4523), "Tijuana": (32.5149, -117.0382),
    "La Paz": (24.1426, -110.3128),
}
# Illustrative rosters: given names and surnames combined in order.
GIVEN = ["Luis", "María", "José", "Ana", "Carlos", "Laura", "Jorge", "Sofía", "Miguel",
         "Fernanda", "Ricardo", "Paola", "Andrés", "Diana", "Raúl", "Elena", "Héctor", "Rosa"]
SURNAMES = ["Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez",
            "Sánchez", "Ramírez", "Cruz", "Flores", "Gómez", "Morales", "Vázquez", "Reyes",
            "Jiménez", "Torres", "Díaz", "Ruiz", "Mendoza"]
US_GIVEN = ["Michael", "Jennifer", "David", "Sarah", "James", "Emily", "Robert", "Jessica",
            "Daniel", "Ashley", "Kevin", "Megan"]
US_SURNAMES = ["Johnson", "Nguyen", "Garcia", "Smith", "Kim", "Brown", "Lopez", "Patel",
               "Miller", "Davis", "Wilson", "Anderson"]


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def _names(given, surnames, count, offset=0):
    """`count` names from the `offset`-th on, each different from the others (up to
    len(given) × len(surnames) of them)."""
    return [f"{given[k % len(given)]} {surnames[(k // len(given) + 7 * k) % len(surnames)]}"
            for k in range(offset, offset + count)]


def _org(acronym):
    return Organization.objects.get(acronym=acronym)


def _kind(code):
    return ResourceKind.objects.get(code=code)


def load(users):
    load_reference()  # ports and kinds come with the migrations; a flushed database lacks them
    if Incident.objects.filter(name_en="Palisades Fire").exists():
        return
    mex, usa = Nation.objects.get(code="MEX"), Nation.objects.get(code="USA")
    with happened_at(on(IN_USE_SINCE)):
        _units(users, mex, usa)
    _los_angeles_fires(users, mex, usa)
    now = timezone.now()
    _los_cabos_hurricane(users, mex, usa, now)
    _allocation_proposal(users)
    # Notices of what happened more than a day ago were read two hours after they came.
    Notification.objects.filter(read_at=None, created_at__lt=now - timedelta(days=1)).update(
        read_at=F("created_at") + timedelta(hours=2))


# ---- Units ----------------------------------------------------------------------------------

def _unit(user, name, kind, place, headcount, rel_to, **extra):
    lat, lon = PLACES[place]
    return incidents.create_unit(
        user, name=name, organization=extra.pop("organization", user.organization),
        kind=_kind(kind), home_base=place, home_latitude=lat, home_longitude=lon,
        headcount=headcount, rel_to=rel_to, disclosure=APPROVED if rel_to else
        Disclosure.NOT_REVIEWED, **extra)


def _units(users, mex, usa):
    duty, caloes, liaison = users["us.duty"], users["us.caloes"], users["mx.liaison"]
    for name, place, held in (("Task Force Rattlesnake, crew 1", "Camp Roberts", False),
                              ("Task Force Rattlesnake, crew 2", "Camp Roberts", False),
                              ("Task Force Rattlesnake, crew 3", "Los Alamitos", True)):
        _unit(duty, name, "MIL-HAND-CREW", place, 15, [mex], languages="en,es",
              cross_border_eligible=not held, held_for_home_coverage=held,
              qualifications="NWCG FFT2; S-130/S-190")
    _unit(duty, "129th Rescue Wing C-130J", "MIL-AIRLIFT-C130", "Moffett Field", 8, [mex],
          languages="en", cross_border_eligible=True, air_capable=True)
    _unit(duty, "40th Infantry Division engineer platoon", "ENG-HEAVY-EQUIP", "Los Alamitos",
          30, [], languages="en", qualifications="Heavy equipment operators")
    _unit(caloes, "Cal OES water purification team", "WATER-PURIFICATION", "Sacramento", 6,
          [mex], languages="en,es", cross_border_eligible=True)
    _unit(caloes, "Cal OES generator strike team", "GENERATOR", "Riverside", 12, [mex],
          languages="en", cross_border_eligible=True)
    _unit(caloes, "California Task Force 6 (USAR)", "USAR-TF-T1", "Riverside", 70, [mex],
          languages="en,es", cross_border_eligible=True, air_capable=True)
    _unit(caloes, "CAL FIRE Shasta-Trinity hand crew", "CREW-HAND-T1", "Redding", 20, [],
          organization=_org("CAL FIRE"), languages="en", held_for_home_coverage=True)
    _unit(liaison, "CONAFOR brigada Ensenada", "CREW-CONAFOR", "Ensenada", 30, [usa],
          organization=_org("CONAFOR"), languages="es", cross_border_eligible=True)
    _unit(liaison, "CONAFOR brigada Tecate", "CREW-CONAFOR", "Tecate", 30, [usa],
          organization=_org("CONAFOR"), languages="es,en", cross_border_eligible=True)
    _unit(liaison, "Batallón de Atención a Emergencias, Mexicali", "MIL-BAE", "Mexicali", 32,
          [usa], languages="es", cross_border_eligible=True, air_capable=True)
    _unit(users["mx.bc"], "Protección Civil Tijuana, grupo de rescate", "USAR-TF-T3",
          "Tijuana", 24, [], languages="es", qualifications="Rescate en estructuras colapsadas")


# ---- A. The Los Angeles fires, January 2025 --------------------------------------------------

def _los_angeles_fires(users, mex, usa):
    caloes, liaison = users["us.caloes"], users["mx.liaison"]
    with happened_at(utc(2025, 1, 7, 19, 15)):
        palisades = incidents.create_incident(
            caloes, name_en="Palisades Fire", name_es="Incendio Palisades",
            kind=Incident.Kind.WILDFIRE, latitude=34.0702, longitude=-118.5445, country=usa,
            state_region="CA", municipality="Los Angeles", started_at=utc(2025, 1, 7, 18, 30),
            ics_number="CA-LFD-000001", host_agency=_org("CAL FIRE"),
            status=Incident.Status.CLOSED, rel_to=[mex], disclosure=APPROVED)
    with happened_at(utc(2025, 1, 8, 3)):
        eaton = incidents.create_incident(
            caloes, name_en="Eaton Fire", name_es="Incendio Eaton", kind=Incident.Kind.WILDFIRE,
            latitude=34.205, longitude=-118.088, country=usa, state_region="CA",
            municipality="Altadena", started_at=utc(2025, 1, 8, 2, 18),
            ics_number="CA-LAC-000002", host_agency=_org("CAL FIRE"),
            status=Incident.Status.CLOSED, rel_to=[mex], disclosure=APPROVED)

    with happened_at(utc(2025, 1, 10, 3)):
        crews = _request(caloes, palisades, "CREW-HAND-T2", 4, utc(2025, 1, 12, 16), [mex],
                         "Palisades Fire ICP, Zuma Beach", priority="urgent",
                         substitutes_acceptable=True,
                         special_instructions="Crews embed with CAL FIRE hand crews; PPE issued "
                                              "at the ICP. 12- or 24-hour shifts.")
    # US-only: a task force asked for and then found at home.
    with happened_at(utc(2025, 1, 8, 15)):
        usar = _request(caloes, eaton, "USAR-TF-T1", 1, utc(2025, 1, 9, 16), [],
                        "Eaton Fire ICP, Santa Anita Park", priority="high")
    with happened_at(utc(2025, 1, 9, 20)):
        transition_request(caloes, usar, "cancel",
                               reason="Filled by California Task Force 6.")

    with happened_at(utc(2025, 1, 10, 14)):
        offer = create_offer(
            liaison, request=crews, lines=[
                {"kind": _kind("CREW-CONAFOR"), "quantity": 1, "headcount": 30,
                 "agency": _org("CONAFOR")},
                {"kind": _kind("MIL-BAE"), "quantity": 1, "headcount": 32,
                 "agency": _org("DEFENSA")},
                {"kind": _kind("LIAISON-INTERP"), "quantity": 2, "headcount": 8,
                 "agency": _org("CNPC")},
                {"kind": _kind("MIL-AIRLIFT-C27J"), "quantity": 1, "headcount": 1,
                 "agency": _org("DEFENSA")},
                {"kind": _kind("MIL-AIRLIFT-C130"), "quantity": 1, "headcount": 1,
                 "agency": _org("DEFENSA")},
            ], self_sustaining=False, duration_days=14, available_from=utc(2025, 1, 11, 14),
            cost_terms=Offer.CostTerms.DONATED,
            conditions_en="Plan DN-III-E and CONAFOR. California issues PPE and supplements "
                          "ground equipment. The contingent works embedded in US hand crews.",
            conditions_es="Plan DN-III-E y CONAFOR. California entrega equipo de protección "
                          "personal y complementa el equipo terrestre. El contingente trabaja "
                          "integrado en brigadas estadounidenses.")
    with happened_at(utc(2025, 1, 10, 15)):
        transition_offer(caloes, offer, "review")
    agreement = _agreement(caloes, liaison, offer, utc(2025, 1, 10, 16))

    with happened_at(utc(2025, 1, 10, 18, 30)):
        deployment = deployments.create_deployment(
            liaison, agreement, name="Misión Cehui — CONAFOR, DEFENSA and CNPC task force",
            transport="air", arrival_airport="Los Angeles International Airport (LAX)",
            planned_crossing_at=utc(2025, 1, 11, 23), reception_site="CAL FIRE logistics centre, "
            "Beaumont", carries_equipment=True, departed_at=utc(2025, 1, 11, 14))
        _roster(liaison, deployment, [("CONAFOR", 30, "Combatiente de incendios forestales"),
                                      ("DEFENSA", 32, "Batallón de Atención a Emergencias"),
                                      ("CNPC", 8, "Coordinación y enlace"),
                                      ("DEFENSA", 2, "Tripulación, Fuerza Aérea Mexicana")])
    with happened_at(utc(2025, 1, 12, 18)):
        deployments.update_deployment(liaison, deployment, assignment_division="Division Z",
                                      assignment_crew="Embedded with CAL FIRE hand crews",
                                      supervisor="CAL FIRE IMT 2, Operations")
    _walk(liaison, caloes, deployment, "closed", {
        "prepared": utc(2025, 1, 10, 20), "in_transit": utc(2025, 1, 11, 14),
        "arrived": utc(2025, 1, 11, 23), "onboarding": utc(2025, 1, 12, 2),
        "assigned": utc(2025, 1, 13, 15), "demobilizing": utc(2025, 1, 24, 16),
        "returned": utc(2025, 1, 25, 22), "closed": utc(2025, 2, 20, 18)},
        location="Palisades Fire, Topanga Canyon")
    with happened_at(utc(2025, 2, 20, 19)):
        transition_request(caloes, crews, "close")


# ---- B. Hurricane at Los Cabos (exercise), now ----------------------------------------------

def _los_cabos_hurricane(users, mex, usa, now):
    bcs, caloes, duty = users["mx.bcs"], users["us.caloes"], users["us.duty"]
    landfall = now - timedelta(days=6)
    with happened_at(landfall + timedelta(hours=1)):
        hurricane = incidents.create_incident(
            bcs, name_en="Hurricane ODILE-X (exercise) — Los Cabos",
            name_es="Huracán ODILE-X (ejercicio) — Los Cabos", kind=Incident.Kind.HURRICANE,
            latitude=22.89, longitude=-109.92, country=mex, state_region="BCS",
            municipality="Los Cabos", started_at=landfall, ics_number="BCS-2026-ODX",
            host_agency=_org("PC-BCS"), rel_to=[usa], disclosure=APPROVED)
        # A Mexico-only record: the state's own shelter census, not released.
        incidents.create_incident(
            bcs, name_en="Shelter census, La Paz", name_es="Censo de refugios, La Paz",
            kind=Incident.Kind.OTHER, latitude=24.1426, longitude=-110.3128, country=mex,
            state_region="BCS", municipality="La Paz", started_at=landfall,
            host_agency=_org("PC-BCS"))
    site = "Centro de operaciones, San José del Cabo"
    need = landfall + timedelta(days=2)
    with happened_at(landfall + timedelta(hours=3)):
        water = _request(bcs, hurricane, "WATER-PURIFICATION", 2, need, [usa], site, "urgent")
        power = _request(bcs, hurricane, "GENERATOR", 10, need, [usa], site, "urgent")
        inspectors = _request(bcs, hurricane, "BLDG-SAFETY-EVAL", 4, need + timedelta(days=1),
                              [usa], site, "high")
        shelters = _request(bcs, hurricane, "SHELTER-MGMT", 2, need + timedelta(days=1), [usa],
                            site, "high")
        comms = _request(bcs, hurricane, "COMMS-MOBILE", 1, need, [usa], site, "urgent")
    with happened_at(landfall + timedelta(hours=20)):
        transition_request(bcs, comms, "unable_to_fill",
                               reason="Satellite units restored by the carrier before any offer.")
    with happened_at(landfall + timedelta(hours=5)):
        _request(bcs, hurricane, "MED-TEAM-FIELD", 1, need, [], site, "routine", submit=False)

    start = landfall + timedelta(days=1, hours=6)
    with happened_at(start - timedelta(hours=20)):
        convoy_offer = create_offer(
            caloes, request=water, lines=[
                {"kind": _kind("WATER-PURIFICATION"), "quantity": 2, "headcount": 6,
                 "agency": _org("CalOES")}],
            self_sustaining=True, duration_days=14, available_from=start,
            cost_terms=Offer.CostTerms.REIMBURSABLE, estimated_cost="84000.00",
            conditions_en="Self-sustaining for 14 days. Convoy of 4 vehicles through Otay Mesa.",
            conditions_es="Autosuficiente por 14 días. Convoy de 4 vehículos por Otay Mesa.")
        generators = create_offer(
            caloes, request=power, lines=[
                {"kind": _kind("GENERATOR"), "quantity": 6, "headcount": 12,
                 "agency": _org("CalOES")}],
            self_sustaining=True, duration_days=14, available_from=start,
            cost_terms=Offer.CostTerms.REIMBURSABLE, estimated_cost="126000.00")
        airlift = create_offer(
            duty, request=shelters, lines=[
                {"kind": _kind("SHELTER-MGMT"), "quantity": 2, "headcount": 10,
                 "agency": _org("CalGuard")},
                {"kind": _kind("MIL-AIRLIFT-C130"), "quantity": 1, "headcount": 8,
                 "agency": _org("CalGuard")}],
            self_sustaining=True, duration_days=10, available_from=start,
            cost_terms=Offer.CostTerms.REIMBURSABLE,
            conditions_en="Guard members on Title 10 orders; SPP channel through the Bilateral "
                          "Affairs Officer; Senate authorization for foreign troops pending.",
            conditions_es="Integrantes de la Guardia con órdenes del Título 10; canal del SPP a "
                          "través del Oficial de Asuntos Bilaterales; autorización del Senado para "
                          "tropas extranjeras pendiente.")
        inspect_offer = create_offer(
            caloes, request=inspectors, lines=[
                {"kind": _kind("BLDG-SAFETY-EVAL"), "quantity": 4, "headcount": 8,
                 "agency": _org("CalOES")}],
            duration_days=7, available_from=start + timedelta(days=1),
            cost_terms=Offer.CostTerms.DONATED)
    with happened_at(start - timedelta(hours=14)):
        transition_offer(bcs, inspect_offer, "review")
    with happened_at(start - timedelta(hours=20)):
        usar = create_offer(
            caloes, request=inspectors, lines=[
                {"kind": _kind("USAR-TF-T1"), "quantity": 1, "headcount": 70,
                 "agency": _org("CalOES")}],
            duration_days=10, available_from=start, cost_terms=Offer.CostTerms.REIMBURSABLE)
    with happened_at(start - timedelta(hours=12)):
        transition_offer(bcs, usar, "decline",
                             reason="No collapsed structures reported; evaluators are needed.")
    with happened_at(start - timedelta(hours=20)):
        kitchen = create_offer(
            duty, incident=hurricane, lines=[
                {"kind": _kind("MIL-HAND-CREW"), "quantity": 1, "headcount": 15,
                 "agency": _org("CalGuard")}],
            duration_days=14, available_from=start, cost_terms=Offer.CostTerms.REIMBURSABLE,
            rel_to=[mex], disclosure=APPROVED)
    with happened_at(start):
        transition_offer(duty, kitchen, "withdraw", reason="Crews needed at home.")
    with happened_at(start - timedelta(hours=18)):
        create_offer(
            caloes, incident=hurricane, lines=[
                {"kind": _kind("LIAISON-INTERP"), "quantity": 2, "headcount": 2,
                 "agency": _org("CalOES")}],
            duration_days=14, available_from=start, cost_terms=Offer.CostTerms.DONATED,
            conditions_en="Bilingual liaisons for the state emergency operations centre.",
            conditions_es="Enlaces bilingües para el centro estatal de operaciones de emergencia.",
            rel_to=[mex], disclosure=APPROVED)

    with happened_at(start - timedelta(hours=16)):
        for offer in (convoy_offer, generators, airlift):
            transition_offer(bcs, offer, "review")
    convoy_agreement = _agreement(bcs, caloes, convoy_offer, start - timedelta(hours=12))
    with happened_at(start - timedelta(hours=9)):
        convoy = deployments.create_deployment(
            caloes, convoy_agreement, name="Cal OES water purification convoy",
            transport="ground", port=PortOfEntry.objects.get(key="2506-C"),
            planned_crossing_at=start + timedelta(hours=3),
            reception_site="Aeropuerto Internacional de Los Cabos, zona de carga",
            carries_equipment=True, departed_at=start - timedelta(hours=4))
        _roster(caloes, convoy, [("CalOES", 6, "Water treatment specialist")], us=True)
    _walk(caloes, bcs, convoy, "assigned", {
        "prepared": start - timedelta(hours=6), "in_transit": start - timedelta(hours=4),
        "arrived": start + timedelta(hours=4), "onboarding": start + timedelta(hours=5),
        "assigned": start + timedelta(hours=30)}, location="San José del Cabo, planta "
        "desalinizadora")
    power_agreement = _agreement(bcs, caloes, generators, start - timedelta(hours=11))
    airlift_agreement = _agreement(bcs, duty, airlift, start - timedelta(hours=10))
    day = timedelta(days=1)
    # (sender, agreement, name, transport, arrival, roster, target state, first move)
    for sender, agreement, name, transport, arrival, roster, target, moved in (
            (caloes, convoy.agreement, "Cal OES water purification relief crew", "ground",
             "", [("CalOES", 4, "Water treatment specialist")], "arrived", now - day / 4),
            (caloes, power_agreement, "Cal OES generator strike team", "air",
             "Los Cabos International Airport (SJD)",
             [("CalOES", 12, "Generator technician")], "onboarding", now - day / 2),
            (caloes, power_agreement, "Cal OES generator delivery flight", "air",
             "Los Cabos International Airport (SJD)", [("CalOES", 3, "Loadmaster")],
             "returned", start),
            (duty, airlift_agreement, "CalGuard C-130J aircrew", "air",
             "La Paz International Airport (LAP)", [("CalGuard", 8, "Aircrew")],
             "demobilizing", start),
            (duty, airlift_agreement, "CalGuard shelter management team", "air",
             "La Paz International Airport (LAP)",
             [("CalGuard", 10, "Shelter management")], "in_transit", now - day / 5),
            (caloes, power_agreement, "Cal OES generators, second rotation", "air",
             "Los Cabos International Airport (SJD)",
             [("CalOES", 12, "Generator technician")], "mobilizing", now + day)):
        with happened_at(min(moved - timedelta(hours=8), now)):
            deployment = deployments.create_deployment(
                sender, agreement, name=name, transport=transport,
                port=PortOfEntry.objects.get(key="2506-C") if transport == "ground" else None,
                arrival_airport=arrival, planned_crossing_at=moved + timedelta(hours=3),
                reception_site="Centro de operaciones, San José del Cabo",
                carries_equipment=transport == "ground", departed_at=moved
                if moved < now else None)
            _roster(sender, deployment, roster, us=True)
        if target != "mobilizing":
            _walk(sender, bcs, deployment, target, {
                "prepared": moved - timedelta(hours=2), "in_transit": moved,
                "arrived": moved + timedelta(hours=4), "onboarding": moved + timedelta(hours=5),
                "assigned": moved + timedelta(hours=20), "demobilizing": moved + 3 * day,
                "returned": moved + 3 * day + timedelta(hours=6)})


# ---- Helpers --------------------------------------------------------------------------------

def _request(user, incident, kind, quantity, needed_by, rel_to, location, priority="routine",
             submit=True, **extra):
    request = create_request(
        user, incident=incident, kind=_kind(kind), quantity=quantity, needed_by=needed_by,
        reporting_location=location, priority=priority, rel_to=rel_to,
        disclosure=APPROVED if rel_to else Disclosure.NOT_REVIEWED, **extra)
    if submit:
        transition_request(user, request, "submit")
    return request


def _agreement(requester, assistant, offer, drawn_up):
    """Draw up the agreement at `drawn_up` and sign its three parts in the two hours after:
    request, offer, acceptance (which brings it into force)."""
    with happened_at(drawn_up):
        agreement = draw_up_agreement(requester, offer)
    for signer, part, after in ((requester, "request", 30), (assistant, "offer", 60),
                                (requester, "acceptance", 120)):
        with happened_at(drawn_up + timedelta(minutes=after)):
            sign_agreement(signer, agreement, part)
    agreement.refresh_from_db()
    return agreement


def _roster(user, deployment, groups, us=False):
    """A person is on one team at a time, so each team draws people of its nation not yet on
    a roster (new names and agency IDs)."""
    given, surnames = (US_GIVEN, US_SURNAMES) if us else (GIVEN, SURNAMES)
    for acronym, count, position in groups:
        offset = RosterMember.objects.filter(owner_nation=deployment.owner_nation).count()
        for name in _names(given, surnames, count, offset):
            deployments.add_roster_member(
                user, deployment, full_name=name, organization=_org(acronym),
                position=position, languages="en,es" if offset % 5 == 0 else
                ("en" if us else "es"), agency_id=f"{acronym}-{offset + 1:04d}",
                credentials="Agency ID and qualification record checked")
            offset += 1


SENDER_ITEMS = ("host_notified", "identity_documents", "visas", "credentials",
                "customs_manifest")
HOST_ITEMS = ("designated_entry", "host_cleared")
ORDER = ("in_transit", "arrived", "onboarding", "assigned", "demobilizing", "returned",
         "closed")


def _walk(sender, host, deployment, target, times, location=""):
    """Take the deployment to `target` as it happened: the sender's checklist before leaving,
    the host's at arrival, onboarding, check-ins on arrival and assignment, a daily status and
    shifts while assigned, and costs before closing."""
    with happened_at(times["prepared"]):
        for item in SENDER_ITEMS:
            if item != "customs_manifest" or deployment.carries_equipment:
                deployments.record_checklist_item(sender, deployment, item,
                                                  at=times["prepared"])
    for name in ORDER:
        with happened_at(times[name]):
            _step(sender, host, deployment, name, times[name], location)
        if name == target:
            return


def _step(sender, host, deployment, name, moment, location):
    """One step of `_walk`, at `moment`."""
    if name == "arrived":
        for item in HOST_ITEMS:
            deployments.record_checklist_item(host, deployment, item, at=moment)
    if name == "assigned":
        for item in deployment.onboarding_items.all():
            deployments.complete_onboarding_item(host, deployment, item)
    if name == "closed":
        for category, description, amount in (
                ("travel", "Airlift and ground transport", "41250.00"),
                ("lodging", "Base camp meals and lodging", "18900.00")):
            deployments.add_cost(sender, deployment, category=category,
                                 description=description, amount=amount,
                                 reimbursement="donated")
    mover = host if name in ("arrived", "assigned") else sender
    deployments.transition_deployment(mover, deployment, name, at=moment)
    if name in ("arrived", "assigned"):
        for member in deployment.roster.all():
            deployments.check_in(host, member, status="checked_in" if name == "arrived"
                                 else "assigned", location=location or
                                 deployment.reception_site, at=moment)
    if name == "assigned":
        day = moment
        for n in range(3):
            deployments.record_shift(host, deployment,
                                     started_at=day + timedelta(days=n, hours=0),
                                     ended_at=day + timedelta(days=n, hours=12))
        deployments.record_daily_status(
            host, deployment, day=day.date(), personnel_on_duty=deployment.roster.count(),
            summary_en="On assignment; no injuries.",
            summary_es="En asignación; sin lesionados.")


# ---- An allocation proposal for the hurricane ------------------------------------------------

def _allocation_proposal(users):
    """Cal OES asks the optimizer who to send for what the hurricane's requests still lack:
    four generators (six of ten are covered) and four building-safety evaluation teams. Its
    generator teams drive through a port of entry, its evaluators fly; at least one of each
    organization's kind stays home (drawdown) and a bilingual team goes (liaison rule). Solved
    here, not by the job queue, so the page has a plan to review."""
    caloes = users["us.caloes"]
    hurricane = Incident.objects.get(ics_number="BCS-2026-ODX")
    for n, place in enumerate(("Riverside", "Riverside", "Sacramento", "Sacramento", "Riverside"),
                              start=2):
        _unit(caloes, f"Cal OES generator strike team {n}", "GENERATOR", place, 12, [],
              languages="en,es" if n == 2 else "en", cross_border_eligible=True)
    for n, place in enumerate(("Sacramento", "Sacramento", "Riverside", "Riverside",
                               "Sacramento"), start=1):
        _unit(caloes, f"Cal OES safety assessment team {n}", "BLDG-SAFETY-EVAL", place, 2, [],
              languages="en,es" if n % 2 else "en", cross_border_eligible=True,
              air_capable=True, qualifications="Cal OES Safety Assessment Program evaluators")
    proposal = allocation.propose(caloes, incident=hurricane, time_limit=10)
    allocation.run_proposal(proposal.pk)
