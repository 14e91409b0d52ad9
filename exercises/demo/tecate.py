"""The demo's binational tabletop exercise, "Wildfire crossing the line at Tecate" / "Incendio
que cruza la línea en Tecate": an engagement of type exercise walked through its lifecycle to
executed, its exercise with four objectives and a twelve-inject MSEL (a fire reported near the
Tecate port of entry, smoke closing the port, a hazmat truck in the cargo queue, the evacuation
of Tecate, Baja California, air tankers requested across the line…), conducted one morning:
ten injects delivered with responses from both nations, one skipped by the controllers, the
last still scheduled when they called ENDEX early. Evaluators of both nations (Cal OES and Baja
California civil protection) record strengths and areas for improvement and rate the
objectives; the hotwash's improvement plan has items in every state (one overdue), is written
into the engagement's after-action report and measures the program's "exercise objectives met"
indicator.

Everything goes through the services as the demo users, each step dated when it happened
(core.demo.happened_at): the exercise took place 24 days before the day the demo is loaded, so
its after-action report is still within its 30 days and one item of the plan is overdue.
Idempotent: nothing is made when the engagement exists."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from accounts.models import Nation, Organization
from core.demo import happened_at, on
from core.models import Disclosure
from engagements.models import Engagement, Participation, Person
from engagements.services import engagements as engagement_services
from engagements.services import lifecycle
from exercises.models import Exercise
from exercises.services import conduct, evaluation, improvement
from exercises.services import exercises as exercise_services
from partnerships.models import Indicator, Objective, Partnership
from partnerships.services import create_indicator

TITLE_EN = "Binational tabletop exercise: wildfire crossing the line at Tecate"
TITLE_ES = "Ejercicio de gabinete binacional: incendio que cruza la línea en Tecate"
DAYS_AGO = 24
STARTEX_HOUR = 9  # in California
PLAY_MINUTES = 240
ENDED_AFTER = 220  # the controllers call ENDEX before the last inject
INDICATOR = {
    "name_en": "Binational exercise objectives met",
    "name_es": "Objetivos cumplidos en ejercicios binacionales",
    "kind": "outcome", "unit": "percent", "unit_es": "porcentaje", "direction": "increase",
    "baseline_value": Decimal(0), "target_value": Decimal(80), "frequency": "per_event",
}
P, PR = Participation, Person.Role

# (name, nation, organization, role, security force)
PEOPLE = [
    ("Sarah Whitfield", "USA", "CalGuard", PR.GUARD_MEMBER, False),
    ("Tom Okafor", "USA", "CalOES", PR.US_CIVILIAN, False),
    ("Coronel Ignacio Ruelas Vega", "MEX", "DEFENSA", PR.PARTNER_MILITARY, True),
    ("Mariana Zepeda Lugo", "MEX", "PC-BC", PR.PARTNER_CIVILIAN, False),
]

# (number, English, Spanish, core capabilities, partnership objective codes)
OBJECTIVES = [
    (1, "Notify the counterpart across the line within the contact matrix's deadlines "
        "(15 minutes for a hazardous-materials release at a port of entry).",
     "Notificar a la contraparte al otro lado de la línea dentro de los plazos de la matriz de "
     "contactos (15 minutos por una liberación de materiales peligrosos en una garita).",
     ("operational_communications", "intelligence_sharing"), ("BORDER-1", "TRAIN-1")),
    (2, "Coordinate the closure of the Tecate port of entry and its cargo queue on both sides.",
     "Coordinar el cierre de la garita de Tecate y su fila de carga en ambos lados.",
     ("operational_coordination", "critical_transportation"), ("BORDER-1", "TRAIN-1")),
    (3, "Request, agree and move air tankers across the line under the border-zone rule.",
     "Solicitar, acordar y trasladar aviones cisterna a través de la línea conforme a la regla "
     "de la zona fronteriza.",
     ("fire_management", "logistics"), ("HADR-1", "TRAIN-1")),
    (4, "Coordinate the evacuation of Tecate, Baja California, and bilingual public "
        "information.",
     "Coordinar la evacuación de Tecate, Baja California, y la información pública bilingüe.",
     ("mass_care", "public_information"), ("HADR-1", "TRAIN-1")),
]

# (number, minutes after STARTEX, sender, receivers, objectives, English, Spanish, expected
# action English, expected action Spanish, what happened: "delivered", "skipped" or
# "scheduled")
INJECTS = [
    (1, 0, "simcell", ("CalOES", "PC-BC"), (1,),
     "CAL FIRE San Diego Unit reports a vegetation fire 2 km north of the Tecate port of "
     "entry, about 50 acres, spreading south with Santa Ana winds of 40 km/h.",
     "La Unidad San Diego de CAL FIRE reporta un incendio de vegetación a 2 km al norte de la "
     "garita de Tecate, de unas 20 hectáreas, que avanza hacia el sur con vientos de Santa Ana "
     "de 40 km/h.",
     "Cal OES reports the border event; Baja California civil protection acknowledges the "
     "counterpart notice.",
     "Cal OES reporta el evento fronterizo; Protección Civil de Baja California acusa recibo "
     "del aviso a la contraparte.", "delivered"),
    (2, 15, "simcell", ("PC-BC", "DEFENSA"), (1, 4),
     "Spot fires south of the border fence near colonia Cuchumá, Tecate, Baja California; the "
     "Tecate fire department asks what is burning on the US side.",
     "Focos secundarios al sur del cerco fronterizo cerca de la colonia Cuchumá, Tecate, Baja "
     "California; Bomberos de Tecate pregunta qué arde del lado estadounidense.",
     "Baja California civil protection activates the municipal incident command and shares "
     "what it sees on the event's timeline.",
     "Protección Civil de Baja California activa el mando de incidentes municipal y comparte "
     "lo que observa en la bitácora del evento.", "delivered"),
    (3, 30, "simcell", ("CalOES", "PC-BC"), (2,),
     "Smoke drops visibility at the Tecate port of entry below 200 m: CBP suspends northbound "
     "processing and Mexican customs holds southbound traffic.",
     "El humo reduce la visibilidad en la garita de Tecate a menos de 200 m: CBP suspende el "
     "cruce hacia el norte y la Aduana mexicana detiene el tránsito hacia el sur.",
     "Each side reports its own lanes closed on the port status board, with the reason.",
     "Cada lado reporta sus carriles cerrados en el tablero de garitas, con el motivo.",
     "delivered"),
    (4, 45, "simcell", ("CalOES", "PC-BC", "DEFENSA"), (1, 2),
     "A truck carrying LP gas (UN1075) is stuck in the commercial queue at the Tecate port, "
     "800 m from the fire front.",
     "Un camión con gas LP (UN1075) está detenido en la fila de carga de la garita de Tecate, "
     "a 800 m del frente del incendio.",
     "Notify the counterpart within 15 minutes; clear the commercial lot; coordinate a "
     "hazardous-materials team.",
     "Notificar a la contraparte en menos de 15 minutos; desalojar el patio de carga; "
     "coordinar un equipo de materiales peligrosos.", "delivered"),
    (5, 60, "controller", ("PC-BC", "DEFENSA"), (4,),
     "The fire crosses the line. Tecate civil protection orders the evacuation of colonias "
     "Cuchumá and El Encanto, about 2,500 residents.",
     "El incendio cruza la línea. Protección Civil de Tecate ordena evacuar las colonias "
     "Cuchumá y El Encanto, unas 2,500 personas.",
     "Open shelters, request DEFENSA support under Plan DN-III-E, share shelter locations "
     "with the US side.",
     "Abrir refugios temporales, solicitar el apoyo de la DEFENSA con el Plan DN-III-E y "
     "compartir la ubicación de los refugios con el lado estadounidense.", "delivered"),
    (6, 75, "simcell", ("CalOES", "CalGuard"), (3,),
     "Baja California asks for two air tankers and a helicopter with a water bucket to work "
     "the fire south of the line.",
     "Baja California solicita dos aviones cisterna y un helicóptero con helibalde para "
     "combatir el incendio al sur de la línea.",
     "Decide the request channel (within 16 km: direct between neighbouring agencies), post "
     "the resource request and offer aircraft.",
     "Decidir el canal de la solicitud (a menos de 16 km: directo entre instituciones "
     "vecinas), capturar la solicitud de recursos y ofrecer aeronaves.", "delivered"),
    (7, 90, "simcell", ("DEFENSA", "CalOES"), (3,),
     "Mexican air traffic control requires notice before foreign firefighting aircraft enter "
     "its airspace; the diplomatic note is not yet signed.",
     "El control de tránsito aéreo mexicano exige aviso antes de que aeronaves extranjeras de "
     "combate de incendios entren a su espacio aéreo; la nota diplomática aún no está firmada.",
     "DEFENSA coordinates the airspace notice and the diplomatic note; Cal OES informs the "
     "FAA.",
     "La DEFENSA coordina el aviso de espacio aéreo y la nota diplomática; Cal OES informa a "
     "la FAA.", "delivered"),
    (8, 105, "simcell", ("CalGuard", "CalOES"), (3,),
     "Cal OES asks the California National Guard for a CH-47 helicopter to support the "
     "evacuation of Tecate, California.",
     "Cal OES solicita a la Guardia Nacional de California un helicóptero CH-47 para apoyar "
     "la evacuación de Tecate, California.",
     "The Joint Operations Center checks availability and duty status (State Active Duty) and "
     "answers within 30 minutes.",
     "El Centro de Operaciones Conjuntas verifica disponibilidad y situación de servicio "
     "(servicio activo estatal) y responde en menos de 30 minutos.", "delivered"),
    (9, 120, "simcell", ("PC-BC", "CalOES"), (2, 4),
     "Forty evacuees with US documents arrive at the closed Tecate port asking to cross "
     "north.",
     "Cuarenta personas evacuadas con documentos estadounidenses llegan a la garita de Tecate, "
     "cerrada, y piden cruzar hacia el norte.",
     "Agree where and how they cross (Otay Mesa or a supervised opening at Tecate).",
     "Acordar dónde y cómo cruzan (Otay o una apertura supervisada en Tecate).", "skipped"),
    (10, 150, "simcell", ("CalOES", "PC-BC"), (4,),
     "Social media claims the Tecate port will stay closed for three days.",
     "En redes sociales se afirma que la garita de Tecate seguirá cerrada tres días.",
     "Issue matching bilingual public messages on the port's status.",
     "Emitir mensajes públicos bilingües coincidentes sobre la situación de la garita.",
     "delivered"),
    (11, 180, "controller", ("CalOES", "PC-BC", "DEFENSA", "CalGuard"), (2, 3),
     "The wind shifts: the fire moves east, away from the port. Both sides consider reopening "
     "the Tecate port.",
     "El viento cambia: el incendio avanza al este, lejos de la garita. Ambos lados evalúan "
     "reabrir la garita de Tecate.",
     "Agree the reopening and report the lanes open on the status board.",
     "Acordar la reapertura y reportar los carriles abiertos en el tablero de garitas.",
     "delivered"),
    (12, 230, "controller", ("CalOES", "PC-BC", "DEFENSA", "CalGuard"), (3,),
     "The aircraft return to base; demobilization of the units sent across the line.",
     "Las aeronaves regresan a su base; desmovilización de las unidades enviadas al otro lado "
     "de la línea.",
     "Plan the return crossing and the costs to reimburse.",
     "Planear el cruce de regreso y los costos por reembolsar.", "scheduled"),
]

# (inject, username, minutes after delivery, language, text)
RESPONSES = [
    (1, "us.caloes", 4, "en", "Border event reported in Enlace; Baja California and DEFENSA "
                              "notified through the contact matrix."),
    (1, "mx.bc", 6, "es", "Acuse de recibo del aviso de Cal OES. Activamos a Protección Civil "
                          "Municipal de Tecate."),
    (2, "mx.bc", 8, "es", "Mando de incidentes municipal activado en la estación de Bomberos de "
                          "Tecate; dos brigadas en la colonia Cuchumá."),
    (2, "mx.liaison", 20, "es", "La 2a Zona Militar alista un pelotón para apoyo a la "
                                "población."),
    (3, "us.caloes", 7, "en", "US lanes at Tecate reported closed on the status board: smoke, "
                              "visibility under 200 m."),
    (3, "mx.bc", 10, "es", "Carriles mexicanos de Tecate cerrados en el tablero; la fila de "
                           "carga se detiene antes del patio fiscal."),
    (4, "us.caloes", 9, "en", "Hazmat notice sent; CAL FIRE hazmat team staged at the port's "
                              "commercial lot."),
    (4, "mx.liaison", 38, "es", "El aviso llegó a la 2a Zona Militar por el canal nacional; "
                                "se coordina con Bomberos de Tecate."),
    (5, "mx.bc", 12, "es", "Dos refugios temporales abiertos: gimnasio municipal y "
                           "Cecyte Tecate. Ubicaciones compartidas por teléfono."),
    (5, "mx.liaison", 25, "es", "Se activa el Plan DN-III-E en Tecate con 60 elementos."),
    (6, "us.caloes", 15, "en", "Request within the 16 km border zone: direct between CAL FIRE "
                               "and Baja California. Two air tankers offered from Ramona."),
    (6, "us.duty", 22, "en", "JOC confirms no Guard aircraft needed for this request."),
    (7, "mx.liaison", 30, "es", "Nota diplomática en trámite con la SRE; aviso a SENEAM "
                                "preparado. Tiempo estimado: dos horas."),
    (7, "us.caloes", 35, "en", "FAA informed; the tankers hold at Ramona until Mexico "
                               "confirms the airspace notice."),
    (8, "us.duty", 18, "en", "CH-47 available at Stockton with a crew on State Active Duty; "
                             "ETA Tecate 2 h 30 min."),
    (10, "us.caloes", 14, "en", "Joint statement posted in English and Spanish: the port "
                                "reopens when visibility allows; use Otay Mesa."),
    (10, "mx.bc", 16, "es", "Comunicado conjunto publicado en español e inglés."),
    (11, "mx.bc", 10, "es", "De acuerdo con reabrir la garita a las 13:00 si la visibilidad "
                            "supera 1 km."),
    (11, "us.caloes", 12, "en", "Agreed; CBP will report the US lanes open on the board."),
]

# (evaluator, objective, kind, minutes after STARTEX, English, Spanish)
OBSERVATIONS = [
    ("us.caloes", 1, "strength", 12,
     "Baja California civil protection acknowledged the counterpart notice 6 minutes after the "
     "report: the contact matrix's first chain worked as written.",
     "Protección Civil de Baja California acusó recibo del aviso 6 minutos después del reporte: "
     "la primera cadena de la matriz de contactos funcionó como está escrita."),
    ("mx.bc", 1, "improvement", 90,
     "The hazardous-materials notice reached DEFENSA's 2nd Military Zone only through the "
     "national channel, 38 minutes after the report: the 15-minute deadline was missed and the "
     "zone's duty officer is not in the contact matrix.",
     "El aviso de materiales peligrosos llegó a la 2a Zona Militar de la DEFENSA sólo por el "
     "canal nacional, 38 minutos después del reporte: no se cumplió el plazo de 15 minutos y el "
     "oficial de guardia de la zona no está en la matriz de contactos."),
    ("mx.bc", 2, "strength", 45,
     "Both sides reported the Tecate port closed on the status board within 10 minutes, each "
     "with the reason, and the cargo queue was held before the customs yard.",
     "Ambos lados reportaron la garita de Tecate cerrada en el tablero en menos de 10 minutos, "
     "cada uno con el motivo, y la fila de carga se detuvo antes del patio fiscal."),
    ("us.caloes", 3, "improvement", 140,
     "The air tanker request waited two hours for the diplomatic note and the airspace notice: "
     "there is no standing template for foreign firefighting aircraft.",
     "La solicitud de aviones cisterna esperó dos horas por la nota diplomática y el aviso de "
     "espacio aéreo: no existe una plantilla vigente para aeronaves extranjeras de combate de "
     "incendios."),
    ("us.caloes", 4, "strength", 170,
     "Matching bilingual public messages on the port were issued within 30 minutes of the "
     "rumor.",
     "Se emitieron mensajes públicos bilingües coincidentes sobre la garita en menos de 30 "
     "minutos después del rumor."),
    ("mx.bc", 4, "improvement", 100,
     "Shelter locations in Tecate, Baja California, were shared only by phone: the US side "
     "could not see them on the map.",
     "La ubicación de los refugios en Tecate, Baja California, se compartió sólo por teléfono: "
     "el lado estadounidense no pudo verla en el mapa."),
]
RATINGS = {1: "M", 2: "P", 3: "M", 4: "S"}

# (from the observation on objective, owner, due days after the exercise, state, days after
# the exercise it reached its state, English, Spanish)
ITEMS = [
    (1, "DEFENSA", 21, "open", None,
     "Add the 2nd Military Zone's duty officer to the contact matrix for hazardous materials "
     "at the Tecate port.",
     "Agregar al oficial de guardia de la 2a Zona Militar a la matriz de contactos para "
     "materiales peligrosos en la garita de Tecate."),
    (3, "CalOES", 70, "in_progress", 9,
     "Draft a standing diplomatic note and airspace notice template for cross-border aerial "
     "firefighting.",
     "Elaborar una plantilla vigente de nota diplomática y aviso de espacio aéreo para el "
     "combate aéreo de incendios transfronterizo."),
    (4, "PC-BC", 14, "done", 12,
     "Publish shelter locations as a shared layer of the Enlace map.",
     "Publicar la ubicación de los refugios como una capa compartida del mapa de Enlace."),
    (None, "CalGuard", 90, "cancelled", 16,
     "Run a second tabletop on a hazardous-materials release at Otay Mesa before the fire "
     "season.",
     "Realizar un segundo ejercicio de gabinete sobre una liberación de materiales peligrosos "
     "en Otay antes de la temporada de incendios."),
    (None, "CalOES", 60, "open", None,
     "Keep a bilingual press release template for port closures caused by fire.",
     "Mantener una plantilla bilingüe de comunicado de prensa para cierres de garita por "
     "incendio."),
]
STEPS = {"in_progress": ("start",), "done": ("start", "complete"), "cancelled": ("cancel",)}


def load(users):
    if Engagement.objects.filter(title_en=TITLE_EN).exists():
        return
    partnership = Partnership.objects.filter(us_state="CA", partner_nation__code="MEX").first()
    if partnership is None:
        return
    coordinator = users["us.coordinator"]
    day = timezone.localdate() - timedelta(days=DAYS_AGO)
    startex = datetime.combine(day, time(STARTEX_HOUR), ZoneInfo(settings.TIME_ZONE))
    objectives = {o.code: o for o in Objective.objects.filter(
        line_of_effort__partnership=partnership)}
    engagement = _engagement(coordinator, partnership, objectives, day)
    exercise = _plan(coordinator, engagement, objectives, startex)
    _conduct(users, exercise, startex)
    _evaluate(users, exercise, startex)
    _improvement_plan(users, exercise, day, objectives)


def _engagement(user, partnership, objectives, day):
    """The engagement, planned months ahead and walked to executed the day after."""
    mex, usa = Nation.objects.get(code="MEX"), Nation.objects.get(code="USA")
    created = day - timedelta(days=150)
    with happened_at(on(created)):
        engagement = engagement_services.create_engagement(
            user, partnership=partnership, rel_to=[usa, mex], disclosure=Disclosure.APPROVED,
            objectives=[objectives[c] for c in ("TRAIN-1", "BORDER-1", "HADR-1")
                        if c in objectives],
            title_en=TITLE_EN, title_es=TITLE_ES, type=Engagement.Type.EXERCISE,
            direction=Engagement.Direction.HOSTED,
            location="Tecate, California (CAL FIRE Tecate Station)",
            start_date=day, end_date=day, lead=user, partner_non_military=True)
    with happened_at(on(created + timedelta(days=3))):
        engagement_services.create_budget_line(
            user, engagement, description="Venue, interpretation and per diem",
            amount=Decimal("8600.00"), fund_source="SPP (10 U.S.C. 341)", state="allotted")
    registered = created + timedelta(days=7)
    with happened_at(on(registered)):
        for name, nation, acronym, role, security_force in PEOPLE:
            _participant(user, engagement, name, nation, acronym, role, security_force)
    for name, before in (("nominated", 120), ("approved", 90), ("funded", 60),
                         ("preparing", 45), ("ready", 30)):
        moment = day - timedelta(days=before)
        with happened_at(on(moment, 16)):
            lifecycle.transition(user, engagement, name, today=moment)
    with happened_at(on(day, 8)):
        lifecycle.transition(user, engagement, "in_execution", today=day)
    with happened_at(on(day + timedelta(days=1), 9)):
        lifecycle.transition(user, engagement, "executed", today=day + timedelta(days=1))
    engagement.refresh_from_db()
    return engagement


def _participant(user, engagement, name, nation_code, acronym, role, security_force):
    nation = Nation.objects.get(code=nation_code)
    organization = Organization.objects.get(acronym=acronym)
    person = Person.objects.filter(full_name=name, owner_nation=engagement.owner_nation).first()
    if person is None:
        person = engagement_services.create_person(
            user, rel_to=[Nation.objects.get(code="MEX")], disclosure=Disclosure.APPROVED,
            full_name=name, nation=nation, organization=organization, role=role,
            languages="es, en" if nation_code == "MEX" else "en, es",
            security_force=security_force)
    gates = {}
    if nation_code == "MEX":
        gates = {"visa": P.Visa.ISSUED, "briefing_disclosure": P.BriefingDisclosure.CLEARED}
        if security_force:
            gates.update(vetting=P.Vetting.APPROVED,
                         vetting_reference=f"INVEST-{engagement.pk:04d}-TEC")
    engagement_services.add_participant(user, engagement, person, **gates)


def _plan(user, engagement, objectives, startex):
    """The exercise, its objectives and MSEL, written three weeks before STARTEX."""
    with happened_at(on(timezone.localdate(startex) - timedelta(days=21), 11)):
        exercise = exercise_services.create_exercise(
            user, engagement, kind=Exercise.Kind.TABLETOP,
            scenario_en="Late October, Santa Ana winds. A wildfire starts north of the Tecate "
                        "port of entry and burns south across the line into Tecate, Baja "
                        "California, closing the port and threatening two colonias. Players: "
                        "Cal OES and the California National Guard, Baja California civil "
                        "protection and DEFENSA.",
            scenario_es="Fines de octubre, vientos de Santa Ana. Un incendio forestal inicia "
                        "al norte de la garita de Tecate y avanza al sur, cruza la línea hacia "
                        "Tecate, Baja California, cierra la garita y amenaza a dos colonias. "
                        "Participan Cal OES y la Guardia Nacional de California, Protección "
                        "Civil de Baja California y la DEFENSA.",
            startex=startex, endex=startex + timedelta(minutes=PLAY_MINUTES))
        made = {}
        for number, text_en, text_es, capabilities, codes in OBJECTIVES:
            made[number] = exercise_services.add_objective(
                user, exercise, number=number, text_en=text_en, text_es=text_es,
                capabilities=list(capabilities),
                partnership_objectives=[objectives[c].pk for c in codes if c in objectives])
        for (number, offset, sender, receivers, targets, text_en, text_es, expected_en,
             expected_es, _outcome) in INJECTS:
            exercise_services.add_inject(
                user, exercise, number=number, offset_minutes=offset, sender_role=sender,
                receivers=list(receivers), objectives=[made[n].pk for n in targets],
                text_en=text_en, text_es=text_es, expected_action_en=expected_en,
                expected_action_es=expected_es)
    return exercise


def _conduct(users, exercise, startex):
    """The morning of play: started at STARTEX, each inject delivered at its time (or skipped
    by the controllers), the players' responses, ENDEX called early."""
    controller = users["us.coordinator"]
    with happened_at(startex):
        conduct.conduct(controller, exercise, "start", now=startex)
    injects = {i.number: i for i in exercise.injects.all()}
    delivered = {}
    for number, offset, *_rest, outcome in INJECTS:
        moment = startex + timedelta(minutes=offset)
        inject = injects[number]
        if outcome == "delivered":
            with happened_at(moment):
                delivered[number] = conduct.deliver(inject, now=moment)
        elif outcome == "skipped":
            with happened_at(moment - timedelta(minutes=5)):
                conduct.skip_inject(controller, inject, reason=(
                    "Time: the controllers keep play on the port's reopening."))
    for number, username, minutes, language, text in RESPONSES:
        at = delivered[number].delivered_at + timedelta(minutes=minutes)
        with happened_at(at):
            conduct.respond(users[username], delivered[number], text=text, language=language,
                            at=at)
    ended = startex + timedelta(minutes=ENDED_AFTER)
    with happened_at(ended):
        conduct.conduct(controller, exercise, "end", now=ended)


