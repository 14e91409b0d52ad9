"""Demo personnel: California National Guard units, about 4,500 members, and the 2025 sequence of
federalization, drawdowns, a court order, its stay and the return to state control.

The sequence follows the shape of the 2025 events in Los Angeles; names, order numbers and
counts are illustrative. Members and their baseline periods are bulk-created (with history
through `core.audit.log_bulk`); every order goes through `services.create_order` and
`services.apply_order` as the demo personnel officer `us.j1`, exactly as in the UI.

Units and members are dated from when the program began using Enlace, each order from the day
it was issued (`core.demo.happened_at`). Idempotent: units by code, members by service
number, orders by reference. Running it again creates, changes and applies nothing.
Everything is US-only (owner USA, releasable to USA).
"""

import random
from datetime import date, datetime
from zoneinfo import ZoneInfo

from auditlog.models import LogEntry

from accounts.models import Nation
from core.audit import acting_as, log_bulk
from core.bulk import insert
from core.demo import IN_USE_SINCE, happened_at, on
from core.services import apply_marking
from personnel import services
from personnel.models import DutyPeriod, DutyStatus, Member, Order, Qualification, Unit

SEED = 2025
PACIFIC = ZoneInfo("America/Los_Angeles")


def at(year, month, day, hour=0, minute=0):
    """A wall-clock moment in California."""
    return datetime(year, month, day, hour, minute, tzinfo=PACIFIC)


# Units ----------------------------------------------------------------------------------------
# (code, name, home station, parent code, kind, members in the demo)
ARMY, AIR = Member.Component.ARMY, Member.Component.AIR
UNITS = [
    ("JFHQ-CA", "Joint Force Headquarters, California National Guard", "Sacramento", None,
     "hq", 90),
    ("40ID", "40th Infantry Division Headquarters", "Joint Forces Training Base, Los Alamitos",
     "JFHQ-CA", "hq", 190),
    ("79IBCT", "79th Infantry Brigade Combat Team Headquarters", "San Diego", "40ID", "hq", 220),
    ("1-185AR", "1st Battalion, 185th Armor Regiment", "San Bernardino", "79IBCT", "armor", 590),
    ("1-160IN", "1st Battalion, 160th Infantry Regiment", "Inglewood", "79IBCT", "infantry",
     630),
    ("1-144FA", "1st Battalion, 144th Field Artillery Regiment",
     "Joint Forces Training Base, Los Alamitos", "79IBCT", "artillery", 450),
    ("578BEB", "578th Brigade Engineer Battalion", "Manhattan Beach", "79IBCT", "engineer", 430),
    ("49MP", "49th Military Police Brigade Headquarters", "Fairfield", "JFHQ-CA", "mp", 160),
    ("185MP", "185th Military Police Battalion", "Pittsburg", "49MP", "mp", 520),
    ("149CBRN", "149th Chemical, Biological, Radiological and Nuclear Battalion",
     "Camp San Luis Obispo", "JFHQ-CA", "cbrn", 270),
    ("40CAB", "40th Combat Aviation Brigade", "Fresno", "40ID", "aviation", 300),
    ("224SB", "224th Sustainment Brigade", "Long Beach", "JFHQ-CA", "sustainment", 500),
    ("144FW", "144th Fighter Wing", "Fresno Air National Guard Base", "JFHQ-CA", "fighter", 45),
    ("129RQW", "129th Rescue Wing", "Moffett Federal Airfield", "JFHQ-CA", "rescue", 40),
    ("146AW", "146th Airlift Wing", "Channel Islands Air National Guard Station", "JFHQ-CA",
     "airlift", 35),
    ("163ATKW", "163rd Attack Wing", "March Air Reserve Base", "JFHQ-CA", "attack", 30),
]
AIR_KINDS = {"fighter", "rescue", "airlift", "attack"}

