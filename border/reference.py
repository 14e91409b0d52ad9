"""The border event kinds every instance starts with (an administrator adds more in the admin),
loaded by code so running it again updates them and duplicates nothing."""

# (code, English name, Spanish name, mutual-aid incident kind an event of this kind opens)
EVENT_KINDS = [
    ("wildfire", "Wildfire crossing the line", "Incendio forestal que cruza la línea",
     "wildfire"),
    ("river_sewage", "Tijuana River sewage or flooding",
     "Aguas residuales o inundación del río Tijuana", "flood"),
    ("port_hazmat", "Hazardous-materials spill at a port of entry",
     "Derrame de materiales peligrosos en una garita", "hazmat"),
    ("port_mass_casualty", "Mass-casualty event at a port of entry",
     "Incidente con múltiples víctimas en una garita", "border_zone"),
    ("port_closed", "Port of entry closed or jammed", "Garita cerrada o congestionada",
     "border_zone"),
    ("migrants_distress", "Migrants in distress (desert, All-American Canal)",
     "Migrantes en peligro (desierto, Canal Todo Americano)", "border_zone"),
    ("utility_outage", "Cross-border power or water outage",
     "Corte transfronterizo de electricidad o agua", "border_zone"),
    ("earthquake", "Earthquake (e.g. Laguna Salada fault)",
     "Sismo (p. ej., falla de Laguna Salada)", "earthquake"),
]


def load_event_kinds(model):
    """Create or update the seeded kinds on `model` (the app registry's in a migration)."""
    for order, (code, name_en, name_es, incident_kind) in enumerate(EVENT_KINDS, start=1):
        model.objects.update_or_create(code=code, defaults={
            "name_en": name_en, "name_es": name_es, "incident_kind": incident_kind,
            "order": order * 10, "active": True})
