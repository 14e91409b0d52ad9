"""The core capabilities (FEMA's National Preparedness Goal) an exercise objective maps to,
the ones a binational border exercise draws on; loaded by code so running it again updates
them and duplicates nothing. An administrator may add more in the admin."""

# (code, English name, Spanish name)
CORE_CAPABILITIES = [
    ("planning", "Planning", "Planeación"),
    ("public_information", "Public information and warning", "Información pública y alertamiento"),
    ("operational_coordination", "Operational coordination", "Coordinación operativa"),
    ("operational_communications", "Operational communications",
     "Comunicaciones operativas"),
    ("situational_assessment", "Situational assessment", "Evaluación de la situación"),
    ("intelligence_sharing", "Intelligence and information sharing",
     "Inteligencia e intercambio de información"),
    ("fire_management", "Fire management and suppression",
     "Manejo y combate de incendios"),
    ("search_and_rescue", "Mass search and rescue operations",
     "Operaciones de búsqueda y rescate masivo"),
    ("environmental_response", "Environmental response/health and safety",
     "Respuesta ambiental, salud y seguridad"),
    ("critical_transportation", "Critical transportation", "Transporte crítico"),
    ("mass_care", "Mass care services", "Servicios de atención masiva"),
    ("health_ems", "Public health, healthcare and emergency medical services",
     "Salud pública, atención médica y servicios médicos de urgencia"),
    ("logistics", "Logistics and supply chain management",
     "Logística y gestión de la cadena de suministro"),
    ("infrastructure", "Infrastructure systems", "Sistemas de infraestructura"),
    ("security_protection", "On-scene security, protection and law enforcement",
     "Seguridad, protección y funciones de seguridad pública en el lugar"),
]


def load_core_capabilities(model):
    """Create or update the seeded capabilities on `model` (the app registry's in a
    migration)."""
    for order, (code, name_en, name_es) in enumerate(CORE_CAPABILITIES, start=1):
        model.objects.update_or_create(code=code, defaults={
            "name_en": name_en, "name_es": name_es, "order": order * 10, "active": True})