# Specialty codes by unit kind: (enlisted, warrant, officer). MOS for the Army, AFSC for the Air.
ARMY_COMMON = ["25U", "42A", "68W", "88M", "92F", "92Y", "91B", "35F", "36B"]
SPECIALTIES = {
    "hq": (["25B", "35F", "42A", "92Y", "11B", "38B", "27D", "46S"], ["255A", "420A", "350F"],
           ["11A", "42B", "35D", "38A", "27A", "90A"]),
    "armor": (["19K", "19D", "91A", "11B"], ["915A"], ["19A", "19C"]),
    "infantry": (["11B", "11C", "11B", "11B", "68W"], ["915A"], ["11A"]),
    "artillery": (["13B", "13F", "13J", "13M"], ["131A"], ["13A"]),
    "engineer": (["12B", "12N", "12Y", "12W", "35F"], ["125D"], ["12A"]),
    "mp": (["31B", "31B", "31B", "31E"], ["311A"], ["31A"]),
    "cbrn": (["74D", "74D", "74D", "68W"], ["740A"], ["74A"]),
    "aviation": (["15T", "15U", "15R", "15P", "15Q"], ["153A", "153A", "154C"], ["15B", "15A"]),
    "sustainment": (["88M", "92A", "92F", "91B", "92G", "89B"], ["915A", "920A"],
                    ["90A", "92A", "88A"]),
    "fighter": (["2A3X3", "2A6X1", "2W1X1", "1N0X1", "3P0X1", "3D1X1"], [], ["11F3", "21A3"]),
    "rescue": (["1T2X1", "1A1X1", "2A5X1", "1Z1X1", "4N0X1"], [], ["11H3", "13DX"]),
    "airlift": (["1A2X1", "2A5X1", "2A6X1", "1A1X1", "3E7X1"], [], ["11M3", "21A3"]),
    "attack": (["1U0X1", "1N1X1", "1N0X1", "3D0X2", "3P0X1"], [], ["18R3", "14N3"]),
}

ARMY_GRADES = (
    ["E-1", "E-2", "E-3", "E-4", "E-5", "E-6", "E-7", "E-8", "E-9",
     "W-1", "W-2", "W-3", "W-4", "W-5", "O-1", "O-2", "O-3", "O-4", "O-5", "O-6"],
    [2, 4, 10, 26, 18, 12, 6.5, 2.3, 0.6, 0.6, 0.9, 0.6, 0.3, 0.1, 2, 3, 5, 2.5, 1.1, 0.4],
)
AIR_GRADES = (
    ["E-1", "E-2", "E-3", "E-4", "E-5", "E-6", "E-7", "E-8", "E-9",
     "O-1", "O-2", "O-3", "O-4", "O-5", "O-6"],
    [0.5, 2, 8, 14, 20, 18, 14, 4, 1.5, 1.5, 2, 6, 5, 2.5, 1],
)

# Surnames with the second language their families most often speak at home.
HISPANIC = ("García Hernández López Martínez González Rodríguez Pérez Sánchez Ramírez Torres "
            "Flores Rivera Gómez Díaz Cruz Morales Reyes Gutiérrez Ortiz Ramos Chávez Mendoza "
            "Ruiz Álvarez Castillo Jiménez Vásquez Romero Herrera Medina Aguilar Vargas Castro "
            "Guzmán Salazar Delgado Contreras Núñez Estrada Rojas Cervantes Ochoa Navarro "
            "Cortez Ibarra Soto Valenzuela Zamora Ávila Orozco Velasco Lara Acosta Fuentes "
            "Camacho Padilla Robles Sandoval Villalobos Espinoza Moreno Mejía Ayala Luna").split()
HISPANIC_FIRST = ("José Luis Carlos Juan Miguel Jorge Jesús Alejandro Daniel Diego Francisco "
                  "Antonio Ricardo Eduardo Fernando Javier Mario Andrés Óscar Adrián Héctor "
                  "Raúl Sergio Iván María Ana Guadalupe Sofía Daniela Alejandra Gabriela Adriana "
                  "Verónica Lucía Valeria Mariana Isabel Carmen Yesenia Marisol").split()
