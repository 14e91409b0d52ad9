"""The network every solver works on: pins applied, resources grouped, and one arc for every
(group, request) pair that the hard constraints allow, with its ETA and cost.

Resources that are interchangeable for every request (same kind, home, jurisdiction, nation,
availability, credentials, eligibility, air capability, liaison language and exclusions) form
one group with a capacity; the solvers decide how many units of a group go where, and
`assignments` hands out the group's resources in a fixed order. Arcs that cost at least as much
as leaving the unit unmet are dropped: the unmet option is always there and frees the resource,
so such an arc is never needed in an optimal plan.

A solution is an integer vector `x` over the arcs (units sent along each arc); pinned
assignments are held apart in `pinned`.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from allocation.travel import UNREACHABLE, TravelModel, sides

# Earlier arrival breaks ties between plans equal on the objective: each unit adds its ETA in
# whole hours, capped at this, to the solvers' integer cost below the objective's last digit.
TIE_BREAK_CAP = 63


@dataclass(frozen=True)
class Pinned:
    resource: int
    request: int
    eta: int
    late: int
    penalty: int
    international: bool


def merge_pins(instance, pins=None, exclusions=None):
    """The instance's pins and exclusions followed by the extra ones, duplicates dropped."""
    from allocation.instance import Exclusion, Pin

    def as_pin(p):
        return p if isinstance(p, Pin) else Pin(p["resource"], p["request"])

    def as_exclusion(e):
        return e if isinstance(e, Exclusion) else Exclusion(e["resource"], e.get("request"))

    merged_pins = list(dict.fromkeys([*instance.pins, *map(as_pin, pins or ())]))
    merged_ex = list(dict.fromkeys([*instance.exclusions, *map(as_exclusion, exclusions or ())]))
    return merged_pins, merged_ex


