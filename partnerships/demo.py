"""Demo partnerships: California's three, each releasable only to its own partner, and the
California–Mexico program. Each record is dated when it was entered (`core.demo.happened_at`):
the partnerships when the program began using Enlace, the program from the letter of intent of
28 October 2025 on."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Nation, Organization
from core.demo import IN_USE_SINCE, happened_at, on
from core.models import Disclosure
from partnerships import services
from partnerships.models import Partnership
from partnerships.services import create_partnership

PARTNERSHIPS = [
    ("MEX", "California – Mexico", "California – México", 2024, "USNORTHCOM",
     "Partnership with the Secretariat of National Defense (Army, Air Force, Guardia "
     "Nacional). Letter of intent signed 28 October 2025 in Mexico City. Lines of effort: "
     "border security, coordinated-operations training, cyber security, humanitarian "
     "assistance and disaster response including wildfire.",
     "Asociación con la Secretaría de la Defensa Nacional (Ejército, Fuerza Aérea, Guardia "
     "Nacional). Carta de intención firmada el 28 de octubre de 2025 en la Ciudad de México. "
     "Líneas de esfuerzo: seguridad fronteriza, adiestramiento en operaciones coordinadas, "
     "ciberseguridad, asistencia humanitaria y respuesta a desastres, incluidos los incendios "
     "forestales."),
    ("UKR", "California – Ukraine", "California – Ucrania", 1993, "USEUCOM",
     "State Partnership Program pairing since 1993.",
     "Asociación del Programa de Asociación Estatal desde 1993."),
    ("NGA", "California – Nigeria", "California – Nigeria", 2006, "USAFRICOM",
     "State Partnership Program pairing since 2006.",
     "Asociación del Programa de Asociación Estatal desde 2006."),
]


def load(users):
    usa = Nation.objects.get(code="USA")
    for code, name_en, name_es, year, command, desc_en, desc_es in PARTNERSHIPS:
        partner = Nation.objects.get(code=code)
        if Partnership.objects.filter(us_state="CA", partner_nation=partner).exists():
            continue
        with happened_at(on(IN_USE_SINCE)):
            create_partnership(
                users["us.coordinator"], rel_to=[usa, partner], disclosure=Disclosure.APPROVED,
                name_en=name_en, name_es=name_es, us_state="CA", partner_nation=partner,
                established=year, combatant_command=command, description_en=desc_en,
                description_es=desc_es)
    load_program(users["us.coordinator"])


# The California–Mexico program: the letter of intent, its four lines of effort, one objective
# and indicator each, the first measurements and the initial assessment. Marked like the
# partnership (released to Mexico). Skipped once the partnership has lines of effort.

LETTER_OF_INTENT = {
    "kind": "letter_of_intent",
    "title_en": "Letter of intent: California National Guard – Secretariat of National Defense",
    "title_es": "Carta de intención: Guardia Nacional de California – Secretaría de la Defensa "
                "Nacional",
    "parties": "California National Guard\nSecretaría de la Defensa Nacional (DEFENSA)",
    "signatories": "The Adjutant General, California National Guard\n"
                   "Secretary of National Defense, Mexico",
    "signed_on": date(2025, 10, 28), "signed_at_place": "Mexico City",
    "focus_areas_en": "Border security; coordinated-operations training; cyber security; "
                      "humanitarian assistance and disaster response, including wildfire.",
    "focus_areas_es": "Seguridad fronteriza; adiestramiento en operaciones coordinadas; "
                      "ciberseguridad; asistencia humanitaria y respuesta a desastres, incluidos "
                      "los incendios forestales.",
}

# (code, names, objective code, statements, owner, indicator, measurements, states)
LINES = [
    ("border", "Border security", "Seguridad fronteriza", "BORDER-1",
     "Share border-zone incident reports with the counterpart within a day.",
     "Compartir con la contraparte los reportes de incidentes en la zona fronteriza en menos de "
     "un día.", "CalGuard",
     {"name_en": "Hours from incident to shared report",
      "name_es": "Horas del incidente al reporte compartido", "kind": "outcome",
      "unit": "hours", "unit_es": "horas", "direction": "decrease", "baseline_value": 72,
      "target_value": 24,
      "frequency": "quarterly"},
     [(date(2026, 1, 31), 60, "Joint operations center log, Q2 FY26")], ("approved",
                                                                           "in_progress")),
    ("training", "Coordinated-operations training", "Adiestramiento en operaciones coordinadas",
     "TRAIN-1", "Conduct the fiscal year's coordinated-operations training engagements and "
     "record each complete with an after-action report.",
     "Realizar los eventos de adiestramiento en operaciones coordinadas del año fiscal de "
     "EE. UU. y anotar cada uno como concluido con su informe posterior a la acción.", "CalGuard",
     {"name_en": "Engagements recorded complete", "name_es": "Eventos anotados como "
      "concluidos", "kind": "output", "unit": "engagements", "unit_es": "actividades",
      "direction": "increase",
      "baseline_value": 0, "target_value": 8, "frequency": "per_event"},
     [], ("approved",)),
    ("cyber", "Cyber security", "Ciberseguridad", "CYBER-1",
     "Exchange cyber threat indicators under TLP through a standard interface.",
     "Intercambiar indicadores de ciberamenazas bajo TLP mediante una interfaz estándar.",
     "DEFENSA",
     {"name_en": "Indicators shared per quarter", "name_es": "Indicadores compartidos por "
      "trimestre", "kind": "output", "unit": "indicators", "unit_es": "indicadores",
      "direction": "increase",
      "baseline_value": 0, "target_value": 50, "frequency": "quarterly"},
     [], ()),
    ("hadr", "Humanitarian assistance and disaster response",
     "Asistencia humanitaria y respuesta a desastres", "HADR-1",
     "Interoperable incident command between California and Mexican responders for wildfire "
     "and disaster response.",
     "Mando de incidentes interoperable entre los equipos de respuesta de California y de "
     "México para incendios forestales y desastres.", "CalGuard",
     {"name_en": "Responders trained in the ICS–SCI crosswalk",
      "name_es": "Personal capacitado en la equivalencia SCI–ICS", "kind": "capability_milestone",
      "unit": "people", "unit_es": "personas", "direction": "increase", "baseline_value": 0,
      "target_value": 120,
      "frequency": "per_event"},
     [(date(2025, 12, 12), 24, "Wildfire subject-matter expert exchange roster")],
     ("approved", "in_progress")),
]


# The program's days: the letter signed, its lines entered, the initial assessment (with the
# objectives approved) and the work begun.
SIGNED = date(2025, 10, 28)
PROGRAM_ENTERED = date(2025, 11, 3)
ASSESSED = date(2025, 11, 14)
OBJECTIVE_STEPS = (ASSESSED, date(2025, 12, 1))


def load_program(user):
    partnership = Partnership.objects.filter(us_state="CA", partner_nation__code="MEX").first()
    if partnership is None or partnership.lines_of_effort.exists():
        return
    today = timezone.localdate()
    with happened_at(on(date(2025, 10, 6))):
        letter = services.create_agreement(user, partnership, **LETTER_OF_INTENT)
    for state, day, hour in (("in_coordination", date(2025, 10, 8), 10),
                             ("signed", SIGNED, 15), ("in_force", SIGNED, 16)):
        with happened_at(on(day, hour)):
            letter = services.transition_agreement(user, letter, state)
    for position, (code, name_en, name_es, objective_code, statement_en, statement_es, owner,
                   indicator, measurements, states) in enumerate(LINES, start=1):
        with happened_at(on(PROGRAM_ENTERED)):
            line = services.create_line_of_effort(user, partnership, code=code,
                                                  name_en=name_en, name_es=name_es,
                                                  position=position)
            objective = services.create_objective(
                user, line, code=objective_code, statement_en=statement_en,
                statement_es=statement_es, owner=Organization.objects.get(acronym=owner),
                target_date=date(2027, 9, 30))
            made = services.create_indicator(
                user, objective, baseline_date=SIGNED, target_date=date(2027, 9, 30),
                **{**indicator, "baseline_value": Decimal(indicator["baseline_value"]),
                   "target_value": Decimal(indicator["target_value"])})
        for as_of, value, source in measurements:
            if as_of <= today:
                with happened_at(on(as_of + timedelta(days=4))):
                    services.record_measurement(user, made, Decimal(value), as_of, source)
        for state, day in zip(states, OBJECTIVE_STEPS, strict=False):
            with happened_at(on(day)):
                objective = services.transition_objective(user, objective, state)
    if ASSESSED <= today:
        with happened_at(on(ASSESSED, 16)):
            services.create_assessment(
                user, partnership, kind="initial", assessed_on=ASSESSED,
                rating="not_rated",
                findings_en="Baselines set for the four lines of effort named in the letter of "
                            "intent. The first engagements are being planned.",
                findings_es="Líneas base establecidas para las cuatro líneas de esfuerzo de la "
                            "carta de intención. Se planean los primeros eventos.")
