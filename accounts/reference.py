"""Reference data every Enlace instance needs: nations and the partnership's organizations.

Loaded by `enlace load_reference` (and by the demo). Idempotent: it updates rows by their code.
"""

from django.db import transaction

NATIONS = [
    ("USA", "United States", "Estados Unidos"),
    ("MEX", "Mexico", "México"),
    ("UKR", "Ukraine", "Ucrania"),
    ("NGA", "Nigeria", "Nigeria"),
]

# (acronym, nation, kind, English name, Spanish name)
ORGANIZATIONS = [
    ("CalGuard", "USA", "military", "California National Guard",
     "Guardia Nacional de California"),
    ("CalOES", "USA", "emergency_management", "California Governor's Office of Emergency "
     "Services", "Oficina de Servicios de Emergencia del Gobernador de California"),
    ("CAL FIRE", "USA", "fire", "California Department of Forestry and Fire Protection",
     "Departamento de Silvicultura y Protección contra Incendios de California"),
    ("DEFENSA", "MEX", "military", "Secretariat of National Defense",
     "Secretaría de la Defensa Nacional"),
    ("CNPC", "MEX", "civil_protection", "National Civil Protection Coordination",
     "Coordinación Nacional de Protección Civil"),
    ("PC-BC", "MEX", "civil_protection", "Baja California State Civil Protection",
     "Coordinación Estatal de Protección Civil de Baja California"),
    ("PC-BCS", "MEX", "civil_protection", "Baja California Sur State Civil Protection",
     "Unidad Estatal de Protección Civil de Baja California Sur"),
    ("CONAFOR", "MEX", "fire", "National Forestry Commission", "Comisión Nacional Forestal"),
    ("ZSU", "UKR", "military", "Armed Forces of Ukraine", "Fuerzas Armadas de Ucrania"),
    ("DSNS", "UKR", "civil_protection", "State Emergency Service of Ukraine",
     "Servicio Estatal de Emergencias de Ucrania"),
    ("AFN", "NGA", "military", "Armed Forces of Nigeria", "Fuerzas Armadas de Nigeria"),
    ("NEMA", "NGA", "emergency_management", "National Emergency Management Agency (Nigeria)",
     "Agencia Nacional de Gestión de Emergencias (Nigeria)"),
]


@transaction.atomic
def load_reference():
    from accounts.models import Nation, Organization

    nations = {}
    for code, name_en, name_es in NATIONS:
        nations[code], _ = Nation.objects.update_or_create(
            code=code, defaults={"name_en": name_en, "name_es": name_es}
        )
    for acronym, nation, kind, name_en, name_es in ORGANIZATIONS:
        Organization.objects.update_or_create(
            acronym=acronym,
            defaults={"nation": nations[nation], "kind": kind, "name_en": name_en,
                      "name_es": name_es},
        )
    return nations
