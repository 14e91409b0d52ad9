"""The border events' map layer: real events only (exercises on their own when asked), points
and perimeters in [longitude, latitude] order, names in the reader's language, and only what
is released to the reader; the map page draws it and names it in its legend."""

import json

import pytest
from django.urls import reverse

from border.tests.factories import MEXICALI, report

pytestmark = pytest.mark.django_db

LAYER = "/api/v1/map/border-events"
PERIMETER = {"type": "Polygon", "coordinates": [[[-116.9, 32.53], [-116.83, 32.53],
                                                 [-116.84, 32.61], [-116.9, 32.53]]]}


def _features(client, **query):
    response = client.get(LAYER, query)
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/geo+json")
    return json.loads(response.content)["features"]


def test_the_layer_draws_real_events_with_their_perimeters(us, mx, client_for):
    fire = report(us, perimeter=PERIMETER)
    drill = report(us, title="Drill", kind="earthquake", point=MEXICALI, is_exercise=True)
    hidden = report(us, title="US only", rel_to=())
    features = _features(client_for(us))
    assert {f["id"] for f in features} == {f"border-event-{fire.pk}",
                                           f"border-event-{fire.pk}-perimeter",
                                           f"border-event-{hidden.pk}"}
    point = next(f for f in features if f["id"] == f"border-event-{fire.pk}")
    assert point["geometry"]["coordinates"] == [fire.longitude, fire.latitude]
    assert point["properties"]["side"] == "USA" and not point["properties"]["exercise"]
    exercises = _features(client_for(us), exercise="true")
    assert [f["id"] for f in exercises] == [f"border-event-{drill.pk}"]
    assert exercises[0]["properties"]["banner"] == "EXERCISE EXERCISE EXERCISE"
    # Mexico sees what is released to it, named in Spanish.
    spanish = _features(client_for(mx, HTTP_ACCEPT_LANGUAGE="es"))
    assert {f["id"] for f in spanish} == {f"border-event-{fire.pk}",
                                          f"border-event-{fire.pk}-perimeter"}
    assert spanish[0]["properties"]["name"] == "Incendio Otay Mountain Fire"


def test_the_map_page_loads_the_layer_and_names_it(us, client_for):
    content = client_for(us).get(reverse("response:map")).content.decode()
    start = content.index('<script id="map-config" type="application/json">')
    config = json.loads(content[start:].split(">", 1)[1].split("</script>", 1)[0])
    assert config["endpoints"]["border_events"] == LAYER
    assert config["labels"]["layers"]["border_events"] == "Border events (real)"
    assert "border_events" in config["order"]
