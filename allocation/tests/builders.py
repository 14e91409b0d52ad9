"""Small hand-made instances. Travel runs at 60 km/h with a road factor of 1, so a ground
move takes as many minutes as the great-circle distance has kilometres."""

from datetime import UTC, datetime

from allocation.instance import Instance, Jurisdiction, Port, Request, Resource, Travel
from allocation.travel import great_circle_km

# Wednesday 8 January 2025, 02:00 in California and Baja California.
REFERENCE = datetime(2025, 1, 8, 10, 0, tzinfo=UTC)
PLACES = {
    "san_diego": (32.7157, -117.1611),
    "chula_vista": (32.6401, -117.0842),
    "tijuana": (32.5149, -117.0382),
    "ensenada": (31.8667, -116.5964),
    "los_angeles": (34.0522, -118.2437),
    "riverside": (33.9533, -117.3962),
    "san_ysidro": (32.5433, -117.0297),
    "otay_mesa": (32.5506, -116.9382),
}
TRAVEL = Travel(road_factor=1.0, road_speed_kmh=60.0, air_speed_kmh=600.0,
                air_threshold_km=300.0, air_overhead_minutes=120.0)


def km(a, b):
    return great_circle_km(*PLACES[a], *PLACES[b])


def resource(id, place, kind="ENGINE-T3", nation=None, jurisdiction=None, **extra):
    lat, lon = PLACES[place]
    nation = nation or ("MEX" if place in ("tijuana", "ensenada") else "USA")
    return Resource(id=id, kind=kind, lat=lat, lon=lon, nation=nation,
                    jurisdiction=jurisdiction or ("BC" if nation == "MEX" else "CA"), **extra)


def request(id, place, kind="ENGINE-T3", needed_by=600, **extra):
    lat, lon = PLACES[place]
    return Request(id=id, incident=extra.pop("incident", "fire"), kind=kind,
                   quantity=extra.pop("quantity", 1), priority=extra.pop("priority", 1),
                   lat=lat, lon=lon, needed_by=needed_by, **extra)


def port(id, place, **extra):
    lat, lon = PLACES[place]
    return Port(id=id, name=id, lat=lat, lon=lon, **extra)


def instance(resources, requests, ports=(), jurisdictions=None, **extra):
    jurisdictions = jurisdictions or [Jurisdiction("CA", "USA"), Jurisdiction("BC", "MEX")]
    return Instance(reference_time=REFERENCE, resources=list(resources),
                    requests=list(requests), jurisdictions=list(jurisdictions),
                    ports=list(ports), travel=extra.pop("travel", TRAVEL), **extra)