ANGLO = ("Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore "
         "Jackson Martin Thompson White Harris Clark Lewis Robinson Walker Young Allen King "
         "Wright Scott Hill Green Adams Baker Nelson Carter Mitchell Roberts Turner Phillips "
         "Campbell Parker Evans Edwards Collins Stewart Morris Murphy Cook Rogers Reed Bailey "
         "Bell Cooper Howard Ward Cox Richardson Wood Brooks Kelly Sanders Price Bennett Ross "
         "Foster Hughes Long Russell Griffin Hayes Myers Ford Hamilton Graham Sullivan Wallace "
         "West Cole Jordan Owens Reynolds Fisher Ellis Harrison Gibson McDonald Marshall "
         "Washington Freeman Henderson Coleman Simmons Patterson Jenkins Perry Powell").split()
FIRST = ("James John Robert Michael William David Richard Joseph Thomas Christopher Matthew "
         "Anthony Mark Steven Andrew Joshua Kevin Brian Ryan Jacob Tyler Brandon Justin "
         "Nicholas Aaron Marcus Dylan Emily Sarah Jessica Ashley Jennifer Amanda Megan Rachel "
         "Lauren Nicole Samantha Elizabeth Kayla Hannah Olivia Brianna Taylor Jasmine").split()
OTHER = [("vi", "Nguyen Tran Le Pham Hoang Vo Dang Bui".split()),
         ("ko", "Kim Park Choi Lee Jung Kang".split()),
         ("zh", "Wang Chen Liu Huang Zhang Lin Wu".split()),
         ("tl", "Santos Bautista Villanueva Manalo Dela-Cruz Aquino Mendoza Garcia".split()),
         ("pa", "Singh Kaur Gill Sandhu Dhillon".split()),
         ("hy", "Sarkisian Petrosyan Hakobyan Grigoryan".split())]
OTHER_FIRST = "Minh Linh Jin Min-jun Wei Mei Rafael Angelica Harpreet Gurpreet Aram Ani".split()


# The 2025 sequence --------------------------------------------------------------------------
FEDERALIZED = 4000
FIRST_RELEASE = 2000
SECOND_RELEASE = 1700
RELEASED_DESPITE_STAY = 100
# Hence under federal control: 300 on 1 Dec 2025, 200 on 16 Dec 2025, none on 1 Jan 2026.
# The last to be released are the 79th IBCT's two manoeuvre battalions.
RELEASE_RANK = {"1-160IN": 3, "1-185AR": 3, "79IBCT": 2, "1-144FA": 2, "578BEB": 2}

LEGAL_BASIS = "10 U.S.C. 12406"
REF_FEDERALIZATION = "SECDEF-12406-CA-2025-001"
REF_RELEASE_AUG = "SECDEF-12406-CA-2025-014"
REF_RELEASE_NOV = "SECDEF-12406-CA-2025-027"
REF_COURT = "N.D. Cal. 3:25-cv-04870-CRB (10 Dec 2025)"
REF_STAY = "9th Cir. administrative stay (Newsom v. Trump, Dec 2025)"
REF_RELEASE_DEC15 = "SECDEF-12406-CA-2025-033"
REF_RETURN = "SECDEF-12406-CA-2025-036"


