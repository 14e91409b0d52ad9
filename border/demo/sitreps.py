"""The demo's joint situation reports of the Otay Mountain fire, dated from the fire's start: the
first operational period's report, written by Cal OES for the United States and by Baja
California civil protection for Mexico, both in English and Spanish, published; and the second
period's, the US section submitted and Mexico's still a draft, so the demo shows both states.
Everything goes through the border services as the demo users. Idempotent: nothing is made
when the fire already has a report (or is missing)."""

from datetime import timedelta

from border.models import BorderEvent, SitrepSection
from border.services import sitreps
from core.demo import happened_at

OTAY_FIRE = "Otay Mountain Fire crossing the line"

FIRST_US = {
    "situation_en": "About 350 acres on the south slope of Otay Mountain, running south-west "
                    "with Santa Ana winds; two spot fires crossed south of the border fence "
                    "near Cañón del Matadero.",
    "situation_es": "Unas 140 hectáreas en la ladera sur del cerro Otay, con avance al "
                    "suroeste por vientos de Santa Ana; dos focos cruzaron al sur del cerco "
                    "fronterizo cerca de Cañón del Matadero.",
    "actions_en": "CAL FIRE air attack on the head of the fire; dozer line along the truck "
                  "trail north of the fence; unified command call with Baja California.",
    "actions_es": "Ataque aéreo de CAL FIRE en la cabeza del incendio; brecha con bulldozer "
                  "sobre el camino al norte del cerco; llamada de mando unificado con Baja "
                  "California.",
    "resources_en": "2 air tankers, 1 helicopter, 6 engines, 2 hand crews, 1 dozer.",
    "resources_es": "2 aviones cisterna, 1 helicóptero, 6 carros bomba, 2 brigadas de "
                    "combate, 1 bulldozer.",
    "needs_en": "Ground access south of the fence for spot-fire suppression, coordinated "
                "with Mexican crews.",
    "needs_es": "Acceso terrestre al sur del cerco para combatir los focos, coordinado con "
                "las brigadas mexicanas.",
    "next_period_en": "Hold the line at the truck trail overnight; air attack resumes at "
                      "first light.",
    "next_period_es": "Sostener la línea en el camino durante la noche; el ataque aéreo se "
                      "reanuda al amanecer.",
}
FIRST_MX = {
    "situation_en": "Two spot fires south of the line near Cañón del Matadero; the southern "
                    "front is 1.5 km from the first homes of Mesa de Otay.",
    "situation_es": "Dos focos al sur de la línea cerca de Cañón del Matadero; el frente sur "
                    "está a 1.5 km de las primeras viviendas de Mesa de Otay.",
    "actions_en": "Two Baja California civil protection crews and Tijuana firefighters on "
                  "the spot fires; residents of Cañón del Matadero alerted for a possible "
                  "evacuation.",
    "actions_es": "Dos brigadas de Protección Civil BC y bomberos de Tijuana en los focos; "
                  "se alertó a los vecinos de Cañón del Matadero para una posible "
                  "evacuación.",
    "resources_en": "2 civil protection crews, 4 Tijuana fire engines, 1 water tender.",
    "resources_es": "2 brigadas de Protección Civil, 4 carros bomba de Tijuana, 1 pipa.",
    "needs_en": "Air support over the southern front if the wind shifts.",
    "needs_es": "Apoyo aéreo sobre el frente sur si cambia el viento.",
    "next_period_en": "Keep the crews on the spot fires overnight; temporary shelter ready in "
                      "Mesa de Otay.",
    "next_period_es": "Mantener las brigadas en los focos durante la noche; albergue temporal "
                      "listo en Mesa de Otay.",
}
SECOND_US = {
    "situation_en": "Forward spread stopped north of the fence; about 410 acres, 40% "
                    "contained.",
    "situation_es": "Se detuvo el avance al norte del cerco; unas 165 hectáreas, 40% "
                    "contenido.",
    "actions_en": "Dozer and hand line completed along the truck trail; mop-up on the north "
                  "flank.",
    "actions_es": "Brecha con bulldozer y a mano terminada sobre el camino; liquidación en el "
                  "flanco norte.",
    "resources_en": "1 helicopter, 4 engines, 2 hand crews.",
    "resources_es": "1 helicóptero, 4 carros bomba, 2 brigadas de combate.",
    "needs_en": "None beyond the current commitment.",
    "needs_es": "Ninguna más allá de lo ya comprometido.",
    "next_period_en": "Release the air tankers; keep one helicopter on call for the southern "
                      "front.",
    "next_period_es": "Liberar los aviones cisterna; mantener un helicóptero disponible para "
                      "el frente sur.",
}
SECOND_MX_DRAFT = {
    "situation_es": "Los focos al sur de la línea están controlados; se vigila el frente sur.",
}


def load(users):
    fire = BorderEvent.objects.filter(title_en=OTAY_FIRE).first()
    if fire is None or fire.sitreps.exists():
        return
    caloes, bc = users["us.caloes"], users["mx.bc"]
    start = fire.started_at
    first_end, second_end = start + timedelta(hours=4), start + timedelta(hours=16)
    with happened_at(start + timedelta(hours=3, minutes=30)):
        first = sitreps.open_report(caloes, fire, period_start=start, period_end=first_end)
    _submit(bc, first, "MEX", FIRST_MX, start + timedelta(hours=3, minutes=50))
    _submit(caloes, first, "USA", FIRST_US, start + timedelta(hours=4, minutes=5))
    with happened_at(start + timedelta(hours=4, minutes=10)):
        second = sitreps.open_report(bc, fire, period_start=first_end, period_end=second_end)
    _submit(caloes, second, "USA", SECOND_US, start + timedelta(hours=6, minutes=20))
    with happened_at(start + timedelta(hours=6, minutes=40)):
        sitreps.write_section(bc, _section(second, "MEX"), **SECOND_MX_DRAFT)


def _section(report, nation_code):
    return SitrepSection.objects.select_related("nation").get(report=report,
                                                              nation__code=nation_code)


def _submit(user, report, nation_code, parts, at):
    with happened_at(at):
        sitreps.submit_section(user, _section(report, nation_code), **parts)
