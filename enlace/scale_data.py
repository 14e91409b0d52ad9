"""Synthetic data at scale for load tests: a fire season's records in both nations, written in
bulk (`enlace load_scale --size small|medium|large --seed N`).

The large size is about 1,000,000 marked records — incidents, resource requests, offers,
agreements, deployments and their rosters, engagements, people and participants, indicators and
measurements, 20,000 Guard members — plus the rows they own (check-ins, signatures, duty
periods). The markings are mixed as a real season's would be: records released to both nations
(disclosure approved), records kept to their owner (US-only, Mexico-only), and records owned by
each nation. Children never reach further than their parents: a request, offer, agreement or
deployment on a US-only incident is US-only too, and roster members and participants carry
their deployment's and engagement's marking (core's MARKING_FOLLOWS and MARKING_PARENTS rule).

Idempotent per seed: a seed's records are written in one transaction with a line of effort
coded for the seed (SCALE-N) in the California–Mexico partnership, so a seed already loaded
adds nothing and a half-written one never exists. A different seed adds its own set. Rows are
written with `bulk_create` (records whose ids are needed) and `core.bulk.insert` (their
nations, check-ins, signatures, periods), in batches; no history is written for them (they
are test data, not anyone's act).
"""

import hashlib
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import transaction

from core.bulk import insert

BATCH = 2000

# Records per seed at each size (the large size: ≈1,000,000 marked records).
LARGE = {
    "incidents": 10_000, "requests_per_incident": 6, "deploy_share": 3,  # 1 offer in 3 deployed
    "roster_per_deployment": 15, "engagements": 20_000, "persons": 50_000,
    "participants_per_engagement": 6, "indicators": 2_000, "measurements_per_indicator": 150,
    "members": 20_000, "personnel_units": 50,
}
SIZES = {
    "large": LARGE,
    "medium": {**LARGE, "incidents": 1_000, "engagements": 2_000, "persons": 5_000,
               "indicators": 200, "members": 2_000, "personnel_units": 20},
    "small": {**LARGE, "incidents": 12, "roster_per_deployment": 3, "engagements": 20,
              "persons": 50, "participants_per_engagement": 3, "indicators": 4,
              "measurements_per_indicator": 5, "members": 40, "personnel_units": 3},
}

START = datetime(2026, 8, 1, 15, 0, tzinfo=UTC)  # the season's first fire


def seed_code(seed):
    """The code of the line of effort a seed's records are loaded under: the seed's marker."""
    return f"SCALE-{seed}"


@dataclass
class Mark:
    """A marking to write: the owner, the nations (always with the owner), the disclosure."""
    owner: object
    rel_to: tuple
    disclosure: str

    def narrower(self, other):
        """This marking cut to what `other` (a parent's) releases."""
        nations = tuple(n for n in self.rel_to if n in other.rel_to or n == self.owner)
        return Mark(self.owner, nations, self.disclosure)


@dataclass
class Report:
    seed: int
    size: str
    created: bool = True
    rows: dict = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def marked(self):
        return sum(n for name, n in self.rows.items() if name in MARKED_TABLES)

    @property
    def total(self):
        return sum(self.rows.values())


MARKED_TABLES = {"incidents", "resource requests", "offers", "aid agreements", "deployments",
                 "roster members", "engagements", "people", "participants", "lines of effort",
                 "objectives", "indicators", "measurements", "partnerships", "Guard members",
                 "personnel units"}


class Writer:
    def __init__(self, report):
        self.report = report

    def create(self, label, objs, marks):
        """bulk_create marked records (ids come back), then their nations in one insert."""
        if not objs:
            return objs
        model = type(objs[0])
        for obj, mark in zip(objs, marks, strict=True):
            obj.owner_nation_id = mark.owner
            obj.disclosure = mark.disclosure
        model.objects.bulk_create(objs, batch_size=BATCH)
        through = model.rel_to.through
        own = model._meta.get_field("rel_to")
        source, target = f"{own.m2m_field_name()}_id", f"{own.m2m_reverse_field_name()}_id"
        insert([through(**{source: obj.pk, target: nation})
                for obj, mark in zip(objs, marks, strict=True) for nation in mark.rel_to])
        self.count(label, len(objs))
        return objs

    def plain(self, label, objs):
        insert(objs)
        self.count(label, len(objs))

    def count(self, label, n):
        self.report.rows[label] = self.report.rows.get(label, 0) + n