def _member_specs():
    """Every demo member as a dict, always the same ones in the same order (seeded)."""
    rng = random.Random(SEED)
    specs, number = [], 100001
    for code, _name, _station, _parent, kind, count in UNITS:
        air = kind in AIR_KINDS
        enlisted, warrants, officers = SPECIALTIES[kind]
        grades, weights = AIR_GRADES if air else ARMY_GRADES
        for _ in range(count):
            grade = rng.choices(grades, weights)[0]
            if grade.startswith("O"):
                specialty = rng.choice(officers)
            elif grade.startswith("W"):
                specialty = rng.choice(warrants or officers)
            elif not air and rng.random() < 0.15:
                specialty = rng.choice(ARMY_COMMON)
            else:
                specialty = rng.choice(enlisted)
            roll = rng.random()
            if roll < 0.42:
                last, first = rng.choice(HISPANIC), rng.choice(HISPANIC_FIRST)
                languages = "en,es" if rng.random() < 0.75 else "en"
            elif roll < 0.82:
                last, first = rng.choice(ANGLO), rng.choice(FIRST)
                languages = "en,es" if rng.random() < 0.08 else "en"
            else:
                other, surnames = rng.choice(OTHER)
                last, first = rng.choice(surnames), rng.choice(OTHER_FIRST + FIRST)
                languages = f"en,{other}" if rng.random() < 0.5 else "en"
                if rng.random() < 0.1:
                    languages += ",es"
            agr = rng.random() < (0.35 if code == "JFHQ-CA" else 0.03)
            spec = {
                "service_number": f"CA{number}", "last_name": last.replace("-", " "),
                "first_name": first, "grade": grade, "component": AIR if air else ARMY,
                "unit": code, "specialty": specialty, "languages": languages, "agr": agr,
                "agr_since": at(rng.randint(2012, 2024), rng.randint(1, 12), 1) if agr else None,
                "passport_number": "", "passport_expires": None, "qualifications": [],
            }
            number += 1
            if rng.random() < 0.16:
                spec["passport_number"] = f"{rng.choice('ABCDE')}{rng.randint(10**7, 10**8 - 1)}"
                spec["passport_expires"] = date(rng.randint(2024, 2035), rng.randint(1, 12),
                                                rng.randint(1, 28))
            spec["qualifications"] = _qualifications(rng, spec, kind)
            specs.append(spec)
    return specs


def _qualifications(rng, spec, kind):
    quals = []

    def add(kind_, prefix, years, chance=1.0):
        if rng.random() >= chance:
            return
        issued = date(rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28))
        expires = issued.replace(year=issued.year + years) if years else None
        quals.append((kind_, f"{prefix}-{rng.randint(10000, 99999)}", issued, expires))

    air = spec["component"] == AIR
    if not air:
        add(Qualification.Kind.WILDLAND_FF, "FFT2", 1, 0.14)
        add(Qualification.Kind.WILDLAND_CREW_BOSS, "CRWB", 1, 0.015)
        add(Qualification.Kind.DRIVER, "DA348", 0, 0.2)
    if spec["specialty"] in ("68W", "4N0X1", "1T2X1"):
        add(Qualification.Kind.EMT, "NREMT", 2)
        add(Qualification.Kind.PARAMEDIC, "CA-P", 2, 0.08)
    if spec["specialty"] in ("88M", "92F", "89B", "12N"):
        add(Qualification.Kind.CDL, "CDL-A", 5, 0.35)
    if kind in ("aviation", "rescue") and spec["specialty"][:3] in ("15T", "15U", "15R", "153",
                                                                     "1A1", "1T2", "11H"):
        add(Qualification.Kind.HELICOPTER_CREW, "ACM", 1, 0.7)
    if "es" in spec["languages"].split(","):
        add(Qualification.Kind.INTERPRETER, "DLPT-ES", 2, 0.06)
    return quals


def _member_repr(member):
    return str(member)


def _period_repr(period):
    return f"{period.member_id}: {period.status} from {period.start:%Y-%m-%d %H:%M}"


def _load_units(officer, usa):
    units = {u.code: u for u in Unit.objects.filter(code__in=[u[0] for u in UNITS])}
    with acting_as(officer):
        for code, name, station, parent, _kind, _count in UNITS:
            if code in units:
                continue
            unit = Unit(code=code, name=name, station=station,
                        parent=units[parent] if parent else None, created_by=officer)
            apply_marking(unit, owner=usa, rel_to=[usa])
            units[code] = unit
    return units