def _evaluate(users, exercise, startex):
    """The evaluators (named by the controller before play) observe during play and rate the
    objectives at the hotwash, right after ENDEX."""
    controller = users["us.coordinator"]
    with happened_at(startex - timedelta(days=7)):
        evaluation.set_evaluators(controller, exercise, [users["us.caloes"], users["mx.bc"]])
    objectives = {o.number: o for o in exercise.objectives.all()}
    for username, number, kind, minutes, text_en, text_es in OBSERVATIONS:
        at = startex + timedelta(minutes=minutes)
        with happened_at(at):
            evaluation.record_observation(users[username], exercise,
                                          objective=objectives[number], kind=kind,
                                          text_en=text_en, text_es=text_es, at=at)
    hotwash = startex + timedelta(minutes=ENDED_AFTER + 20)
    for number, rating in RATINGS.items():
        evaluator = users["mx.bc"] if number % 2 else users["us.caloes"]
        with happened_at(hotwash):
            evaluation.rate_objective(evaluator, objectives[number], rating)


def _improvement_plan(users, exercise, day, objectives):
    """The improvement plan from the hotwash, its items moved on their days, written into the
    after-action report and measured against the program's indicator a week after."""
    controller = users["us.coordinator"]
    areas = {o.objective.number: o for o in exercise.observations.filter(kind="improvement")
             .select_related("objective")}
    today = timezone.localdate()
    # The first item is what the program's "objectives met" indicator waits on.
    indicator = _objectives_met_indicator(controller, objectives.get("TRAIN-1"))
    written = day + timedelta(days=2)
    items = []
    for index, (number, owner, due_days, _state, _moved, text_en, text_es) in enumerate(ITEMS):
        with happened_at(on(written, 15)):
            items.append(improvement.add_item(
                controller, exercise, text_en=text_en, text_es=text_es,
                owner_organization=Organization.objects.get(acronym=owner),
                due_date=day + timedelta(days=due_days),
                observation=areas.get(number) if number else None,
                indicator=indicator if index == 0 else None))
    for item, (_number, owner, _due, state, moved, *_texts) in zip(items, ITEMS, strict=True):
        mover = {"PC-BC": users["mx.bc"], "CalOES": users["us.caloes"]}.get(owner, controller)
        for step in STEPS.get(state, ()):
            moment = min(day + timedelta(days=moved), today)
            with happened_at(on(moment, 10 if step == "start" else 16)):
                improvement.transition_item(mover, item, step)
    week = min(day + timedelta(days=7), today)
    with happened_at(on(week, 11)):
        improvement.write_into_after_action_report(controller, exercise)
    if indicator is not None:
        with happened_at(on(week, 12)):
            improvement.record_objectives_met(controller, exercise, indicator)


def _objectives_met_indicator(user, objective):
    """The program's "exercise objectives met" indicator under the training objective, made
    once."""
    if objective is None:
        return None
    indicator = Indicator.objects.filter(objective=objective,
                                         name_en=INDICATOR["name_en"]).first()
    if indicator is None:
        baseline = min(objective.created_at.date(), timezone.localdate())
        with happened_at(on(baseline, 12)):
            indicator = create_indicator(user, objective, baseline_date=baseline,
                                         target_date=objective.target_date or baseline
                                         + timedelta(days=700), **INDICATOR)
    return indicator
