"""Realistic synthetic instances on California and Baja California geography.

Home bases are the project's curated places (allocation/data/places.csv), crossings its ports of
entry, kinds and substitutes a 20-kind slice of its resource-type crosswalk (see
allocation/data/README.md). Incidents are drawn from fourteen scenarios on both sides of the
border (wildfires, earthquakes, a flood, hurricanes), each with the mix of kinds it asks for.
Resources come in small batches (a strike team, a task force) sharing a base, availability,
credentials and eligibility, as agencies send them. Everything is drawn from
`random.Random(seed)`: the same size and seed give the same instance.
"""

import csv
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from allocation.instance import (
    DAYS,
    Instance,
    Jurisdiction,
    Port,
    Request,
    Resource,
    Substitution,
    Travel,
)
from allocation.travel import side_of_boundary

DATA = Path(__file__).with_name("data")
SIZES = {  # resources, requests
    "small": (500, 50),
    "medium": (2_000, 200),
    "large": (5_000, 500),
    "xlarge": (20_000, 2_000),
}
# A Wednesday, 08:00 in California; each instance starts at a seeded hour of that week, so
# weekday-only ports and night closures come up.
BASE_TIME = datetime(2025, 1, 8, 16, 0, tzinfo=UTC)

CA_REGIONS = {  # Cal OES mutual-aid regions of the home bases
    "Los Angeles": "I", "Pacific Palisades": "I", "Altadena": "I", "Malibu": "I",
    "Los Angeles International Airport (LAX)": "I",
    "Joint Forces Training Base Los Alamitos": "I",
    "Moffett Field": "II", "Redding": "III", "Sacramento": "IV", "Fresno": "V",
    "Camp Roberts": "V",
}
JURISDICTIONS = [
    # id, nation, name, keep share, keep share by kind
    ("CA-OES-I", "USA", "Cal OES Region I (Southern)", 0.3,
     {"ENGINE-T1": 0.5, "AMB-STRIKE-ALS": 0.5}),
    ("CA-OES-II", "USA", "Cal OES Region II (Coastal)", 0.3, {"ENGINE-T1": 0.5}),
    ("CA-OES-III", "USA", "Cal OES Region III (Northern)", 0.3, {}),
    ("CA-OES-IV", "USA", "Cal OES Region IV (Capitol)", 0.3, {}),
    ("CA-OES-V", "USA", "Cal OES Region V (Central)", 0.3, {}),
    ("CA-OES-VI", "USA", "Cal OES Region VI (Southern inland)", 0.3,
     {"ENGINE-T1": 0.5, "AMB-STRIKE-ALS": 0.5}),
    ("MX-BC", "MEX", "Baja California", 0.3, {"ENGINE-T1": 0.5}),
    ("MX-BCS", "MEX", "Baja California Sur", 0.4, {}),
    ("MX-FED", "MEX", "Federal (DEFENSA, CONAFOR, CNPC)", 0.2, {}),
]
# Relative supply of each kind by nation.
SUPPLY = {
    "USA": {"CREW-HAND-T1": 3, "CREW-HAND-T2IA": 4, "CREW-HAND-T2": 4, "MIL-HAND-CREW": 2,
            "ENGINE-T1": 5, "ENGINE-T3": 6, "ENGINE-T6": 3, "WATER-TENDER-TAC": 3,
            "DOZER-T1": 2, "DOZER-T2": 2, "HELO-T1": 1, "HELO-T2": 2, "AIRTANKER-LARGE": 1,
            "USAR-TF-T1": 1, "USAR-TF-T3": 1, "AMB-STRIKE-ALS": 3, "MED-TEAM-FIELD": 2,
            "FIELD-KITCHEN": 1, "GENERATOR": 3},
    "MEX": {"CREW-CONAFOR": 5, "MIL-HAND-CREW": 4, "ENGINE-T1": 3, "ENGINE-T3": 2,
            "ENGINE-T6": 2, "WATER-TENDER-TAC": 2, "DOZER-T2": 2, "HELO-T2": 1,
            "USAR-TF-T1": 1, "USAR-TF-T3": 2, "AMB-STRIKE-ALS": 2, "MED-TEAM-FIELD": 3,
            "FIELD-KITCHEN": 2, "GENERATOR": 2},
}
WILDFIRE = {"CREW-HAND-T1": 3, "CREW-HAND-T2IA": 3, "CREW-HAND-T2": 4, "CREW-CONAFOR": 1,
            "MIL-HAND-CREW": 2, "ENGINE-T1": 1, "ENGINE-T3": 4, "ENGINE-T6": 3,
            "WATER-TENDER-TAC": 2, "DOZER-T1": 2, "DOZER-T2": 2, "HELO-T1": 2, "HELO-T2": 2,
            "AIRTANKER-LARGE": 1, "AMB-STRIKE-ALS": 1, "FIELD-KITCHEN": 1, "GENERATOR": 1}
