"""The agreement's text from its terms alone: no database, the same words in both languages,
and a hash that changes with any word of the terms or the texts."""

from response.agreement_text import agreement_hash, compose_text

PARTY = {"acronym": "CalGuard", "name_en": "California Guard", "name_es": "Guardia de California",
         "nation": "USA", "nation_en": "United States", "nation_es": "Estados Unidos"}
ASSISTING = {"acronym": "PCBC", "name_en": "Baja California Civil Protection",
             "name_es": "Protección Civil de Baja California", "nation": "MEX",
             "nation_en": "Mexico", "nation_es": "México"}


def terms(**changes):
    base = {
        "request_number": "USA-2025-0007",
        "incident": {"id": 1, "name_en": "Palisades Fire", "name_es": "Incendio Palisades",
                     "country": "USA"},
        "requesting_organization": PARTY, "assisting_organization": ASSISTING,
        "lines": [{"kind": "ENG-1", "kind_en": "Fire engine", "kind_es": "Autobomba",
                   "quantity": 2, "headcount": 8, "agency": "PCBC",
                   "agency_en": "Baja California Civil Protection", "agency_es": ""}],
        "self_sustaining": True, "duration_days": 14, "available_from": "2025-01-08 06:00 UTC",
        "cost_terms": "reimbursable", "estimated_cost": "125000.00", "currency": "MXN",
        "conditions_en": "Bring PPE.", "conditions_es": "", "reporting_location": "Pasadena",
        "needed_by": "2025-01-09 00:00 UTC",
    }
    return base | changes


def test_the_text_numbers_each_clause_in_either_language():
    english, spanish = compose_text(terms(), "en"), compose_text(terms(), "es")
    assert english.splitlines()[0] == "MUTUAL AID AGREEMENT — version 1"
    assert "1. Request: USA-2025-0007 of CalGuard (California Guard, United States), for the " \
           "incident Palisades Fire." in english
    assert "   2.1. 2 × Fire engine (ENG-1), 8 people, from PCBC" in english
    assert "estimated at 125,000.00 MXN." in english
    assert "2.1. 2 × Autobomba (ENG-1), 8 personas, de PCBC" in spanish
    assert "Incendio Palisades" in spanish
    # A name missing in one language falls back to the other.
    assert "(Baja California Civil Protection)." in spanish
    assert "7. Condiciones: Bring PPE." in spanish


def test_the_cost_clause_follows_the_cost_terms():
    donated = compose_text(terms(cost_terms="donated"), "en")
    assert "6. Cost: donated; the assisting party bears its own costs." in donated
    assert "125,000.00" not in donated
    unestimated = compose_text(terms(estimated_cost=None), "es")
    assert "estimados en aún sin estimar." in unestimated


def test_an_unsolicited_amendment_names_the_version_it_amends():
    text = compose_text(terms(request_number=None, reporting_location=None), "en", version=2,
                        amends_version=1, reason="Crews stay longer")
    assert "Amends version 1. Reason for the amendment: Crews stay longer" in text
    assert "accepts an unsolicited offer for the incident Palisades Fire." in text
    assert "3. Reporting location: as the requesting party directs." in text


def test_the_hash_changes_with_any_term_or_word():
    base = terms()
    text_en, text_es = compose_text(base, "en"), compose_text(base, "es")
    digest = agreement_hash(base, text_en, text_es)
    assert digest == agreement_hash(dict(reversed(base.items())), text_en, text_es)
    assert len(digest) == 64
    assert digest != agreement_hash(terms(duration_days=15), text_en, text_es)
    assert digest != agreement_hash(base, text_en + " ", text_es)
