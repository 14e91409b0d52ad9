"""What Enlace derives about a border event from its point, explained in the reader's language:
the side of the California–Baja California line, the distance to it, the sister cities the
event affects and the nearest ports of entry. The geometry is response.geo's (and through it
the optimizer's `allocation.travel`): one judgement of the border for every app.
`BorderEvent.save()` stores the side and the distance; this module explains them."""

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils import formats, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from response import geo
from response.models import PortOfEntry

DATA = Path(__file__).with_name("data")
NEAREST_PORTS = 3  # ports of entry listed on an event's page


@dataclass(frozen=True)
class SisterCities:
    key: str
    name_en: str
    name_es: str
    us_city: str
    us_point: tuple  # (latitude, longitude)
    mx_city: str
    mx_point: tuple
    reach_km: float
    source: str

    @property
    def name(self):
        return self.name_es if (get_language() or "en").startswith("es") else self.name_en


@lru_cache(maxsize=1)
def sister_cities():
    """The paired towns on the line, west to east (border/data/sister_cities.csv)."""
    with open(DATA / "sister_cities.csv", encoding="utf-8", newline="") as f:
        return tuple(SisterCities(
            row["key"], row["name_en"], row["name_es"], row["us_city"],
            (float(row["us_latitude"]), float(row["us_longitude"])), row["mx_city"],
            (float(row["mx_latitude"]), float(row["mx_longitude"])), float(row["reach_km"]),
            row["source"]) for row in csv.DictReader(f))


@dataclass(frozen=True)
class Affected:
    """A pair of sister cities within reach of the event: the nearer town and its distance."""

    pair: SisterCities
    town: str
    distance_km: float

    @property
    def explanation(self):
        return _("%(town)s is %(distance)s km from the event, within the %(reach)s km Enlace "
                 "counts for %(pair)s.") % {
            "town": self.town, "distance": _km(self.distance_km),
            "reach": _km(self.pair.reach_km, 0), "pair": self.pair.name}


@dataclass(frozen=True)
class NearPort:
    port: PortOfEntry
    distance_km: float


def _side_label(side):
    return (_("the United States side (north of the line)") if side == "USA"
            else _("the Mexican side (south of the line)"))


def _km(value, digits=1):
    return formats.number_format(value, digits, use_l10n=True)


def affected_sister_cities(latitude, longitude):
    """The pairs of sister cities with a town within their reach of the point, nearest first."""
    found = []
    for pair in sister_cities():
        distances = {pair.us_city: geo.great_circle_km(latitude, longitude, *pair.us_point),
                     pair.mx_city: geo.great_circle_km(latitude, longitude, *pair.mx_point)}
        town = min(distances, key=distances.get)
        if distances[town] <= pair.reach_km:
            found.append(Affected(pair, town, round(distances[town], 1)))
    return sorted(found, key=lambda a: a.distance_km)


def nearest_ports(latitude, longitude, count=NEAREST_PORTS):
    """The `count` ports of entry nearest the point, with their great-circle distances."""
    ports = [NearPort(port, round(geo.great_circle_km(latitude, longitude, port.latitude,
                                                      port.longitude), 1))
             for port in PortOfEntry.objects.all()]
    return sorted(ports, key=lambda p: (p.distance_km, p.port.key))[:count]


@dataclass(frozen=True)
class EventDerivation:
    side: str  # "USA" north of the line, "MEX" south of it
    distance_km: float
    sister_cities: tuple
    ports: tuple
    zone_km: float = geo.BORDER_ZONE_KM
    # A port closure: the side whose lanes closed (the port status report's), which is the
    # event's side, and the side the port's point falls on, which is not what decides it.
    lanes_side: str = ""
    point_side: str = ""

    @property
    def side_label(self):
        return _side_label(self.side)

    @property
    def in_border_zone(self):
        return self.distance_km <= self.zone_km

    @property
    def explanation(self):
        """Where the event is and what it touches, in the active language."""
        values = {"distance": _km(self.distance_km), "side": self.side_label,
                  "zone_km": _km(self.zone_km, 0)}
        if self.lanes_side:
            values["point_side"] = _side_label(self.point_side or self.side)
            sentences = [_("The event is about the port's lanes on %(side)s: that is its side "
                           "of the line, as the port status report gives it, whatever side "
                           "the port's point falls on (%(point_side)s). The port is "
                           "%(distance)s km from the California–Baja California boundary.")
                         % values]
        else:
            sentences = [_("The event is %(distance)s km from the California–Baja California "
                           "boundary, on %(side)s.") % values]
        sentences.append(
            _("That is within the %(zone_km)s km border zone, where neighbouring agencies "
              "work with each other directly.") % values if self.in_border_zone
            else _("That is beyond the %(zone_km)s km border zone: the counterparts are "
                   "reached through national channels.") % values)
        if self.sister_cities:
            sentences.append(_("Sister cities affected: %(pairs)s.") % {
                "pairs": ", ".join(a.pair.name for a in self.sister_cities)})
        else:
            sentences.append(_("No pair of sister cities is within reach."))
        if self.ports:
            nearest = self.ports[0]
            sentences.append(_("The nearest port of entry is %(port)s, %(distance)s km "
                               "away.") % {"port": nearest.port.name,
                                           "distance": _km(nearest.distance_km)})
        return " ".join(sentences)

    def explanations(self):
        """The explanation in English and in Spanish, for notices that carry both."""
        result = {}
        for language in ("en", "es"):
            with translation.override(language):
                result[language] = self.explanation
        return result


def for_event(event):
    """The derivation of a saved event, from the side and distance it stores (a port
    closure's side is its lanes' side: `BorderEvent.lanes_side`)."""
    point_side = (geo.side_of_boundary(event.latitude, event.longitude) if event.lanes_side
                  else event.side)
    return EventDerivation(event.side, event.border_distance_km,
                           tuple(affected_sister_cities(event.latitude, event.longitude)),
                           tuple(nearest_ports(event.latitude, event.longitude)),
                           lanes_side=event.lanes_side, point_side=point_side)