def _load_members(officer, usa, units, specs):
    existing = set(Member.objects.filter(service_number__in=[s["service_number"] for s in specs])
                   .values_list("service_number", flat=True))
    new = [s for s in specs if s["service_number"] not in existing]
    if not new:
        return
    fields = ("service_number", "last_name", "first_name", "grade", "component", "specialty",
              "languages", "passport_number", "passport_expires")
    members = [Member(unit=units[s["unit"]], owner_nation=usa, created_by=officer,
                      **{f: s[f] for f in fields}) for s in new]
    insert(members)
    pk_of = dict(Member.objects.filter(service_number__in=[s["service_number"] for s in new])
                 .values_list("service_number", "pk"))
    for member in members:
        member.pk = pk_of[member.service_number]
        member._state.adding = False
    insert([Member.rel_to.through(member_id=m.pk, nation_id=usa.pk) for m in members])
    log_bulk(members, LogEntry.Action.CREATE, lambda m: {
        "service_number": [None, m.service_number], "grade": [None, m.grade],
        "unit": [None, m.unit.code], "owner_nation": [None, "USA"], "rel_to": [None, "USA"],
    }, officer, _member_repr)

    insert([Qualification(member=m, kind=k, reference=ref, issued_on=issued, expires_on=expires)
            for m, s in zip(members, new, strict=True)
            for k, ref, issued, expires in s["qualifications"]])
    log_bulk(list(Qualification.objects.filter(member__in=members)), LogEntry.Action.CREATE,
             lambda q: {"kind": [None, q.kind], "expires_on":
                        [None, q.expires_on.isoformat() if q.expires_on else None]},
             officer, lambda q: f"{q.member_id}: {q.kind}")

    # Baseline duty: AGR members on open-ended AGR Title 32 tours; a share of the others on
    # State Active Duty for the January 2025 Los Angeles wildfires. Nobody else has a period.
    rng = random.Random(SEED + 7)
    periods = []
    for member, spec in zip(members, new, strict=True):
        if spec["agr"]:
            periods.append(DutyPeriod(
                member=member, status=DutyStatus.AGR_T32, start=spec["agr_since"],
                pay_source="NGB (AGR)", orders_reference=f"AGR-{spec['service_number']}",
                mission="Full-time support", legal_basis="32 U.S.C. 502(f)"))
        elif member.component == ARMY and rng.random() < 0.14:
            periods.append(DutyPeriod(
                member=member, status=DutyStatus.SAD, start=at(2025, 1, 8 + rng.randint(0, 3)),
                end=at(2025, 2, rng.randint(7, 28)), pay_source="State of California",
                orders_reference="CA-SAD-2025-0108",
                mission="Los Angeles wildfires (Palisades and Eaton fires)",
                legal_basis="California Military and Veterans Code §146"))
        elif member.component == AIR and rng.random() < 0.3:
            periods.append(DutyPeriod(
                member=member, status=DutyStatus.T32_TRAINING, start=at(2025, 7, 12),
                end=at(2025, 7, 27), pay_source="Federal (ANG)",
                orders_reference="ANG-AT-2025", mission="Annual training",
                legal_basis="32 U.S.C. 502(a)"))
    insert(periods)
    periods = list(DutyPeriod.objects.filter(member__in=members))
    log_bulk(periods, LogEntry.Action.CREATE,
             lambda p: {"status": [None, p.status], "start": [None, p.start.isoformat()]},
             officer, _period_repr)


def _selections(specs):
    """Which service numbers each order of the sequence covers (seeded, so always the same)."""
    rng = random.Random(SEED + 1)
    eligible = [s for s in specs if s["component"] == ARMY and not s["agr"]
                and s["unit"] != "JFHQ-CA"]
    assert len(eligible) >= FEDERALIZED, len(eligible)
    federalized = rng.sample(eligible, FEDERALIZED)
    federalized.sort(key=lambda s: (RELEASE_RANK.get(s["unit"], 1), rng.random()))
    august = federalized[:FIRST_RELEASE]
    november = federalized[FIRST_RELEASE:FIRST_RELEASE + SECOND_RELEASE]
    remaining = federalized[FIRST_RELEASE + SECOND_RELEASE:]
    released_dec15 = rng.sample(remaining, RELEASED_DESPITE_STAY)
    returned = [s for s in remaining if s not in released_dec15]

    def numbers(group):
        return sorted(s["service_number"] for s in group)

    return {"federalized": numbers(federalized), "august": numbers(august),
            "november": numbers(november), "remaining": numbers(remaining),
            "dec15": numbers(released_dec15), "returned": numbers(returned)}