def load(size="small", seed=1, *, stdout=None):
    """Write one seed's records at `size`; nothing when the seed is already there."""
    from partnerships.models import LineOfEffort

    report = Report(seed=seed, size=size)
    started = time.perf_counter()
    if LineOfEffort.objects.filter(partnership__us_state="CA", code=seed_code(seed),
                                   partnership__partner_nation__code="MEX").exists():
        report.created = False
        return report
    with transaction.atomic():
        _Season(SIZES[size], seed, Writer(report), stdout).write()
    report.seconds = time.perf_counter() - started
    return report


class _Season:
    def __init__(self, volumes, seed, writer, stdout):
        from accounts.models import Nation, Organization
        from response.models import PortOfEntry, ResourceKind

        self.v, self.seed, self.w, self.stdout = volumes, seed, writer, stdout
        self.rng = random.Random(seed)
        self.usa = Nation.objects.get(code="USA").pk
        self.mex = Nation.objects.get(code="MEX").pk
        self.org = dict(Organization.objects.values_list("acronym", "pk"))
        self.users = {
            self.usa: _author("scale.us", self.org["CalGuard"], "duty_officer"),
            self.mex: _author("scale.mx", self.org["DEFENSA"], "liaison"),
        }
        self.kinds = list(ResourceKind.objects.values_list("pk", flat=True)[:40])
        self.kind_codes = dict(ResourceKind.objects.values_list("pk", "code"))
        self.port = PortOfEntry.objects.values_list("pk", flat=True).first()
        self.users_pk = {n: u.pk for n, u in self.users.items()}

    # ---- markings ------------------------------------------------------------------------
    def released(self, owner):
        return Mark(owner, (self.usa, self.mex), "approved")

    def own_only(self, owner):
        return Mark(owner, (owner,), "not_reviewed")

    def mixed(self, owner, released_share):
        return self.released(owner) if self.rng.random() < released_share else \
            self.own_only(owner)

    def other(self, nation):
        return self.mex if nation == self.usa else self.usa

    def say(self, text):
        if self.stdout is not None:
            self.stdout.write(text)

    # ---- the season ----------------------------------------------------------------------
    def write(self):
        self.partnership()
        self.mutual_aid()
        self.engagements()
        self.indicators()
        self.personnel()

    def partnership(self):
        """The California–Mexico partnership (made if missing) and this seed's line of effort
        — the seed's marker — with its objectives."""
        from partnerships.models import LineOfEffort, Objective, Partnership

        s = self.seed
        self.partner = Partnership.objects.filter(us_state="CA", partner_nation=self.mex).first()
        if self.partner is None:
            self.partner = self.w.create("partnerships", [Partnership(
                name_en="California–Mexico", name_es="California–México", us_state="CA",
                partner_nation_id=self.mex, created_by_id=self.users_pk[self.usa])],
                [self.released(self.usa)])[0]
        loe = self.w.create("lines of effort", [LineOfEffort(
            partnership=self.partner, code=seed_code(s), name_en=f"Scale data, seed {s}",
            name_es=f"Datos a escala, semilla {s}", position=900 + s % 100,
            created_by_id=self.users_pk[self.usa])], [self.released(self.usa)])[0]
        objectives, marks = [], []
        for i in range(max(4, self.v["indicators"] // 10)):
            objectives.append(Objective(
                line_of_effort=loe, code=f"{loe.code}.{i}",
                statement_en=f"Objective {i}", statement_es=f"Objetivo {i}",
                owner_id=self.org["CalGuard"], created_by_id=self.users_pk[self.usa],
                state="in_progress"))
            marks.append(self.mixed(self.usa, 0.8))
        self.objectives = list(zip(self.w.create("objectives", objectives, marks), marks,
                                   strict=True))

    def mutual_aid(self):
        from response.models import (
            AidAgreement,
            CheckIn,
            Deployment,
            Incident,
            Offer,
            OfferLine,
            ResourceRequest,
            RosterMember,
            Signature,
        )

        v, rng, s = self.v, self.rng, self.seed
        hosts = {self.usa: ["CalOES", "CAL FIRE", "CalGuard"], self.mex: ["PC-BC", "CNPC",
                                                                          "PC-BCS"]}
        senders = {self.usa: ["CalGuard", "CAL FIRE"], self.mex: ["DEFENSA", "CONAFOR"]}
        incidents, marks = [], []
        for i in range(v["incidents"]):
            nation = self.usa if rng.random() < 0.7 else self.mex  # most fires north
            lat = rng.uniform(32.6, 35.0) if nation == self.usa else rng.uniform(30.0, 32.5)
            distance = round(abs(lat - 32.55) * 111, 1)
            incidents.append(Incident(
                name_en=f"Scale {s} fire {i}", name_es=f"Incendio {i} (escala {s})",
                kind="wildfire" if rng.random() < 0.85 else "flood",
                latitude=lat, longitude=rng.uniform(-118.5, -115.2),
                country_id=nation, started_at=START + timedelta(hours=i % 2000),
                status=rng.choice(["active", "active", "contained", "closed"]),
                host_agency_id=self.org[rng.choice(hosts[nation])],
                border_distance_km=distance,
                request_channel="direct" if distance <= 16 else "national",
                created_by_id=self.users_pk[nation]))
            marks.append(self.mixed(nation, 0.65 if nation == self.usa else 0.8))
        incidents = self.w.create("incidents", incidents, marks)
        incident_marks = dict(zip((x.pk for x in incidents), marks, strict=True))
        self.say(f"  incidents: {len(incidents)}")

        requests, marks, n = [], [], 0
        for incident in incidents:
            mark = incident_marks[incident.pk]
            for _ in range(v["requests_per_incident"]):
                n += 1
                requests.append(ResourceRequest(
                    number=f"S{s}-R{n}", incident=incident,
                    requesting_organization_id=incident.host_agency_id,
                    requested_by_id=self.users_pk[mark.owner], kind_id=rng.choice(self.kinds),
                    quantity=rng.randint(1, 5), needed_by=incident.started_at + timedelta(days=1),
                    reporting_location="ICP", priority=rng.choice(["urgent", "high", "routine"]),
                    state=rng.choice(["submitted", "submitted", "partially_filled", "filled"]),
                    created_by_id=self.users_pk[mark.owner]))
                marks.append(Mark(mark.owner, mark.rel_to, mark.disclosure))
        requests = self.w.create("resource requests", requests, marks)
        self.say(f"  requests: {len(requests)}")

        # One offer per request: from the other nation where the incident is released to it,
        # from the host's own agencies where it is not.
        offers, offer_marks, hosts_of = [], [], []
        for request, rmark in zip(requests, marks, strict=True):
            sender = self.other(rmark.owner) if len(rmark.rel_to) > 1 else rmark.owner
            deployed = rng.randrange(v["deploy_share"]) == 0
            offers.append(Offer(
                request=request, incident_id=request.incident_id,
                offering_organization_id=self.org[rng.choice(senders[sender])],
                offered_by_id=self.users_pk[sender], duration_days=14,
                available_from=request.needed_by, cost_terms=rng.choice(["donated",
                                                                         "reimbursable"]),
                state="accepted" if deployed else rng.choice(["offered", "under_review"]),
                created_by_id=self.users_pk[sender]))
            offer_marks.append(Mark(sender, rmark.rel_to, rmark.disclosure))
            hosts_of.append(rmark.owner)
        offers = self.w.create("offers", offers, offer_marks)
        self.w.plain("offer lines", [OfferLine(
            offer_id=o.pk, kind_id=o.request.kind_id, quantity=o.request.quantity,
            headcount=v["roster_per_deployment"], agency_id=o.offering_organization_id)
            for o in offers])
        self.say(f"  offers: {len(offers)}")

        accepted = [(o, m, host) for o, m, host in zip(offers, offer_marks, hosts_of, strict=True)
                    if o.state == "accepted"]
        agreements = []
        for offer, _mark, _host in accepted:
            text = f"Request {offer.request.number}; offer {offer.pk}; 14 days."
            agreements.append(AidAgreement(
                request_id=offer.request_id, offer_id=offer.pk,
                requesting_organization_id=offer.request.requesting_organization_id,
                assisting_organization_id=offer.offering_organization_id,
                terms={"duration_days": 14}, text_en=text, text_es=text,
                text_hash=hashlib.sha256(text.encode()).hexdigest(), state="in_force",
                in_force_at=offer.available_from, created_by_id=offer.created_by_id))
        agreements = self.w.create("aid agreements", agreements,
                                   [Mark(host, m.rel_to, m.disclosure)
                                    for _o, m, host in accepted])
        self.w.plain("signatures", [Signature(
            agreement_id=a.pk, part=part, signer_id=signer, signer_name="Scale signer",
            signer_role="Duty officer", organization_id=org, signed_at=a.in_force_at,
            text_hash=a.text_hash)
            for a, (o, _m, host) in zip(agreements, accepted, strict=True)
            for part, signer, org in (
                ("request", self.users_pk[host], a.requesting_organization_id),
                ("offer", o.offered_by_id, a.assisting_organization_id),
                ("acceptance", self.users_pk[host], a.requesting_organization_id))])

        states = ["assigned"] * 8 + ["onboarding", "arrived", "in_transit", "mobilizing",
                                     "demobilizing", "returned", "closed"]
        deployments, marks = [], []
        for agreement, (offer, mark, host) in zip(agreements, accepted, strict=True):
            state = rng.choice(states)
            sender = mark.owner
            deployments.append(Deployment(
                agreement_id=agreement.pk, incident_id=offer.incident_id,
                sending_organization_id=offer.offering_organization_id,
                host_nation_id=host, name=f"S{s} task force {agreement.pk}",
                state=state, transport="ground", port_id=self.port,
                departed_at=offer.available_from, created_by_id=self.users_pk[sender],
                arrived_at=(offer.available_from + timedelta(hours=8)
                            if state not in ("mobilizing", "in_transit") else None)))
            marks.append(mark)
        deployments = self.w.create("deployments", deployments, marks)
        self.say(f"  deployments: {len(deployments)}")

        # In slices of deployments, so a large season never holds every responder at once.
        people_count = checkin_count = 0
        pairs = list(zip(deployments, marks, strict=True))
        for start in range(0, len(pairs), 2000):
            people, people_marks = [], []
            for deployment, mark in pairs[start:start + 2000]:
                for k in range(v["roster_per_deployment"]):
                    people.append(RosterMember(
                        deployment_id=deployment.pk, full_name=f"Responder {deployment.pk}-{k}",
                        organization_id=deployment.sending_organization_id,
                        position="Firefighter" if k else "Crew boss",
                        created_by_id=self.users_pk[mark.owner]))
                    people_marks.append(mark)
            people = self.w.create("roster members", people, people_marks)
            checkins = []
            for i, person in enumerate(people):
                owner = people_marks[i].owner
                checkins.append(CheckIn(member_id=person.pk, status="checked_in",
                                        location="Incident base",
                                        at=START + timedelta(hours=i % 500),
                                        recorded_by_id=self.users_pk[owner]))
                if i % 3 == 0:
                    checkins.append(CheckIn(member_id=person.pk, status="assigned",
                                            location="Division A",
                                            at=START + timedelta(hours=i % 500 + 12),
                                            recorded_by_id=self.users_pk[owner]))
            self.w.plain("check-ins", checkins)
            people_count += len(people)
            checkin_count += len(checkins)
        self.say(f"  roster members: {people_count}, check-ins: {checkin_count}")

    def engagements(self):
        from engagements.models import Engagement, Participation, Person

        v, rng, s = self.v, self.rng, self.seed
        types = [c for c, _ in Engagement._meta.get_field("type").choices]
        engagements, marks = [], []
        for i in range(v["engagements"]):
            owner = self.usa if rng.random() < 0.85 else self.mex
            begin = date(2025, 10, 1) + timedelta(days=i % 700)
            fiscal_year = begin.year + (1 if begin.month >= 10 else 0)
            engagements.append(Engagement(
                partnership=self.partner, title_en=f"Scale {s} engagement {i}",
                title_es=f"Actividad {i} (escala {s})", type=rng.choice(types),
                direction=rng.choice(["to_partner", "hosted", "virtual"]),
                location="Sacramento" if i % 2 else "Tijuana", start_date=begin,
                end_date=begin + timedelta(days=rng.randint(0, 6)), fiscal_year=fiscal_year,
                fiscal_quarter=((begin.month - 10) % 12) // 3 + 1,
                state=rng.choice(["concept", "approved", "funded", "preparing", "executed",
                                  "recorded_complete"]),
                created_by_id=self.users_pk[owner]))
            marks.append(self.mixed(owner, 0.7))
        engagements = self.w.create("engagements", engagements, marks)
        self.say(f"  engagements: {len(engagements)}")

        persons, person_marks = [], []
        for i in range(v["persons"]):
            nation = self.usa if i % 2 else self.mex
            persons.append(Person(
                full_name=f"Participant {s}-{i}", nation_id=nation,
                organization_id=self.org["CalGuard" if nation == self.usa else "DEFENSA"],
                role="guard_member" if nation == self.usa else "partner_military",
                created_by_id=self.users_pk[nation]))
            person_marks.append(self.mixed(nation, 0.8))
        persons = self.w.create("people", persons, person_marks)

        rows, row_marks = [], []
        for engagement, mark in zip(engagements, marks, strict=True):
            for person in rng.sample(persons, min(len(persons),
                                                  v["participants_per_engagement"])):
                rows.append(Participation(engagement_id=engagement.pk, person_id=person.pk,
                                          vetting=rng.choice(["not_required", "approved",
                                                              "pending"]),
                                          created_by_id=self.users_pk[mark.owner]))
                row_marks.append(mark)
        self.w.create("participants", rows, row_marks)
        self.say(f"  people: {len(persons)}, participants: {len(rows)}")

    def indicators(self):
        from partnerships.models import Indicator, Measurement

        v, rng = self.v, self.rng
        indicators, marks = [], []
        for i in range(v["indicators"]):
            objective, omark = self.objectives[i % len(self.objectives)]
            indicators.append(Indicator(
                objective=objective, name_en=f"Indicator {i}", name_es=f"Indicador {i}",
                kind=rng.choice(["output", "outcome"]), unit="events", unit_es="eventos",
                baseline_value=Decimal(0), baseline_date=date(2025, 10, 1),
                target_value=Decimal(100), target_date=date(2027, 9, 30),
                created_by_id=self.users_pk[self.usa]))
            marks.append(omark)
        indicators = self.w.create("indicators", indicators, marks)
        rows, rmarks = [], []
        for indicator, mark in zip(indicators, marks, strict=True):
            for k in range(v["measurements_per_indicator"]):
                rows.append(Measurement(
                    indicator_id=indicator.pk, value=Decimal(k % 100),
                    as_of=date(2025, 10, 1) + timedelta(days=k * 3), source="Quarterly review",
                    created_by_id=self.users_pk[self.usa]))
                rmarks.append(mark)
        self.w.create("measurements", rows, rmarks)
        self.say(f"  indicators: {len(indicators)}, measurements: {len(rows)}")

    def personnel(self):
        from personnel.models import DutyPeriod, Member, Unit

        v, rng, s = self.v, self.rng, self.seed
        us_only = self.own_only(self.usa)
        units = self.w.create("personnel units", [
            Unit(code=f"S{s}-U{i}", name=f"Scale {s} unit {i}", station="Sacramento",
                 created_by_id=self.users_pk[self.usa])
            for i in range(v["personnel_units"])], [us_only] * v["personnel_units"])
        grades = ["E-3", "E-4", "E-5", "E-6", "E-7", "O-2", "O-3", "O-4"]
        members = self.w.create("Guard members", [
            Member(service_number=f"S{s}-{i:06d}", last_name=f"Member{i}", first_name="Scale",
                   grade=rng.choice(grades), component=rng.choice(["army", "army", "air"]),
                   unit_id=units[i % len(units)].pk, created_by_id=self.users_pk[self.usa])
            for i in range(v["members"])], [us_only] * v["members"])
        periods = []
        for member in members:
            roll = rng.random()
            start = START - timedelta(days=rng.randint(0, 60))
            if roll < 0.5:  # state active duty for the season, then back to none
                periods.append(DutyPeriod(member_id=member.pk, status="sad", start=start,
                                          end=start + timedelta(days=21),
                                          orders_reference=f"S{s}-SAD"))
                if roll < 0.25:
                    periods.append(DutyPeriod(member_id=member.pk, status="t32_502f",
                                              start=start + timedelta(days=21),
                                              end=start + timedelta(days=50),
                                              orders_reference=f"S{s}-T32"))
            elif roll < 0.6:
                periods.append(DutyPeriod(member_id=member.pk, status="agr_t32",
                                          start=start - timedelta(days=900)))
            elif roll < 0.65:
                periods.append(DutyPeriod(member_id=member.pk, status="t10_12406", start=start,
                                          end=start + timedelta(days=60),
                                          orders_reference=f"S{s}-12406"))
        self.w.plain("duty periods", periods)
        self.say(f"  Guard members: {len(members)}, duty periods: {len(periods)}")


def _author(username, organization_id, role):
    """The account the generated records are created by (inactive: nobody signs in as it)."""
    from accounts.models import Role, User

    user, created = User.objects.get_or_create(
        username=username, defaults={"organization_id": organization_id, "is_active": False,
                                     "first_name": "Scale", "last_name": "data"})
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.set([Role.objects.get(code=role)])
    return user


# ---- load-test accounts ------------------------------------------------------------------

# (nation's organization, role) in turn: duty officers, liaisons, coordinators, planners…
LOAD_ROLES = [("CalGuard", "duty_officer"), ("DEFENSA", "liaison"), ("CalOES", "coordinator"),
              ("PC-BC", "liaison"), ("CalGuard", "personnel_officer"), ("CNPC", "liaison"),
              ("CAL FIRE", "duty_officer"), ("PC-BCS", "liaison"), ("CalGuard", "viewer"),
              ("CONAFOR", "liaison")]


def load_users(count, password):
    """`count` accounts `load.NN` of both nations and several roles (idempotent): the load
    test's simulated users. Returns [(username, nation code, role)]."""
    from accounts.models import Organization, Role, User

    orgs = {o.acronym: o for o in Organization.objects.select_related("nation")}
    roles = {r.code: r for r in Role.objects.all()}
    made = []
    for i in range(count):
        acronym, role = LOAD_ROLES[i % len(LOAD_ROLES)]
        organization = orgs[acronym]
        user, created = User.objects.get_or_create(username=f"load.{i:02d}", defaults={
            "organization": organization, "first_name": "Load", "last_name": f"{i:02d}",
            "email": f"load.{i:02d}@enlace.example",
            "time_zone": ("America/Los_Angeles" if organization.nation.code == "USA"
                          else "America/Tijuana")})
        if created:
            user.set_password(password)
            user.save()
            user.groups.set([roles[role]])
        made.append((user.username, organization.nation.code, role))
    return made


def write_accounts(made, password, path):
    """A new read-write API token (two days) for each load-test account, written with the
    account to `path` as JSON (readable by its owner only): what bench/load's users sign in
    with."""
    import json
    import os

    from accounts.models import User
    from accounts.services import create_token

    users = {u.username: u for u in User.objects.filter(username__in=[m[0] for m in made])
             .select_related("organization")}
    accounts = []
    for username, nation, role in made:
        user = users[username]
        _token, key = create_token(user, name="load test", write=True, days=2)
        accounts.append({"username": username, "password": password, "nation": nation,
                         "role": role, "organization": user.organization.acronym,
                         "token": key})
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump(accounts, handle)
    return accounts
