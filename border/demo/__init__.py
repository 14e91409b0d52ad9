"""Demo border events, dated relative to the day the demo is loaded so the live screens have
data (`core.demo.happened_at`): a wildfire burning across the line on Otay Mountain, reported by
the US side and confirmed, with a timeline written by both nations and its mutual-aid incident;
sewage in the Tijuana River, owned by Mexico and released to the United States; Otay Mesa
closed for a few hours three weeks ago; and an exercise event (an earthquake on the Laguna
Salada fault) that no real-event list or count shows. Everything goes through the border
services as the demo users. Idempotent: nothing is made when the Otay Mountain fire exists."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Nation, Organization
from border.demo import notices as notice_demo
from border.demo import ports as port_demo
from border.demo import sitreps as sitrep_demo
from border.models import BorderEvent, BorderEventKind, TimelineEntry
from border.reference import load_event_kinds
from border.services import events
from core.demo import happened_at
from core.models import Disclosure

APPROVED = Disclosure.APPROVED
OTAY_FIRE = "Otay Mountain Fire crossing the line"


def load(users):
    load_event_kinds(BorderEventKind)  # with the migrations; a flushed database lacks them
    if BorderEvent.objects.filter(title_en=OTAY_FIRE).exists():
        port_demo.load(users)  # the status board, made on its own when missing
        notice_demo.load(users)  # the notices, of any event that has none yet
        sitrep_demo.load(users)  # the fire's joint situation reports, when it has none
        return
    mex, usa = Nation.objects.get(code="MEX"), Nation.objects.get(code="USA")
    now = timezone.now().replace(second=0, microsecond=0)
    _otay_fire(users, mex, now)
    _tijuana_river(users, usa, now)
    _otay_mesa_closed(users, mex, now)
    _laguna_salada_exercise(users, usa, now)
    port_demo.load(users)  # the port-of-entry status board, with the Otay Mesa closure
    notice_demo.load(users)  # the counterpart notices of every event above, as reported
    sitrep_demo.load(users)  # the fire's joint situation reports: one published, one not yet


def _entry(user, event, at, kind, language, text):
    with happened_at(at):
        events.add_timeline_entry(user, event, kind=kind, language=language, text=text, at=at)


def _otay_fire(users, mex, now):
    caloes, duty, bc = users["us.caloes"], users["us.duty"], users["mx.bc"]
    started = now - timedelta(hours=7)
    with happened_at(started + timedelta(minutes=25)):
        fire = events.report_event(
            caloes, kind="wildfire", title_en=OTAY_FIRE,
            title_es="Incendio del cerro Otay que cruza la línea",
            description_en="Vegetation fire on the south slope of Otay Mountain, spreading "
                           "south-west with Santa Ana winds; spot fires reported south of the "
                           "border fence.",
            description_es="Incendio de vegetación en la ladera sur del cerro Otay, avanza "
                           "hacia el suroeste con vientos de Santa Ana; se reportan focos al sur "
                           "del cerco fronterizo.",
            severity=BorderEvent.Severity.SEVERE, started_at=started,
            latitude=32.5851, longitude=-116.8602, claimed_side="USA",
            perimeter={"type": "Polygon", "coordinates": [[
                [-116.905, 32.530], [-116.835, 32.530], [-116.820, 32.575],
                [-116.845, 32.610], [-116.895, 32.605], [-116.905, 32.530]]]},
            reporting_organization=Organization.objects.get(acronym="CAL FIRE"),
            rel_to=[mex], disclosure=APPROVED)
    _entry(caloes, fire, started + timedelta(minutes=40), TimelineEntry.Kind.OBSERVATION, "en",
           "CAL FIRE air attack: about 350 acres, running toward the line; two spot fires "
           "south of the fence near Cañón del Matadero.")
    _entry(bc, fire, started + timedelta(hours=1, minutes=10), TimelineEntry.Kind.ACTION, "es",
           "Protección Civil BC despliega dos brigadas y coordina con bomberos de Tijuana en "
           "la colonia Cañón del Matadero; se alerta a la población para una posible "
           "evacuación.")
    with happened_at(started + timedelta(hours=1, minutes=30)):
        events.transition_event(caloes, fire, "confirm")
    _entry(duty, fire, started + timedelta(hours=2), TimelineEntry.Kind.DECISION, "en",
           "Joint decision at the unified command call: direct requests between CAL FIRE San "
           "Diego and Baja California under the border-zone rule; open a mutual-aid incident.")
    with happened_at(started + timedelta(hours=2, minutes=10)):
        events.open_incident(caloes, fire)
    _entry(bc, fire, started + timedelta(hours=3), TimelineEntry.Kind.OBSERVATION, "es",
           "El frente sur está a 1.5 km de las primeras viviendas de Mesa de Otay; viento "
           "del noreste a 35 km/h.")


def _tijuana_river(users, usa, now):
    bc, caloes = users["mx.bc"], users["us.caloes"]
    started = now - timedelta(days=2, hours=5)
    with happened_at(started + timedelta(hours=1)):
        river = events.report_event(
            bc, kind="river_sewage", title_en="Tijuana River sewage overflow after a "
                                                "collector break",
            title_es="Derrame de aguas residuales en el río Tijuana por la ruptura de un "
                     "colector",
            description_en="A collector broke upstream of the international line; raw sewage "
                           "flows north toward the Tijuana River Valley and the Imperial Beach "
                           "shoreline.",
            description_es="Se rompió un colector aguas arriba de la línea internacional; las "
                           "aguas residuales escurren hacia el norte, al valle del río Tijuana y "
                           "las playas de Imperial Beach.",
            severity=BorderEvent.Severity.MODERATE, started_at=started,
            latitude=32.5318, longitude=-117.0520, claimed_side="MEX",
            rel_to=[usa], disclosure=APPROVED)
    with happened_at(started + timedelta(hours=3)):
        events.transition_event(bc, river, "confirm")
    _entry(bc, river, started + timedelta(hours=4), TimelineEntry.Kind.ACTION, "es",
           "CESPT instala un bypass provisional; se estima reparar el colector en 48 horas.")
    _entry(caloes, river, started + timedelta(hours=6), TimelineEntry.Kind.DECISION, "en",
           "San Diego County closes the Imperial Beach shoreline until sampling is clear.")


def _otay_mesa_closed(users, mex, now):
    duty = users["us.duty"]
    started = now - timedelta(days=21, hours=3)
    with happened_at(started + timedelta(minutes=20)):
        port = events.report_event(
            duty, kind="port_closed", title_en="Otay Mesa port closed: suspicious package",
            title_es="Garita de Otay cerrada por un paquete sospechoso",
            description_en="CBP closed the passenger and commercial lanes at Otay Mesa while a "
                           "suspicious package was examined.",
            description_es="CBP cerró los carriles de pasajeros y de carga en Otay mientras se "
                           "revisaba un paquete sospechoso.",
            severity=BorderEvent.Severity.MINOR, started_at=started,
            latitude=32.5506, longitude=-116.9382,
            reporting_organization=Organization.objects.get(acronym="CalOES"),
            rel_to=[mex], disclosure=APPROVED)
    with happened_at(started + timedelta(hours=4)):
        events.transition_event(duty, port, "close", reason="Lanes reopened at 14:10.")


def _laguna_salada_exercise(users, usa, now):
    liaison, duty = users["mx.liaison"], users["us.duty"]
    started = now - timedelta(hours=26)
    with happened_at(started + timedelta(minutes=15)):
        quake = events.report_event(
            liaison, kind="earthquake", is_exercise=True,
            title_en="M6.8 earthquake on the Laguna Salada fault (exercise)",
            title_es="Sismo M6.8 en la falla de Laguna Salada (ejercicio)",
            description_en="Tabletop inject: strong shaking in Mexicali and Calexico, damage "
                           "to the Calexico West port and the Mexicali aqueduct.",
            description_es="Inyección de ejercicio de gabinete: sacudida fuerte en Mexicali y "
                           "Calexico, daños en la garita Mexicali Centro y el acueducto.",
            severity=BorderEvent.Severity.EXTREME, started_at=started,
            latitude=32.4150, longitude=-115.6930, claimed_side="MEX",
            rel_to=[usa], disclosure=APPROVED)
    _entry(duty, quake, started + timedelta(minutes=50), TimelineEntry.Kind.ACTION, "en",
           "EXERCISE: CalGuard JOC stands up a liaison cell for Imperial County.")