def _orders(groups):
    """The sequence, in the order it is applied: (apply it?, group, fields)."""
    release = {"kind": Order.Kind.RELEASE, "target_status": DutyStatus.NONE,
               "issued_by": "Secretary of Defense", "legal_basis": LEGAL_BASIS}
    return [
        (True, "federalized", {
            "kind": Order.Kind.FEDERALIZATION, "reference": REF_FEDERALIZATION,
            "title_en": "Federalization of California National Guard members (Los Angeles)",
            "title_es": "Federalización de miembros de la Guardia Nacional de California "
                        "(Los Ángeles)",
            "issued_by": "The President; Secretary of Defense", "issued_on": date(2025, 6, 7),
            "effective_at": at(2025, 6, 7), "target_status": DutyStatus.T10_12406,
            "legal_basis": LEGAL_BASIS}),
        (True, "august", {
            **release, "reference": REF_RELEASE_AUG, "issued_on": date(2025, 7, 30),
            "title_en": "Release from federal service: first drawdown",
            "title_es": "Liberación del servicio federal: primera reducción",
            "effective_at": at(2025, 8, 1)}),
        (True, "november", {
            **release, "reference": REF_RELEASE_NOV, "issued_on": date(2025, 11, 12),
            "title_en": "Release from federal service: second drawdown",
            "title_es": "Liberación del servicio federal: segunda reducción",
            "effective_at": at(2025, 11, 15)}),
        (False, "remaining", {
            "kind": Order.Kind.COURT_ORDER, "reference": REF_COURT,
            "title_en": "Court order: return the remaining federalized members to the Governor",
            "title_es": "Orden judicial: devolver al Gobernador a los miembros federalizados "
                        "restantes",
            "issued_by": "U.S. District Court for the Northern District of California",
            "issued_on": date(2025, 12, 10), "effective_at": at(2025, 12, 15),
            "deadline": at(2025, 12, 15, 12), "target_status": DutyStatus.NONE,
            "legal_basis": "Newsom v. Trump (N.D. Cal.)"}),
        (True, None, {
            "kind": Order.Kind.STAY, "reference": REF_STAY,
            "title_en": "Appeals-court stay of the order to return the members",
            "title_es": "Suspensión por el tribunal de apelaciones de la orden de devolver a "
                        "los miembros",
            "issued_by": "U.S. Court of Appeals for the Ninth Circuit",
            "issued_on": date(2025, 12, 12), "effective_at": at(2025, 12, 12),
            "legal_basis": "Newsom v. Trump (9th Cir.)"}),
        (True, "dec15", {
            **release, "reference": REF_RELEASE_DEC15, "issued_on": date(2025, 12, 14),
            "title_en": "Release from federal service: 100 members on 15 December",
            "title_es": "Liberación del servicio federal: 100 miembros el 15 de diciembre",
            "effective_at": at(2025, 12, 15)}),
        (True, "returned", {
            **release, "reference": REF_RETURN, "issued_on": date(2025, 12, 31),
            "title_en": "Return of the remaining members to state control",
            "title_es": "Regreso de los miembros restantes al control estatal",
            "effective_at": at(2025, 12, 31)}),
    ]


def _load_orders(officer, usa, specs):
    groups = _selections(specs)
    wanted = {n for g in groups.values() for n in g}
    pk_of = dict(Member.objects.filter(service_number__in=wanted)
                 .values_list("service_number", "pk"))
    court = Order.objects.filter(reference=REF_COURT).first()
    for apply, group, fields in _orders(groups):
        if Order.objects.filter(reference=fields["reference"]).exists():
            continue
        if fields["kind"] == Order.Kind.STAY:
            fields = {**fields, "stays": court}
        members = Member.objects.filter(pk__in=[pk_of[n] for n in groups[group]]) if group \
            else []
        with happened_at(on(fields["issued_on"], 9)):
            order = services.create_order(officer, members=members, rel_to=[usa], **fields)
        if fields["kind"] == Order.Kind.COURT_ORDER:
            court = order
        if apply:
            with happened_at(on(fields["issued_on"], 14)):
                services.apply_order(officer, order)


def load(users):
    officer = users["us.j1"]
    usa = Nation.objects.get(code="USA")
    specs = _member_specs()
    with happened_at(on(IN_USE_SINCE)):
        units = _load_units(officer, usa)
        _load_members(officer, usa, units, specs)
    _load_orders(officer, usa, specs)
