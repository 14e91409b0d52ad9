from datetime import date
from decimal import Decimal

from accounts.models import Nation
from partnerships import services
from partnerships.services import create_partnership


def make_partnership(user, partner="UKR", rel_to=("USA",), disclosure="approved", **fields):
    """A partnership owned by `user`'s nation. Each partner nation may have one per state, so
    tests pass a distinct partner or state when they need several."""
    partner_nation = Nation.objects.get(code=partner)
    defaults = {
        "name_en": f"California – {partner_nation.name_en}",
        "name_es": f"California – {partner_nation.name_es}",
        "us_state": "CA", "partner_nation": partner_nation,
    }
    return create_partnership(user, rel_to=list(Nation.objects.filter(code__in=rel_to)),
                              disclosure=disclosure, **{**defaults, **fields})


# The partnership program, through the services (marked like their parents unless told).

def make_agreement(user, partnership, **fields):
    defaults = {"kind": "letter_of_intent", "title_en": "Letter of intent",
                "title_es": "Carta de intención", "parties": "California National Guard\nSEDENA"}
    return services.create_agreement(user, partnership, **{**defaults, **fields})


def make_line(user, partnership, code="hadr", **fields):
    defaults = {"name_en": "Humanitarian assistance and disaster response",
                "name_es": "Asistencia humanitaria y respuesta a desastres"}
    return services.create_line_of_effort(user, partnership, code=code, **{**defaults, **fields})


def make_objective(user, line, code="HADR-1", **fields):
    defaults = {"statement_en": "Interoperable incident command",
                "statement_es": "Mando de incidentes interoperable",
                "owner": user.organization, "target_date": date(2027, 9, 30)}
    return services.create_objective(user, line, code=code, **{**defaults, **fields})


def make_indicator(user, objective, **fields):
    defaults = {"name_en": "People trained in incident command",
                "name_es": "Personas capacitadas en mando de incidentes", "kind": "output",
                "unit": "people", "direction": "increase", "baseline_value": Decimal(0),
                "baseline_date": date(2024, 1, 1), "target_value": Decimal(100),
                "target_date": date(2026, 1, 1), "frequency": "quarterly"}
    return services.create_indicator(user, objective, **{**defaults, **fields})


def make_measurement(user, indicator, value, as_of, source="Exercise roster", **kwargs):
    return services.record_measurement(user, indicator, Decimal(value), as_of, source, **kwargs)


def make_assessment(user, partnership, **fields):
    defaults = {"kind": "initial", "assessed_on": date(2025, 1, 15),
                "findings_en": "Baseline set.", "findings_es": "Línea base establecida.",
                "rating": "not_rated"}
    return services.create_assessment(user, partnership, **{**defaults, **fields})


def make_program(user, partner="MEX", rel_to=("USA", "MEX"), **fields):
    """A partnership released to `rel_to` (disclosure approved) with one line of effort, one
    objective and one indicator under it, all marked like it."""
    partnership = make_partnership(user, partner=partner, rel_to=rel_to, **fields)
    line = make_line(user, partnership)
    objective = make_objective(user, line)
    indicator = make_indicator(user, objective)
    return partnership, line, objective, indicator


def add_program_seeds(existing, us_user, mx_user):
    """Records for the API fuzzing's path parameters (added to `existing`, which maps a path
    parameter to ids): a program released to Mexico whose draft agreement carries its
    signatures and whose objective has an indicator (every step can succeed), an agreement in
    force, a measurement, an assessment, a Mexican-only line of effort (404), and the
    lifecycles' states by name. (CA, MEX) stays free."""
    partnership, line, objective, indicator = make_program(us_user, us_state="WA")
    draft = make_agreement(us_user, partnership, signed_on=date(2025, 10, 28),
                           signatories="Gen. A\nGen. B")
    in_force = make_agreement(us_user, partnership, title_en="In force",
                              signed_on=date(2025, 10, 28), signatories="Gen. A")
    for state in ("in_coordination", "signed", "in_force"):
        services.transition_agreement(us_user, in_force, state)
    measurement = make_measurement(us_user, indicator, 5, date(2025, 1, 1))
    assessment = make_assessment(us_user, partnership, line_of_effort=line)
    theirs = make_partnership(mx_user, partner="UKR", us_state="TX", rel_to=("MEX",),
                              disclosure="not_reviewed")
    hidden = make_line(mx_user, theirs, code="theirs")
    for name, ids in {"partnership_id": [partnership.pk],
                      "agreement_id": [draft.pk, in_force.pk],
                      "line_id": [line.pk, hidden.pk], "objective_id": [objective.pk],
                      "indicator_id": [indicator.pk], "measurement_id": [measurement.pk],
                      "assessment_id": [assessment.pk],
                      "name": ["in_coordination", "signed", "approved", "in_progress",
                               "cancelled"]}.items():
        known = existing.setdefault(name, [])
        known += [i for i in ids if i not in known]
    return existing
