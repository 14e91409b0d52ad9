"""Demo engagements: the January 2026 familiarization visit of DEFENSA leaders to Sacramento and
a FY2026–FY2027 plan for California–Mexico across the four lines of effort, with an engagement
in every lifecycle state (some executed ones with overdue after-action reports), and a few
Ukraine and Nigeria events released only to their own partner.

Everything goes through `engagements.services` as the demo users (history and guards apply;
transitions that need a date get `today=`), each step dated when it happened
(`core.demo.happened_at`): planned months ahead, the report written in the weeks after the end,
some recorded complete within 30 days and some late, so the dashboard's shares are realistic.
Names of people, amounts and tracking references are illustrative. Events around "now" (in
execution, overdue reports) are dated relative to today so the dashboard always shows them; the
rest of the plan has fixed dates.

Idempotent: an engagement whose English title exists is skipped, so running it again creates
nothing.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Nation, Organization
from core.demo import happened_at, on
from core.models import Disclosure
from engagements.fiscal import fiscal_year
from engagements.models import Engagement, Participation, Person
from engagements.services import after_action, lifecycle
from engagements.services import engagements as engagement_services
from partnerships.models import Objective, Partnership

ES, T, D = Engagement.State, Engagement.Type, Engagement.Direction
P = Participation
FUND_SOURCE = "SPP (10 U.S.C. 341)"
# The main path from concept to executed; an engagement walks it up to its target state.
PATH = (ES.NOMINATED, ES.APPROVED, ES.FUNDED, ES.PREPARING, ES.READY, ES.IN_EXECUTION,
        ES.EXECUTED)
AFTER = (ES.AAR_SUBMITTED, ES.RECORDED_COMPLETE, ES.CLOSED)
# Days before the start each planning step happened (capped at today).
PLANNED = {ES.NOMINATED: 120, ES.APPROVED: 90, ES.FUNDED: 60, ES.PREPARING: 45, ES.READY: 30}

# The twelve DEFENSA leaders of the January 2026 visit (illustrative names).
VISITORS = [
    ("General de Brigada", "Ricardo Salgado Ibarra", "male"),
    ("General de Brigada", "Héctor Villaseñor Cruz", "male"),
    ("General Brigadier", "Marisol Ochoa Treviño", "female"),
    ("General Brigadier", "Arturo Mendoza Lira", "male"),
    ("Coronel", "Fernando Aguilar Ponce", "male"),
    ("Coronel", "Claudia Beltrán Soto", "female"),
    ("Coronel", "Raúl Esquivel Montaño", "male"),
    ("Teniente Coronel", "Gabriela Rosas Medina", "female"),
    ("Teniente Coronel", "Javier Nava Quiroz", "male"),
    ("Teniente Coronel", "Luis Carrillo Domínguez", "male"),
    ("Mayor", "Patricia Fuentes Arriaga", "female"),
    ("Capitán Primero", "Daniel Orozco Valdez", "male"),
]
# Two partner participants of other Mexican events.
PARTNERS = [("Coronel", "Sergio Ledezma Ruiz", "male"),
            ("Mayor", "Ana Lucía Herrera Gil", "female")]


def demo_plan(today):
    """(title_en, title_es, type, direction, location, start, end, objective codes, target
    state, extras). Extras: partner (nation code, default MEX), budget, people (how many
    partner participants), aar ("liaison", "owner", "draft" or None), reference, indicator
    values {objective code: value}, reschedule (new start for deferred/postponed), pending
    (one participant's vetting left pending), submitted and recorded (days after the end the
    report was submitted and the engagement recorded complete; within 30 is on time)."""
    rel = timedelta
    return [
        # ---- FY2026, Mexico ----
        ("Initial planning conference, FY2026 program",
         "Conferencia inicial de planeación, programa del año fiscal 2026",
         T.PLANNING_INITIAL, D.TO_PARTNER, "Mexico City", date(2025, 11, 18),
         date(2025, 11, 19), ("TRAIN-1", "BORDER-1", "CYBER-1", "HADR-1"), ES.CLOSED,
         {"budget": 18500, "aar": "owner", "reference": "SPP-MEX-26-0001",
          "values": {"TRAIN-1": 1}, "submitted": 9, "recorded": 21}),
        ("DEFENSA senior leader familiarization visit to Sacramento",
         "Visita de familiarización de mandos de la DEFENSA a Sacramento",
         T.FAMILIARIZATION, D.HOSTED, "Sacramento, California", date(2026, 1, 12),
         date(2026, 1, 16), ("TRAIN-1", "BORDER-1"), ES.RECORDED_COMPLETE,
         {"budget": 64200, "people": 12, "aar": "liaison", "reference": "SPP-MEX-26-0002",
          "values": {"TRAIN-1": 2}, "submitted": 33, "recorded": 44}),
        ("Wildfire incident command subject-matter expert exchange",
         "Intercambio de expertos en mando de incidentes de incendios forestales",
         T.SME_EXCHANGE, D.HOSTED, "Sacramento and Ione, California", date(2026, 3, 9),
         date(2026, 3, 13), ("HADR-1",), ES.RECORDED_COMPLETE,
         {"budget": 41800, "people": 2, "aar": "owner", "reference": "SPP-MEX-26-0003",
          "submitted": 17, "recorded": 26}),
        ("Border-zone incident reporting workshop",
         "Taller de reporte de incidentes en la zona fronteriza",
         T.WORKSHOP, D.TO_PARTNER, "Tijuana, Baja California", date(2026, 5, 19),
         date(2026, 5, 21), ("BORDER-1",), ES.AAR_SUBMITTED,
         {"budget": 22300, "aar": "submitted", "submitted": 41}),
        ("Mid planning conference, FY2026 program",
         "Conferencia intermedia de planeación, programa del año fiscal 2026",
         T.PLANNING_MID, D.VIRTUAL, "Virtual", date(2026, 6, 10), date(2026, 6, 10),
         ("TRAIN-1",), ES.CLOSED,
         {"budget": 1500, "aar": "owner", "reference": "SPP-MEX-26-0004", "submitted": 6,
          "recorded": 12}),
        ("Search and rescue helicopter exchange, La Paz",
         "Intercambio de búsqueda y rescate con helicópteros, La Paz",
         T.SME_EXCHANGE, D.TO_PARTNER, "La Paz, Baja California Sur", date(2026, 10, 20),
         date(2026, 10, 23), ("HADR-1",), ES.CANCELLED, {"via": ES.APPROVED}),
        ("Joint disaster-response exercise, Baja California Sur",
         "Ejercicio conjunto de respuesta a desastres, Baja California Sur",
         T.EXERCISE, D.TO_PARTNER, "Los Cabos, Baja California Sur", date(2026, 9, 14),
         date(2026, 9, 18), ("HADR-1",), ES.DEFERRED,
         {"via": ES.APPROVED, "reschedule": date(2027, 6, 7)}),
        # ---- Around now: one recorded on time, overdue reports, one in execution ----
        ("Wildland firefighting radio interoperability workshop",
         "Taller de interoperabilidad de radiocomunicaciones para incendios forestales",
         T.WORKSHOP, D.TO_PARTNER, "Tecate, Baja California", today - rel(47), today - rel(45),
         ("HADR-1",), ES.RECORDED_COMPLETE,
         {"budget": 12400, "aar": "owner", "submitted": 12, "recorded": 20,
          "reference": f"SPP-MEX-{fiscal_year(today - rel(47)) % 100}-0005"}),
        ("Cyber incident response subject-matter expert exchange",
         "Intercambio de expertos en respuesta a incidentes cibernéticos",
         T.SME_EXCHANGE, D.TO_PARTNER, "Mexico City", today - rel(79), today - rel(75),
         ("CYBER-1",), ES.EXECUTED, {"budget": 27400, "aar": "draft"}),
        ("Coordinated-operations medical evacuation exercise",
         "Ejercicio de evacuación médica en operaciones coordinadas",
         T.EXERCISE, D.HOSTED, "Camp Roberts, California", today - rel(46), today - rel(42),
         ("TRAIN-1",), ES.EXECUTED, {"budget": 58900, "people": 2}),
        ("Border security key leader engagement, San Diego–Tijuana",
         "Encuentro de mandos sobre seguridad fronteriza, San Diego–Tijuana",
         T.KEY_LEADER, D.HOSTED, "San Diego, California", today - rel(12), today - rel(11),
         ("BORDER-1",), ES.EXECUTED, {"budget": 9800, "people": 2}),
        ("Urban search and rescue subject-matter expert exchange, Mexicali",
         "Intercambio de expertos en búsqueda y rescate urbano, Mexicali",
         T.SME_EXCHANGE, D.TO_PARTNER, "Mexicali, Baja California", today - rel(2),
         today + rel(2), ("HADR-1",), ES.IN_EXECUTION, {"budget": 31200}),
        # ---- FY2027, Mexico ----
        ("Initial planning conference, FY2027 program",
         "Conferencia inicial de planeación, programa del año fiscal 2027",
         T.PLANNING_INITIAL, D.HOSTED, "Sacramento, California", date(2027, 1, 12),
         date(2027, 1, 13), ("TRAIN-1", "BORDER-1", "CYBER-1", "HADR-1"), ES.READY,
         {"budget": 14600, "people": 2}),
        ("Cyber defense tabletop exercise", "Ejercicio de gabinete de ciberdefensa",
         T.EXERCISE, D.HOSTED, "Sacramento, California", date(2027, 2, 22),
         date(2027, 2, 25), ("CYBER-1",), ES.PREPARING,
         {"budget": 26700, "people": 2, "pending": True}),
        ("Border sensor interoperability workshop",
         "Taller de interoperabilidad de sensores fronterizos",
         T.WORKSHOP, D.TO_PARTNER, "Ciudad Juárez, Chihuahua", date(2026, 12, 8),
         date(2026, 12, 10), ("BORDER-1",), ES.POSTPONED,
         {"via": ES.NOMINATED, "reschedule": date(2027, 2, 9)}),
        ("Military police coordinated-operations exchange",
         "Intercambio de policía militar en operaciones coordinadas",
         T.SME_EXCHANGE, D.TO_PARTNER, "Mexicali, Baja California", date(2027, 3, 15),
         date(2027, 3, 19), ("TRAIN-1", "BORDER-1"), ES.FUNDED, {"budget": 38200}),
        ("Wildfire season readiness subject-matter expert exchange",
         "Intercambio de expertos para la temporada de incendios forestales",
         T.SME_EXCHANGE, D.HOSTED, "Fresno, California", date(2027, 4, 19),
         date(2027, 4, 23), ("HADR-1",), ES.APPROVED, {}),
        ("Aviation firefighting traveling contact team, Ensenada",
         "Equipo de contacto itinerante de combate aéreo de incendios, Ensenada",
         T.TRAVELING_CONTACT_TEAM, D.TO_PARTNER, "Ensenada, Baja California",
         date(2027, 5, 10), date(2027, 5, 14), ("HADR-1",), ES.NOMINATED, {}),
        ("Cyber threat indicator sharing workshop (TLP)",
         "Taller de intercambio de indicadores de ciberamenazas (TLP)",
         T.WORKSHOP, D.VIRTUAL, "Virtual", date(2027, 7, 13), date(2027, 7, 14),
         ("CYBER-1",), ES.CONCEPT, {}),
        ("Final planning conference, FY2028 program",
         "Conferencia final de planeación, programa del año fiscal 2028",
         T.PLANNING_FINAL, D.TO_PARTNER, "Mexico City", date(2027, 8, 24),
         date(2027, 8, 25), ("TRAIN-1",), ES.CONCEPT, {}),
        # ---- Ukraine and Nigeria: owned by the USA, released to their partner only ----
        ("Ukraine: cyber defense subject-matter expert exchange",
         "Ucrania: intercambio de expertos en ciberdefensa",
         T.SME_EXCHANGE, D.THIRD_COUNTRY, "Kraków, Poland", today - rel(64), today - rel(60),
         (), ES.EXECUTED, {"partner": "UKR", "budget": 35500}),
        ("Ukraine: combat medicine key leader engagement",
         "Ucrania: encuentro de mandos sobre medicina de combate",
         T.KEY_LEADER, D.HOSTED, "Sacramento, California", date(2027, 4, 6),
         date(2027, 4, 8), (), ES.APPROVED, {"partner": "UKR"}),
        ("Nigeria: disaster-response planning workshop",
         "Nigeria: taller de planeación de respuesta a desastres",
         T.WORKSHOP, D.TO_PARTNER, "Abuja, Nigeria", date(2026, 6, 22), date(2026, 6, 25),
         (), ES.RECORDED_COMPLETE,
         {"partner": "NGA", "budget": 29800, "aar": "owner", "reference": "SPP-NGA-26-0007",
          "submitted": 52, "recorded": 67}),
        ("Nigeria: aviation maintenance subject-matter expert exchange",
         "Nigeria: intercambio de expertos en mantenimiento de aeronaves",
         T.SME_EXCHANGE, D.TO_PARTNER, "Kaduna, Nigeria", date(2027, 6, 14),
         date(2027, 6, 18), (), ES.CONCEPT, {"partner": "NGA"}),
    ]


def load(users):
    coordinator, liaison = users["us.coordinator"], users["mx.liaison"]
    today = timezone.localdate()
    plan = demo_plan(today)
    existing = set(Engagement.objects.filter(title_en__in=[row[0] for row in plan])
                   .values_list("title_en", flat=True))
    if len(existing) == len(plan):
        return
    usa = Nation.objects.get(code="USA")
    partnerships = {p.partner_nation.code: p for p in
                    Partnership.objects.filter(us_state="CA").select_related("partner_nation")}
    objectives = {o.code: o for o in Objective.objects.filter(
        line_of_effort__partnership=partnerships.get("MEX"))}
    for row in plan:
        if row[0] not in existing:
            _make(coordinator, liaison, usa, partnerships, objectives, today, *row)


def _make(user, liaison, usa, partnerships, objectives, today, title_en, title_es, kind,
          direction, location, start, end, codes, target, extra):
    code = extra.get("partner", "MEX")
    partnership = partnerships[code]
    partner = partnership.partner_nation
    created = start - timedelta(days=150)
    with happened_at(on(created)):
        engagement = engagement_services.create_engagement(
            user, partnership=partnership, objectives=[objectives[c] for c in codes],
            rel_to=[usa, partner], disclosure=Disclosure.APPROVED, title_en=title_en,
            title_es=title_es, type=kind, direction=direction, location=location,
            start_date=start, end_date=end, lead=user,
            tracking_reference=extra.get("reference", ""))
    if extra.get("budget"):
        with happened_at(on(created + timedelta(days=3))):
            engagement_services.create_budget_line(
                           user, engagement, description="Travel, lodging and per diem",
                           amount=Decimal(extra["budget"]), fund_source=FUND_SOURCE,
                           state="allotted")
    if code == "MEX":
        registered = min(today, created + timedelta(days=7))
        with happened_at(on(registered)):
            _participants(user, engagement, extra)
        for gate in ("vetting_updated_on", "visa_updated_on", "clearance_submitted_on"):
            engagement.participations.filter(**{f"{gate}__isnull": False}).update(
                **{gate: registered})
    if target in AFTER:
        stop = ES.EXECUTED
    elif target in PATH:
        stop = target
    else:
        stop = extra.get("via")
    for name in PATH if stop else ():
        day = {ES.IN_EXECUTION: start, ES.EXECUTED: end + timedelta(days=1)}.get(
            name, min(today, start - timedelta(days=PLANNED.get(name, 30))))
        with happened_at(on(day, hour=9 if name == ES.IN_EXECUTION else 16)):
            lifecycle.transition(user, engagement, name, today=day)
        if name == stop:
            break
    changed = min(today, start - timedelta(days=14))
    with happened_at(on(changed)):
        if target in (ES.DEFERRED, ES.POSTPONED):
            new_start = extra["reschedule"]
            lifecycle.transition(user, engagement, target, today=changed,
                                 start_date=new_start, end_date=new_start + (end - start))
        elif target == ES.CANCELLED:
            lifecycle.transition(user, engagement, target, today=changed)
    aar = extra.get("aar")
    if aar:
        _report(user, liaison, engagement, partner, objectives, aar, target, extra)
    return engagement


def _participants(user, engagement, extra):
    """Partner military (security force) of DEFENSA: vetting approved, visa issued where they
    visit California, briefing material cleared; one left pending when asked."""
    count = extra.get("people", 0)
    if not count:
        return
    mex = Nation.objects.get(code="MEX")
    defensa = Organization.objects.get(acronym="DEFENSA")
    people = VISITORS if count > len(PARTNERS) else PARTNERS
    hosted = engagement.direction == D.HOSTED
    for index, (grade, name, gender) in enumerate(people[:count]):
        pending = extra.get("pending") and index == len(people[:count]) - 1
        gates = {"vetting": P.Vetting.PENDING if pending else P.Vetting.APPROVED,
                 "vetting_reference": "" if pending else f"INVEST-{engagement.pk:04d}-{index:02d}",
                 "briefing_disclosure": P.BriefingDisclosure.CLEARED}
        if hosted:
            gates["visa"] = P.Visa.ISSUED
        person = Person.objects.filter(full_name=name, nation=mex,
                                       owner_nation=engagement.owner_nation).first()
        if person is None:
            person = engagement_services.create_person(
                user, rel_to=[mex], disclosure=Disclosure.APPROVED, full_name=name,
                grade=grade, gender=gender, nation=mex, organization=defensa,
                role=Person.Role.PARTNER_MILITARY, languages="es", security_force=True)
        engagement_services.add_participant(user, engagement, person, **gates)


SUMMARIES = {
    "liaison": ("", "Doce mandos de la Secretaría de la Defensa Nacional conocieron en "
                "Sacramento la estructura de la Guardia Nacional de California, su centro de "
                "operaciones conjuntas y la coordinación con Cal OES en emergencias. Se "
                "acordaron los primeros eventos de adiestramiento en operaciones coordinadas y "
                "de seguridad fronteriza del año fiscal 2026."),
    "owner": ("The engagement met its objectives; participants agreed the next steps.",
              "El evento cumplió sus objetivos; los participantes acordaron los siguientes "
              "pasos."),
}


def _report(user, liaison, engagement, partner, objectives, aar, target, extra):
    """The after-action report: a draft only, submitted, or approved and recorded (the
    engagement is then recorded complete and its indicator values become measurements), each
    step on its day after the end."""
    end = engagement.end_date

    def after(days, hour=11):
        return happened_at(on(end + timedelta(days=days), hour))

    writer = liaison if aar == "liaison" else user
    with after(3):
        report = after_action.start_aar(writer, engagement)
    summary_en, summary_es = SUMMARIES["liaison" if aar == "liaison" else "owner"]
    values = {}
    for code, value in extra.get("values", {}).items():
        indicator = objectives[code].indicators.first()
        if indicator is not None:
            values[indicator.pk] = value
    with after(5):
        report = after_action.save_aar_draft(writer, report, summary_en=summary_en,
                                             summary_es=summary_es)
        if values:
            report = after_action.save_aar_draft(user, report, indicator_values=values)
    if aar == "draft":
        return
    submitted = extra.get("submitted", 20)
    defensa = Organization.objects.get(acronym="DEFENSA") if partner.code == "MEX" else None
    people = engagement.participations.count() or 8
    with after(submitted, hour=9):
        after_action.set_attendance(writer, report, [
                {"nation": partner, "organization": defensa, "grade": "", "count": people},
                {"nation": engagement.owner_nation, "organization": None, "grade": "", "count": 6}])
        if aar == "liaison":
            after_action.add_observation(
                    liaison, report, kind="sustain", topic="Centro de operaciones conjuntas",
                    text_es="La visita al centro de operaciones conjuntas mostró cómo se comparte "
                            "la información de incidentes; proponemos replicar el esquema en "
                            "Tijuana.")
            after_action.add_observation(
                    liaison, report, kind="improve", topic="Intérpretes",
                    text_es="Contar con un intérprete adicional para las sesiones técnicas.")
    with after(submitted, hour=15):
        report = after_action.submit_aar(writer, report)
    if target == ES.AAR_SUBMITTED:
        engagement.refresh_from_db()
        if engagement.state == ES.EXECUTED:
            with after(submitted, hour=16):
                lifecycle.transition(user, engagement, ES.AAR_SUBMITTED)
        return
    recorded = extra["recorded"]
    with after(recorded - 1):
        report = after_action.approve_aar(user, report)
    with after(recorded):
        report = after_action.record_aar(user, report)
    if target == ES.CLOSED:
        engagement.refresh_from_db()
        with after(recorded + 30):
            lifecycle.transition(user, engagement, ES.CLOSED)