class Network:
    def __init__(self, instance, pins=None, exclusions=None):
        self.instance = instance
        self.travel = TravelModel(instance)
        self.resources = instance.resources
        self.requests = instance.requests
        self.res_index = dict(zip([r.id for r in self.resources], range(len(self.resources)),
                                  strict=True))
        self.req_index = {q.id: i for i, q in enumerate(self.requests)}
        self.jurisdictions = {j.id: j for j in instance.jurisdictions}
        self.pins, self.exclusions = merge_pins(instance, pins, exclusions)
        self.accepted = self._accepted()
        self.incidents = sorted({q.incident for q in self.requests})
        inc_index = {name: i for i, name in enumerate(self.incidents)}
        self.r_incident = np.array([inc_index[q.incident] for q in self.requests], dtype=np.int64)
        self.r_usa = sides([q.lat for q in self.requests], [q.lon for q in self.requests]) \
            if self.requests else np.zeros(0, dtype=bool)
        self.r_priority = np.array([q.priority for q in self.requests], dtype=np.int64)
        self.r_needed = np.array([q.needed_by for q in self.requests], dtype=np.int64)
        self.r_lat = np.array([q.lat for q in self.requests], dtype=float)
        self.r_lon = np.array([q.lon for q in self.requests], dtype=float)
        self.r_unmet_cost = self.r_priority * instance.unmet_penalty
        self.res_usa = sides([r.lat for r in self.resources], [r.lon for r in self.resources]) \
            if self.resources else np.zeros(0, dtype=bool)
        self._exclude()
        self._pin()
        self._group()
        self._drawdown()
        self._arcs()

    def _accepted(self):
        """instance.accepted_kinds for every request, worked out once per (kind, substitutes);
        each request gets its own dict."""
        seen = {}
        out = []
        for q in self.requests:
            key = (q.kind, q.substitutes)
            if key not in seen:
                seen[key] = self.instance.accepted_kinds(q)
            out.append(dict(seen[key]))
        return out

    # --- exclusions and pins ---------------------------------------------------------------

    def _exclude(self):
        self.excluded_resources = set()
        self.excluded_pairs = defaultdict(set)  # resource index -> request indices
        for e in self.exclusions:
            res = self.res_index.get(e.resource)
            if res is None:
                continue
            if e.request is None:
                self.excluded_resources.add(res)
            elif e.request in self.req_index:
                self.excluded_pairs[res].add(self.req_index[e.request])

    def international(self, res, req):
        return self.resources[res].nation != ("USA" if self.r_usa[req] else "MEX")

    def pin_problem(self, res, req):
        """Why this resource may not go to this request at all, or None (capacity aside)."""
        resource, request = self.resources[res], self.requests[req]
        if resource.held_for_home_coverage:
            return "the resource is held for home coverage"
        if res in self.excluded_resources or req in self.excluded_pairs.get(res, ()):
            return "the assignment is also excluded"
        if resource.kind not in self.accepted[req]:
            return f"kind {resource.kind} is neither {request.kind} nor an accepted substitute"
        if self.international(res, req) and not resource.cross_border_eligible:
            return "the resource is not eligible to cross the border"
        if self.travel.route(resource, request) is None:
            return "no route: no port of entry is open within the planning horizon"
        return None

    def _pin(self):
        """Accept the pins that the hard constraints allow; reject the rest with a reason."""
        self.rejected_pins = []
        candidates, seen = [], {}
        for pin in self.pins:
            res, req = self.res_index.get(pin.resource), self.req_index.get(pin.request)
            if res is None or req is None:
                what = "resource" if res is None else "request"
                self.rejected_pins.append((pin, f"unknown {what}"))
                continue
            if res in seen:
                self.rejected_pins.append(
                    (pin, f"the resource is already pinned to {self.requests[seen[res]].id}"))
                continue
            problem = self.pin_problem(res, req)
            if problem:
                self.rejected_pins.append((pin, problem))
                continue
            seen[res] = req
            candidates.append((pin, res, req))
        # Capacity and the liaison rule depend on each other (a bilingual pin rejected for
        # capacity can strand the others), so repeat both until nothing changes.
        liaison_out = set()
        while True:
            accepted, capacity_out = self._fit_capacity(
                [c for c in candidates if c[0] not in liaison_out])
            more = self._liaison_rejects(accepted) - liaison_out
            if not more:
                break
            liaison_out |= more
        for pin, _res, _req in candidates:
            if pin in liaison_out:
                self.rejected_pins.append((pin, "liaison rule: no Spanish–English speaker is "
                                                "pinned across the border to this incident"))
            elif pin in capacity_out:
                self.rejected_pins.append((pin, capacity_out[pin]))
        self.pinned = []
        for _pin, res, req in accepted:
            resource, request = self.resources[res], self.requests[req]
            route = self.travel.route(resource, request)
            self.pinned.append(Pinned(
                resource=res, request=req, eta=route.eta,
                late=max(0, route.eta - request.needed_by),
                penalty=self.accepted[req][resource.kind], international=route.international))
        order = {pin: i for i, pin in enumerate(self.pins)}
        self.rejected_pins.sort(key=lambda item: order[item[0]])

    def _fit_capacity(self, candidates):
        filled, drawn = defaultdict(int), defaultdict(int)
        caps = self._drawdown_caps()
        accepted, out = [], {}
        for pin, res, req in candidates:
            resource = self.resources[res]
            jk = (resource.jurisdiction, resource.kind)
            if filled[req] >= self.requests[req].quantity:
                out[pin] = "the request is already filled by other pins"
            elif drawn[jk] >= caps[jk]:
                out[pin] = (f"drawdown: {resource.jurisdiction} must keep its other "
                            f"{resource.kind} resources at home")
            else:
                filled[req] += 1
                drawn[jk] += 1
                accepted.append((pin, res, req))
        return accepted, out

    def _liaison_rejects(self, accepted):
        if not self.instance.liaison:
            return set()
        covered = {self.r_incident[req] for _p, res, req in accepted
                   if self.international(res, req) and self.resources[res].bilingual}
        return {pin for pin, res, req in accepted
                if self.international(res, req) and not self.resources[res].bilingual
                and self.r_incident[req] not in covered}

    # --- groups and drawdown ---------------------------------------------------------------

    def _drawdown_caps(self):
        """How many of each (jurisdiction, kind) may leave home, pins included."""
        if not hasattr(self, "_caps"):
            counts = Counter(zip([r.jurisdiction for r in self.resources],
                                 [r.kind for r in self.resources], strict=True))
            self._caps = {jk: n - self.jurisdictions[jk[0]].keep_at_home(jk[1], n)
                          for jk, n in counts.items()}
        return self._caps

    def _group(self):
        res = self.resources
        skip = {p.resource for p in self.pinned} | self.excluded_resources
        skip.update(i for i, r in enumerate(res) if r.held_for_home_coverage)
        speaks = {}
        for r in res:
            if r.languages not in speaks:
                speaks[r.languages] = r.bilingual
        no_exclusions = frozenset()
        excluded = [no_exclusions] * len(res)
        for i, reqs in self.excluded_pairs.items():
            excluded[i] = frozenset(reqs)
        keys = zip([r.kind for r in res], [r.jurisdiction for r in res],
                   [r.nation for r in res], [r.lat for r in res], [r.lon for r in res],
                   [max(r.available_from, 0) for r in res], [r.credential_delay for r in res],
                   [r.cross_border_eligible for r in res], [r.air_capable for r in res],
                   [speaks[r.languages] for r in res], excluded, strict=True)
        groups = {}
        for i, key in enumerate(keys):
            if i not in skip:
                members = groups.get(key)
                if members is None:
                    groups[key] = [i]
                else:
                    members.append(i)
        self.group_keys = list(groups)  # insertion order: by each group's first resource
        self.members = list(groups.values())
        self.g_size = np.array([len(m) for m in self.members], dtype=np.int64)
        first = [res[m[0]] for m in self.members]
        self.g_kind = [r.kind for r in first]
        self.g_bilingual = np.array([k[9] for k in self.group_keys], dtype=bool)
        self.g_excluded = [k[-1] for k in self.group_keys]
        self.g_first = first
        # What the travel model and the arcs read, one entry per group.
        self.g_columns = {
            "lat": np.array([r.lat for r in first], dtype=float),
            "lon": np.array([r.lon for r in first], dtype=float),
            "usa": self.res_usa[[m[0] for m in self.members]].astype(bool)
            if first else np.zeros(0, dtype=bool),
            "nation_usa": np.array([r.nation == "USA" for r in first], dtype=bool),
            "available_from": np.array([r.available_from for r in first], dtype=np.int64),
            "credential_delay": np.array([r.credential_delay for r in first], dtype=np.int64),
            "air": np.array([r.air_capable for r in first], dtype=bool),
            "eligible": np.array([r.cross_border_eligible for r in first], dtype=bool),
        }
        # Groups that travel alike (same home, nation, departure and air capability) have the
        # same ETA to every request: the travel model is asked once for each.
        self.g_travel = [(k[3], k[4], k[2], k[5], k[6], k[8]) for k in self.group_keys]

    def _drawdown(self):
        caps = self._drawdown_caps()
        used = defaultdict(int)
        for p in self.pinned:
            r = self.resources[p.resource]
            used[(r.jurisdiction, r.kind)] += 1
        self.jk_keys = sorted({(r.jurisdiction, r.kind) for r in self.g_first})
        jk_index = {k: i for i, k in enumerate(self.jk_keys)}
        self.jk_cap = np.array([caps[k] - used[k] for k in self.jk_keys], dtype=np.int64)
        self.g_jk = np.array([jk_index[(r.jurisdiction, r.kind)] for r in self.g_first],
                             dtype=np.int64)
        self.r_quantity = np.array([q.quantity for q in self.requests], dtype=np.int64)
        for p in self.pinned:
            self.r_quantity[p.request] -= 1

    # --- arcs ------------------------------------------------------------------------------

    def group_arrays(self, groups):
        groups = np.asarray(groups, dtype=np.int64)
        return {name: column[groups] for name, column in self.g_columns.items()}

    def request_arrays(self, reqs):
        reqs = np.asarray(reqs, dtype=np.int64)
        return {"lat": self.r_lat[reqs], "lon": self.r_lon[reqs], "usa": self.r_usa[reqs]}

    def _travel_classes(self, groups):
        """(group row -> class, one representative group per class) for groups that share a
        travel key (see _group)."""
        index = {}
        inverse = np.array([index.setdefault(self.g_travel[g], len(index)) for g in groups],
                           dtype=np.int64)
        reps = np.zeros(len(index), dtype=np.int64)
        reps[inverse[::-1]] = np.asarray(groups, dtype=np.int64)[::-1]
        return inverse, reps

    def _pairs(self, groups, reqs, penalties):
        """ETA, cost and arc test for every (group, request) pair, worked out once per travel
        class: (class of each group row, per class × request: eta, intl, air, port, late,
        cost, and `ok`, true where the cost beats leaving the unit unmet and a route exists).
        """
        reqs = np.asarray(reqs, dtype=np.int64)
        inverse, reps = self._travel_classes(groups)
        eta, intl, air, port = self.travel.eta_block(self.group_arrays(reps),
                                                     self.request_arrays(reqs))
        late = np.maximum(0, eta - self.r_needed[reqs][None, :])
        cost = self.r_priority[reqs][None, :] * late + np.asarray(penalties)[None, :]
        ok = (cost < self.r_unmet_cost[reqs][None, :]) & (eta < UNREACHABLE)
        return inverse, {"eta": eta, "intl": intl, "air": air, "port": port, "late": late,
                         "cost": cost, "ok": ok}

    def _excluded_mask(self, groups, reqs):
        """True where the duty officer excluded the group from the request."""
        mask = np.zeros((len(groups), len(reqs)), dtype=bool)
        for row, g in enumerate(groups):
            if self.g_excluded[g]:
                mask[row] = np.isin(reqs, list(self.g_excluded[g]))
        return mask

    def pair_block(self, groups, reqs, penalties):
        """Everything about the (group, request) pairs of one kind: ETA, cost and why a pair
        has no arc ("ineligible", "excluded", "unreachable", "too_late" or "" for an arc)."""
        reqs = np.asarray(reqs, dtype=np.int64)
        inverse, block = self._pairs(groups, reqs, penalties)
        block = {name: values[inverse] for name, values in block.items()}
        eligible = self.g_columns["eligible"][np.asarray(groups, dtype=np.int64)]
        why = np.full(block["eta"].shape, "", dtype=object)
        why[block["cost"] >= self.r_unmet_cost[reqs][None, :]] = "too_late"
        why[block["eta"] >= UNREACHABLE] = "unreachable"
        why[block["intl"] & ~eligible[:, None]] = "ineligible"
        why[self._excluded_mask(groups, reqs)] = "excluded"
        del block["ok"]
        return {**block, "why": why}

    def _arcs(self):
        by_kind = defaultdict(list)
        for g, kind in enumerate(self.g_kind):
            by_kind[kind].append(g)
        wanted = defaultdict(list)  # kind -> [(request, penalty)]
        for r, kinds in enumerate(self.accepted):
            if self.r_quantity[r] > 0:
                for kind, penalty in kinds.items():
                    wanted[kind].append((r, penalty))
        # Per kind, the class × request blocks go into `table` (flattened, one after the
        # other); each arc is a group and an index into the table.
        names = ("r", "penalty", "eta", "intl", "air", "port", "late", "cost")
        table = defaultdict(list)
        arc_group, arc_src = [], []
        size = 0
        for kind in sorted(set(by_kind) & set(wanted)):
            groups = np.asarray(by_kind[kind], dtype=np.int64)
            reqs = np.asarray([r for r, _p in wanted[kind]], dtype=np.int64)
            pens = np.asarray([p for _r, p in wanted[kind]], dtype=np.int64)
            inverse, block = self._pairs(groups, reqs, pens)
            # Per group: the class's arcs, less crossings the group is not eligible for and
            # the duty officer's exclusions.
            ok = block["ok"][inverse]
            ineligible = ~self.g_columns["eligible"][groups]
            if ineligible.any():
                ok[ineligible] &= ~block["intl"][inverse[ineligible]]
            if any(self.g_excluded[g] for g in groups):
                ok &= ~self._excluded_mask(groups, reqs)
            # Request by request, so that sorting below moves arcs only a little.
            cols, rows = np.nonzero(np.ascontiguousarray(ok.T))
            arc_group.append(groups[rows])
            # The table holds each block transposed (request × class), also for locality.
            n_classes = len(block["eta"])
            arc_src.append(cols * n_classes + inverse[rows] + size)
            shape = block["eta"].shape
            block["r"] = np.broadcast_to(reqs, shape)
            block["penalty"] = np.broadcast_to(pens, shape)
            for name in names:
                table[name].append(block[name].T.ravel())
            size += block["eta"].size
        if table:
            table = {name: np.concatenate(parts) for name, parts in table.items()}
            group, src = np.concatenate(arc_group), np.concatenate(arc_src)
        else:
            table = {name: np.zeros(0, dtype=np.int64) for name in names}
            group = src = np.zeros(0, dtype=np.int64)
        request, cost, eta = table["r"][src], table["cost"][src], table["eta"][src]
        order = _order(request, cost, eta, group)
        src = src[order]
        self.a_group = group[order]
        self.a_request = request[order]
        self.a_penalty = table["penalty"][src]
        self.a_eta = eta[order]
        self.a_intl = table["intl"][src]
        self.a_air = table["air"][src]
        self.a_port = table["port"][src].astype(np.int64)
        self.a_late = table["late"][src]
        self.a_cost = cost[order]
        self.a_cap = self.g_size[self.a_group]
        np.minimum(self.a_cap, self.r_quantity[self.a_request], out=self.a_cap)
        self.a_bilingual = self.g_bilingual[self.a_group]
        self.a_tie = self.a_eta // 60
        np.minimum(self.a_tie, TIE_BREAK_CAP, out=self.a_tie)
        self.r_ptr = np.searchsorted(self.a_request, np.arange(len(self.requests) + 1))

    @property
    def n_arcs(self):
        return len(self.a_group)

    def arcs_of(self, r):
        return range(self.r_ptr[r], self.r_ptr[r + 1])

    # --- solutions -------------------------------------------------------------------------

    def empty(self):
        return np.zeros(self.n_arcs, dtype=np.int64)

    def objective(self, x):
        """(lateness, substitution, unmet) of a solution, pins included."""
        late = int(np.dot(x, self._late_weight))
        subst = int(np.dot(x, self.a_penalty))
        sent = np.bincount(self.a_request, weights=x, minlength=len(self.requests))
        unmet = int(np.dot(self.r_quantity - sent.astype(np.int64), self.r_unmet_cost))
        for p in self.pinned:
            late += int(self.r_priority[p.request]) * p.late
            subst += p.penalty
        return late, subst, unmet

    @cached_property
    def _late_weight(self):
        """Each arc's priority-weighted lateness per unit."""
        return self.r_priority[self.a_request] * self.a_late

    def total(self, x):
        return sum(self.objective(x))

    def liaison_violations(self, x):
        """Incidents that receive international units but no Spanish–English speaker among
        them (pins included)."""
        if not self.instance.liaison:
            return []
        used = np.flatnonzero(x > 0)
        intl = self.a_intl[used]
        incidents = self.r_incident[self.a_request[used]]
        crossing = set(incidents[intl].tolist())
        covered = set(incidents[intl & self.a_bilingual[used]].tolist())
        for p in self.pinned:
            if p.international:
                crossing.add(int(self.r_incident[p.request]))
                if self.resources[p.resource].bilingual:
                    covered.add(int(self.r_incident[p.request]))
        return sorted(crossing - covered)

    def feasible(self, x):
        """Capacity, drawdown, quantity and liaison hold (the arcs carry the rest)."""
        g_used = np.bincount(self.a_group, weights=x, minlength=len(self.members))
        jk_used = np.bincount(self.g_jk, weights=g_used, minlength=len(self.jk_keys))
        r_used = np.bincount(self.a_request, weights=x, minlength=len(self.requests))
        return bool((x >= 0).all() and (x <= self.a_cap).all()
                    and (g_used <= self.g_size).all() and (jk_used <= self.jk_cap).all()
                    and (r_used <= self.r_quantity).all()
                    and not self.liaison_violations(x))

    def repair_liaison(self, x):
        """Make a solution obey the liaison rule at the least immediate cost per incident:
        either bring in a free Spanish–English speaker (filling an unmet unit or replacing the
        request's dearest unit) or pull the incident's international units back."""
        x = x.copy()
        violations = self.liaison_violations(x)
        if not violations:
            return x
        # Units used per group, jurisdiction×kind and request, kept up to date move by move.
        g_used = np.bincount(self.a_group, weights=x, minlength=len(self.members)).tolist()
        jk_used = np.bincount(self.g_jk, weights=g_used, minlength=len(self.jk_keys)).tolist()
        r_used = np.bincount(self.a_request, weights=x, minlength=len(self.requests)).tolist()
        g_size, g_jk, jk_cap = self.g_size.tolist(), self.g_jk.tolist(), self.jk_cap.tolist()
        r_quantity, r_unmet = self.r_quantity.tolist(), self.r_unmet_cost.tolist()
        requests_of = defaultdict(list)
        for r, incident in enumerate(self.r_incident.tolist()):
            requests_of[incident].append(r)

        def change(arcs, amounts):
            for a, n in zip(arcs, amounts, strict=True):
                g, r = int(self.a_group[a]), int(self.a_request[a])
                g_used[g] += n
                jk_used[g_jk[g]] += n
                r_used[r] += n
                x[a] += n

        for incident in violations:
            arcs = np.concatenate([np.arange(self.r_ptr[r], self.r_ptr[r + 1])
                                   for r in requests_of[incident]])
            held_by = {}  # request -> [(cost, arc, jk)] of the arcs it holds units on
            best = None
            speakers = arcs[self.a_intl[arcs] & self.a_bilingual[arcs]]
            for a, g, r, cost in zip(speakers.tolist(), self.a_group[speakers].tolist(),
                                     self.a_request[speakers].tolist(),
                                     self.a_cost[speakers].tolist(), strict=True):
                if g_used[g] >= g_size[g]:
                    continue
                jk = g_jk[g]
                if r_used[r] < r_quantity[r]:
                    if jk_used[jk] >= jk_cap[jk]:
                        continue
                    move = (cost - r_unmet[r], a, None)
                else:
                    if r not in held_by:
                        lo = int(self.r_ptr[r])
                        on = lo + np.flatnonzero(x[lo:int(self.r_ptr[r + 1])] > 0)
                        held_by[r] = list(zip(self.a_cost[on].tolist(), on.tolist(),
                                              self.g_jk[self.a_group[on]].tolist(),
                                              strict=True))
                    free = jk_used[jk] < jk_cap[jk]
                    held = [(c, b) for c, b, b_jk in held_by[r] if free or b_jk == jk]
                    if not held:
                        continue
                    out_cost, out = max(held)
                    move = (cost - out_cost, a, out)
                if best is None or move < best:
                    best = move
            crossing = arcs[self.a_intl[arcs]]
            pulled = crossing[x[crossing] > 0]
            pull_cost = int(np.dot(x[pulled], self.r_unmet_cost[self.a_request[pulled]]
                                   - self.a_cost[pulled]))
            if best is not None and best[0] <= pull_cost:
                _delta, a, out = best
                if out is not None:
                    change([out], [-1])
                change([a], [1])
            else:
                change(pulled.tolist(), (-x[pulled]).tolist())
        return x

    def assignments(self, x):
        """[(resource index, request index, arc or None for a pin)] in request order, each
        group's resources handed out in instance order."""
        next_member = [0] * len(self.members)
        out = [(p.resource, p.request, None) for p in self.pinned]
        for a in np.nonzero(x > 0)[0]:
            g = self.a_group[a]
            for _ in range(int(x[a])):
                out.append((self.members[g][next_member[g]], int(self.a_request[a]), int(a)))
                next_member[g] += 1
        out.sort(key=lambda t: (t[1], t[0]))
        return out

    def relaxation_bound(self):
        """A lower bound without solving: each request takes its cheapest arcs as if no other
        request competed for them and no drawdown applied (pins count as they are)."""
        late, subst, _ = self.objective(self.empty())
        # Each arc takes what its request still needs after the request's cheaper arcs.
        before = np.cumsum(self.a_cap) - self.a_cap  # capacity of all earlier arcs
        first = np.append(before, int(self.a_cap.sum()))[self.r_ptr]
        before -= first[:-1][self.a_request]  # … of the request's earlier arcs
        take = np.minimum(self.a_cap, np.maximum(0, self.r_quantity[self.a_request] - before))
        left = np.maximum(0, self.r_quantity - (first[1:] - first[:-1]))
        return (late + subst + int(np.dot(take, self.a_cost))
                + int(np.dot(left, self.r_unmet_cost)))


def _order(*keys):
    """The permutation that sorts by the keys, the first most significant (non-negative
    integer arrays whose combination is unique): one argsort of a packed int64 key when it
    fits, np.lexsort otherwise."""
    if not len(keys[0]):
        return np.zeros(0, dtype=np.int64)
    lows = [int(k.min()) for k in keys]
    spans = [int(k.max()) - low + 1 for k, low in zip(keys, lows, strict=True)]
    if math.prod(spans) >= 2**63:
        return np.lexsort(keys[::-1])
    packed = np.zeros(len(keys[0]), dtype=np.int64)
    for k, low, span in zip(keys, lows, spans, strict=True):
        packed *= span
        packed += k
        packed -= low
    return np.argsort(packed)
