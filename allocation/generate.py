"""Realistic synthetic instances on California and Baja California geography.

Home bases are the project's curated places (allocation/data/places.csv), crossings its ports of
entry, kinds and substitutes a 20-kind slice of its resource-type crosswalk (see
allocation/data/README.md). Incidents are drawn from fourteen scenarios on both sides of the
border (wildfires, earthquakes, a flood, hurricanes), each with the mix of kinds it asks for.
Resources come in small batches (a strike team, a task force) sharing a base, availability,
credentials and eligibility, as agencies send them. Everything is drawn from
`random.Random(seed)`: the same size and seed give the same instance.

Calibration: a stretched system, not a hopeless one. The requests are drawn first; then, for
each kind ordered, the resources listed are those mobilized for the orders — enough that the
units drawdown lets leave home match the units ordered (COVER, 1 by default) — plus the standing
inventory of both nations (INVENTORY_SHARE of the listed units, SUPPLY's mix), so kinds nobody
ordered still exist. Counts per nation and kind are apportioned, not sampled, so a kind is not
short by chance. The mobilized units of a kind are split between the nations as their
inventories are, so Mexican incidents lean on eligible US units for the kinds Mexico lacks
(airtankers, Type 1 helicopters, hand crews) and the US on CONAFOR crews. Drawdown reflects a
siege (several incidents at once, every region keeping units for its own calls): 45% of each
kind stays home (60% of Type 1 engines and ALS ambulance strike teams, the cities' own cover),
50% in isolated Baja California Sur, 30% of the federal forces, whose job is to deploy; about
7% of units are also held for home coverage. With the sizes' ten listed resources per request
(about 4.9 units ordered per request) this gives, for the kinds ordered, units that may be
sent of about 95–115% of the units ordered on medium and larger instances (each kind mostly
80–120%), and a few kinds genuinely short — large airtankers (80%), Type 1 helicopters and Type
1 USAR task forces (85%), Type 1 hand crews (90%), as in a real siege; the last three have
accepted substitutes. Cross-border eligibility (half of US batches, 60% of Mexican ones),
credential delays, port hours, availability in the next 12 hours and the jurisdictions'
drawdown then decide how much of that supply a plan can actually use, and how late. Small
instances run tighter (about 75–100%): drawdown is rounded up in each jurisdiction, and most
hold one or two units of a kind.
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
    ("CA-OES-I", "USA", "Cal OES Region I (Southern)", 0.45,
     {"ENGINE-T1": 0.6, "AMB-STRIKE-ALS": 0.6}),
    ("CA-OES-II", "USA", "Cal OES Region II (Coastal)", 0.45, {"ENGINE-T1": 0.6}),
    ("CA-OES-III", "USA", "Cal OES Region III (Northern)", 0.45, {}),
    ("CA-OES-IV", "USA", "Cal OES Region IV (Capitol)", 0.45, {}),
    ("CA-OES-V", "USA", "Cal OES Region V (Central)", 0.45, {}),
    ("CA-OES-VI", "USA", "Cal OES Region VI (Southern inland)", 0.45,
     {"ENGINE-T1": 0.6, "AMB-STRIKE-ALS": 0.6}),
    ("MX-BC", "MEX", "Baja California", 0.45, {"ENGINE-T1": 0.6}),
    ("MX-BCS", "MEX", "Baja California Sur", 0.5, {}),
    ("MX-FED", "MEX", "Federal (DEFENSA, CONAFOR, CNPC)", 0.3, {}),
]
# The standing inventory: the relative number of units of each kind each nation lists for
# mutual aid, whatever the incidents; INVENTORY_SHARE of the listed resources (at least) follow
# it, split between the nations by NATION_SHARE. The rest are mobilized for the orders.
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
NATION_SHARE = {"USA": 0.65, "MEX": 0.35}
INVENTORY_SHARE = 0.15
# Units mobilized that may leave home, per unit ordered: 1, except the kinds short in a real
# siege (the national large-airtanker and Type 1 helicopter fleets, the few Type 1 USAR task
# forces, hotshot crews).
COVER_DEFAULT = 1
COVER = {"AIRTANKER-LARGE": 0.8, "HELO-T1": 0.85, "USAR-TF-T1": 0.85, "CREW-HAND-T1": 0.9}
QUANTITIES = (1, 1, 2, 2, 3, 4, 5, 6, 8, 10, 12)  # units per request, drawn from this list
BATCHES = (1, 1, 1, 2, 2, 3, 4, 5)  # units per batch (one base, availability, credentials)
ELIGIBLE = {"USA": 0.5, "MEX": 0.6}  # chance a batch may cross the border
AVAILABLE = {0: 5, 60: 2, 240: 2, 720: 1}  # minutes until a batch is free: relative weight
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


def _leaving_share(bases, jurisdictions):
    """{(nation, kind): the expected share of a nation's units of a kind that drawdown lets
    leave home}, over its home bases as the generator weights them."""
    out = {}
    for nation, places_ in bases.items():
        weights = [PLACE_WEIGHT[p["kind"]] for p in places_]
        for kind in set(SUPPLY["USA"]) | set(SUPPLY["MEX"]):
            out[(nation, kind)] = sum(
                w * (1 - jurisdictions[jurisdiction_of(p)].share(kind))
                for w, p in zip(weights, places_, strict=True)) / sum(weights)
    return out


def supply_weights(requests, n_res, bases, jurisdictions):
    """{(nation, kind): listed resources (not yet whole)}. For each kind ordered, the units
    mobilized for the orders: enough that those drawdown lets leave home are COVER of the units
    ordered, split between the nations as their standing inventories are (scaled down if they
    would leave less than INVENTORY_SHARE of `n_res`). The rest of `n_res` is the standing
    inventory, in its mix."""
    ordered = {}
    for q in requests:
        ordered[q.kind] = ordered.get(q.kind, 0) + q.quantity
    inventory = {(nation, kind): NATION_SHARE[nation] * n / sum(SUPPLY[nation].values())
                 for nation, table in SUPPLY.items() for kind, n in table.items()}
    leaving = _leaving_share(bases, jurisdictions)
    mobilized = {}
    for kind, units in ordered.items():
        holders = {key: v for key, v in inventory.items() if key[1] == kind}
        for key, v in holders.items():
            mobilized[key] = (units * COVER.get(kind, COVER_DEFAULT)
                              * v / sum(holders.values()) / leaving[key])
    total = sum(mobilized.values())
    scale = min(1, (1 - INVENTORY_SHARE) * n_res / total) if total else 0
    rest = n_res - scale * total
    return {key: scale * mobilized.get(key, 0) + rest * v for key, v in inventory.items()}


def _apportion(weights, total):
    """Whole numbers in proportion to `weights` that add up to `total` (largest remainders)."""
    scale = total / sum(weights.values())
    out = {k: int(w * scale) for k, w in weights.items()}
    by_remainder = sorted(weights, key=lambda k: (out[k] - weights[k] * scale, k))
    for k in by_remainder[:total - sum(out.values())]:
        out[k] += 1
    return out


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
    jurisdictions = [Jurisdiction(id=j, nation=n, name=label, keep_share=share,
                                  keep_share_by_kind=tuple(sorted(by_kind.items())))
                     for j, n, label, share, by_kind in JURISDICTIONS]
    chosen = rng.sample(SCENARIOS, min(INCIDENTS.get(size, 3), len(SCENARIOS)))
    weights = [rng.uniform(0.5, 2.0) for _ in chosen]
    place_by_name = {p["name"]: p for p in all_places}
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
            quantity=rng.choice(QUANTITIES),
            priority=rng.choices((1, 2, 3, 5, 8), weights=(2, 3, 3, 2, 1))[0],
            lat=lat, lon=lon, needed_by=rng.randrange(120, 1441, 15),
            substitutes=None if roll < 0.85 else ()))

    left = _apportion(supply_weights(req_list, n_res, bases, {j.id: j for j in jurisdictions}),
                      n_res)
    res_list = []
    while len(res_list) < n_res:
        pairs = sorted(p for p, n in left.items() if n)
        nation, kind = rng.choices(pairs, weights=[left[p] for p in pairs])[0]
        base = rng.choices(bases[nation], weights=[PLACE_WEIGHT[p["kind"]]
                                                   for p in bases[nation]])[0]
        row = kind_rows[kind]
        eligible = rng.random() < ELIGIBLE[nation]
        delay = rng.choice((120, 240, 480) if nation == "USA" else (240, 480, 720))
        available = rng.choices(list(AVAILABLE), weights=list(AVAILABLE.values()))[0]
        flown = row["aircraft"] == "yes" or rng.random() < float(row["flown_share"])
        home_language = "en" if nation == "USA" else "es"
        batch = min(rng.choice(BATCHES), left[(nation, kind)])
        left[(nation, kind)] -= batch
        for _ in range(batch):
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

    return Instance(
        name=f"{size}-{seed}" if resources is None and requests is None
        else f"custom-{n_res}x{n_req}-{seed}",
        reference_time=reference,
        resources=res_list,
        requests=req_list,
        jurisdictions=jurisdictions,
        ports=ports(),
        substitutions=substitutions(),
        travel=Travel(),
        liaison=liaison,
    )