EARTHQUAKE = {"USAR-TF-T1": 3, "USAR-TF-T3": 4, "AMB-STRIKE-ALS": 3, "MED-TEAM-FIELD": 3,
              "ENGINE-T1": 2, "GENERATOR": 2, "FIELD-KITCHEN": 2, "DOZER-T2": 1,
              "WATER-TENDER-TAC": 1, "HELO-T2": 1}
STORM = {"MED-TEAM-FIELD": 3, "FIELD-KITCHEN": 3, "GENERATOR": 3, "AMB-STRIKE-ALS": 2,
         "USAR-TF-T3": 2, "HELO-T2": 2, "DOZER-T2": 1, "ENGINE-T1": 1, "MIL-HAND-CREW": 2}
SCENARIOS = [  # name, place, hazard profile
    ("palisades-wildfire", "Pacific Palisades", WILDFIRE),
    ("eaton-wildfire", "Altadena", WILDFIRE),
    ("malibu-wildfire", "Malibu", WILDFIRE),
    ("redding-wildfire", "Redding", WILDFIRE),
    ("fresno-wildfire", "Fresno", WILDFIRE),
    ("beaumont-wildfire", "Beaumont", WILDFIRE),
    ("tecate-wildfire", "Tecate", WILDFIRE),
    ("ensenada-wildfire", "Ensenada", WILDFIRE),
    ("mexicali-earthquake", "Mexicali", EARTHQUAKE),
    ("el-centro-earthquake", "El Centro", EARTHQUAKE),
    ("tijuana-earthquake", "Tijuana", EARTHQUAKE),
    ("san-diego-flood", "San Diego", STORM),
    ("los-cabos-hurricane", "Los Cabos (San José del Cabo)", STORM),
    ("la-paz-hurricane", "La Paz", STORM),
]
INCIDENTS = {"small": 3, "medium": 5, "large": 8, "xlarge": 14}
PLACE_WEIGHT = {"city": 3, "base": 2, "airport": 1, "training_center": 1}


def _csv(name):
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def places():
    return _csv("places.csv")


def kinds():
    return {row["code"]: row for row in _csv("resource_kinds.csv")}


def substitutions():
    return [Substitution(r["kind"], r["substitute"], int(r["penalty"]))
            for r in _csv("substitutions.csv")]


def ports():
    """The ports of entry vehicles can use, with the hours Enlace plans with."""
    out = []
    for row in _csv("ports_of_entry.csv"):
        if row["vehicles"] != "yes":
            continue
        days = DAYS if row["days"] == "daily" else DAYS[:5]
        out.append(Port(id=row["key"], name=row["name_en"], lat=float(row["latitude"]),
                        lon=float(row["longitude"]), opens=row["opens"] or None,
                        closes=row["closes"] or None, days=days,
                        wait=int(row["planning_wait_minutes"])))
    return out


def jurisdiction_of(place):
    if place["country"] == "USA":
        return f"CA-OES-{CA_REGIONS.get(place['name'], 'VI')}"
    return {"BC": "MX-BC", "BCS": "MX-BCS"}.get(place["state"], "MX-FED")


def _weighted(rng, table):
    names = sorted(table)
    return rng.choices(names, weights=[table[n] for n in names])[0]


