"""The mutual aid agreement's text in English and Spanish, composed from its agreed terms alone
(plain values: no database), and the hash each signature is made over."""

import hashlib
import json
from decimal import Decimal


def agreement_hash(terms, text_en, text_es):
    """SHA-256 of the agreed terms and both texts in one canonical serialization (sorted keys),
    so the same agreement hashes the same on any database."""
    canonical = json.dumps({"terms": terms, "text_en": text_en, "text_es": text_es},
                           sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# The agreed text is part of what each party signs, so its wording is fixed here in both
# languages rather than read from the translation catalog: a catalog change must never change
# (or unhash) a text already drawn up. The cost clause is keyed by the offer's cost terms.
_TEXT = {
    "en": {
        "title": "MUTUAL AID AGREEMENT — version {version}",
        "amends": "Amends version {previous}. Reason for the amendment: {reason}",
        "request": "1. Request: {number} of {org} ({org_name}, {nation}), for the incident "
                   "{incident}.",
        "unsolicited": "1. Request: none; {org} ({org_name}, {nation}) accepts an unsolicited "
                       "offer for the incident {incident}.",
        "assistance": "2. Assistance: {org} ({org_name}, {nation}) provides:",
        "line": "   2.{n}. {quantity} × {kind} ({code}), {headcount} people, from {agency} "
                "({agency_name}).",
        "reporting": "3. Reporting location: {location}. Needed by {needed_by}.",
        "reporting_none": "3. Reporting location: as the requesting party directs.",
        "period": "4. Available from {available_from}, for {days} days.",
        "self": "5. Support: the assisting party is self-sustaining (its own food, water, "
                "shelter and fuel).",
        "not_self": "5. Support: the requesting party provides food, water, shelter and fuel.",
        "donated": "6. Cost: donated; the assisting party bears its own costs.",
        "reimbursable": "6. Cost: reimbursable; the requesting party reimburses the assisting "
                        "party's costs, estimated at {cost}.",
        "not_estimated": "not yet estimated",
        "conditions": "7. Conditions: {conditions}",
        "no_conditions": "none",
        "signatures": "8. This agreement is made in three parts — the request, the offer and "
                      "the acceptance — each signed by an authorized official of the right "
                      "organization, and takes effect on acceptance. The English and Spanish "
                      "texts are equally authentic. The terms change only by an amendment "
                      "signed in the same way.",
    },
    "es": {
        "title": "ACUERDO DE AYUDA MUTUA — versión {version}",
        "amends": "Modifica la versión {previous}. Motivo de la modificación: {reason}",
        "request": "1. Solicitud: {number} de {org} ({org_name}, {nation}), para el incidente "
                   "{incident}.",
        "unsolicited": "1. Solicitud: ninguna; {org} ({org_name}, {nation}) acepta un "
                       "ofrecimiento no solicitado para el incidente {incident}.",
        "assistance": "2. Asistencia: {org} ({org_name}, {nation}) proporciona:",
        "line": "   2.{n}. {quantity} × {kind} ({code}), {headcount} personas, de {agency} "
                "({agency_name}).",
        "reporting": "3. Lugar de presentación: {location}. Se necesita para el {needed_by}.",
        "reporting_none": "3. Lugar de presentación: el que indique la parte solicitante.",
        "period": "4. Disponible desde el {available_from}, por {days} días.",
        "self": "5. Apoyo: la parte que asiste es autosuficiente (sus propios alimentos, agua, "
                "alojamiento y combustible).",
        "not_self": "5. Apoyo: la parte solicitante proporciona alimentos, agua, alojamiento y "
                    "combustible.",
        "donated": "6. Costo: donado; la parte que asiste cubre sus propios costos.",
        "reimbursable": "6. Costo: reembolsable; la parte solicitante reembolsa los costos de "
                        "la parte que asiste, estimados en {cost}.",
        "not_estimated": "aún sin estimar",
        "conditions": "7. Condiciones: {conditions}",
        "no_conditions": "ninguna",
        "signatures": "8. Este acuerdo consta de tres partes — la solicitud, el ofrecimiento y "
                      "la aceptación —, cada una firmada por un funcionario autorizado de la "
                      "organización correspondiente, y surte efecto con la aceptación. Los "
                      "textos en inglés y en español son igualmente auténticos. Los términos "
                      "solo cambian mediante una modificación firmada de la misma manera.",
    },
}



def compose_text(terms, language, *, version=1, amends_version=None, reason=""):
    """The agreed text in `language` ("en" or "es"), numbered, from the terms alone."""
    t = _TEXT[language]
    other = "es" if language == "en" else "en"

    def pick(record, field):
        return record.get(f"{field}_{language}") or record.get(f"{field}_{other}") or ""

    requesting, assisting = terms["requesting_organization"], terms["assisting_organization"]
    incident = pick(terms["incident"], "name")
    lines = [t["title"].format(version=version)]
    if amends_version:
        lines.append(t["amends"].format(previous=amends_version, reason=reason))
    lines.append("")
    values = {"org": requesting["acronym"], "org_name": pick(requesting, "name"),
              "nation": pick(requesting, "nation"), "incident": incident}
    if terms["request_number"]:
        lines.append(t["request"].format(number=terms["request_number"], **values))
    else:
        lines.append(t["unsolicited"].format(**values))
    lines.append(t["assistance"].format(org=assisting["acronym"],
                                        org_name=pick(assisting, "name"),
                                        nation=pick(assisting, "nation")))
    for n, line in enumerate(terms["lines"], start=1):
        lines.append(t["line"].format(n=n, quantity=line["quantity"], kind=pick(line, "kind"),
                                      code=line["kind"], headcount=line["headcount"],
                                      agency=line["agency"],
                                      agency_name=pick(line, "agency")))
    if terms["reporting_location"]:
        lines.append(t["reporting"].format(location=terms["reporting_location"],
                                           needed_by=terms["needed_by"]))
    else:
        lines.append(t["reporting_none"])
    lines.append(t["period"].format(available_from=terms["available_from"],
                                    days=terms["duration_days"]))
    lines.append(t["self"] if terms["self_sustaining"] else t["not_self"])
    cost = (f"{Decimal(terms['estimated_cost']):,.2f} {terms['currency']}"
            if terms["estimated_cost"] is not None else t["not_estimated"])
    lines.append(t[terms["cost_terms"]].format(cost=cost))  # "donated" or "reimbursable"
    lines.append(t["conditions"].format(
        conditions=pick(terms, "conditions") or t["no_conditions"]))
    lines.append(t["signatures"])
    return "\n".join(lines)
