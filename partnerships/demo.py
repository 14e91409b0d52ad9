"""Demo partnerships: California's three, each releasable only to its own partner."""

from accounts.models import Nation
from core.models import Disclosure
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
        create_partnership(
            users["us.coordinator"], rel_to=[usa, partner], disclosure=Disclosure.APPROVED,
            name_en=name_en, name_es=name_es, us_state="CA", partner_nation=partner,
            established=year, combatant_command=command, description_en=desc_en,
            description_es=desc_es,
        )