def generate(size="small", seed=0, liaison=True, resources=None, requests=None,
             bilingual_share=0.25):
    """An Instance of a named size (or `resources` × `requests` when given). `bilingual_share`
    is the chance that a resource has a Spanish–English speaker (lower it to make the liaison
    rule bind)."""
    rng = random.Random(seed)
    n_res, n_req = SIZES[size]
    n_res, n_req = resources or n_res, requests or n_req
    kind_rows = kinds()
    all_places = places()
    reference = BASE_TIME + timedelta(hours=rng.randrange(7 * 24))
    bases = {nation: [p for p in all_places if p["country"] == nation] for nation in ("USA",
                                                                                      "MEX")}

    res_list = []
    while len(res_list) < n_res:
        nation = "USA" if rng.random() < 0.65 else "MEX"
        base = rng.choices(bases[nation], weights=[PLACE_WEIGHT[p["kind"]]
                                                   for p in bases[nation]])[0]
        kind = _weighted(rng, SUPPLY[nation])
        row = kind_rows[kind]
        eligible = rng.random() < (0.5 if nation == "USA" else 0.6)
        delay = rng.choice((120, 240, 480) if nation == "USA" else (240, 480, 720))
        available = rng.choices((0, 60, 240, 720), weights=(5, 2, 2, 1))[0]
        flown = row["aircraft"] == "yes" or rng.random() < float(row["flown_share"])
        home_language = "en" if nation == "USA" else "es"
        for _ in range(min(rng.choice((1, 1, 1, 2, 2, 3, 4, 5)), n_res - len(res_list))):
            bilingual = rng.random() < bilingual_share
            res_list.append(Resource(
                id=f"R{len(res_list) + 1:05d}", kind=kind, lat=float(base["latitude"]),
                lon=float(base["longitude"]), nation=nation,
                jurisdiction=jurisdiction_of(base), headcount=int(row["headcount"]),
                available_from=available, cross_border_eligible=eligible,
                credential_delay=delay,
                languages=tuple(sorted({home_language, "en", "es"} if bilingual
                                       else {home_language})),
                held_for_home_coverage=rng.random() < 0.07, air_capable=flown))

    place_by_name = {p["name"]: p for p in all_places}
    chosen = rng.sample(SCENARIOS, min(INCIDENTS.get(size, 3), len(SCENARIOS)))
    weights = [rng.uniform(0.5, 2.0) for _ in chosen]
    req_list = []
    for i in range(n_req):
        k = rng.choices(range(len(chosen)), weights=weights)[0]
        name, place_name, profile = chosen[k]
        site = place_by_name[place_name]
        lat0, lon0 = float(site["latitude"]), float(site["longitude"])
        side = side_of_boundary(lat0, lon0)
        while True:  # divisions and staging areas around the incident, on its side of the line
            lat = round(lat0 + rng.uniform(-0.08, 0.08), 4)
            lon = round(lon0 + rng.uniform(-0.08, 0.08), 4)
            if side_of_boundary(lat, lon) == side:
                break
        roll = rng.random()
        req_list.append(Request(
            id=f"Q{i + 1:04d}", incident=f"{k + 1:02d}-{name}",
            kind=_weighted(rng, profile),
            quantity=rng.choice((1, 1, 2, 2, 3, 4, 5, 6, 8, 10, 12)),
            priority=rng.choices((1, 2, 3, 5, 8), weights=(2, 3, 3, 2, 1))[0],
            lat=lat, lon=lon, needed_by=rng.randrange(120, 1441, 15),
            substitutes=None if roll < 0.85 else ()))

    return Instance(
        name=f"{size}-{seed}" if resources is None and requests is None
        else f"custom-{n_res}x{n_req}-{seed}",
        reference_time=reference,
        resources=res_list,
        requests=req_list,
        jurisdictions=[Jurisdiction(id=j, nation=n, name=label, keep_share=share,
                                    keep_share_by_kind=tuple(sorted(by_kind.items())))
                       for j, n, label, share, by_kind in JURISDICTIONS],
        ports=ports(),
        substitutions=substitutions(),
        travel=Travel(),
        liaison=liaison,
    )
