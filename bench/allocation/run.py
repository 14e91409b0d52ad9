"""Benchmark of the allocation optimizer against its limit: OR-Tools alone on Enlace's own arcs.

    .venv/bin/python bench/allocation/run.py [--sizes small,medium,large,xlarge] [--seeds 3]

Each (size, seed, rules, solver) runs in a fresh process (`--one`), which:
  1. generates the instance and solves it with `allocation.plan.solve`, reading the plan's
     timings (network build, flow, MILP when used, explanations) and the whole solve;
  2. records its peak memory (the process's maximum resident set, libraries and instance
     included) right after the solve;
  3. builds the same network again and times the raw solver on it: a fresh OR-Tools
     `SimpleMinCostFlow` given exactly the arrays `allocation.flow.solve` gives it
     (`flow.arrays`), add_arcs_with_capacity_and_unit_cost + set_nodes_supplies + solve,
     nothing else. It is timed twice and the faster run is kept, so ratios err against Enlace;
  4. writes the instance to a temporary file and times the command a user runs,
     `python -m allocation solve INSTANCE.json --solver S --out PLAN.json --timings`, as
     wall time of a subprocess: start-up, read, validate, solve, explain, write. With
     `--timings` the command prints its own breakdown as one JSON line on stderr.

Every time is reported as a multiple of the raw solver measured in the same process and run,
so a busy machine shifts the seconds but much less the ratios. Three rule sets share each
seed's instance:
  none     the liaison rule off — the flow alone is exact;
  liaison  the rule on, a quarter of resources with a Spanish–English speaker;
  stress   the rule on, 3% with a speaker, so it binds and the integer model has work.
Prints Markdown tables (in-process times; the command's wall time and breakdown; each size's
supply against its demand) and the targets of issue 16, met or not. `--json FILE` keeps the
rows, `--from-json FILE` prints the tables again from them.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parents[2]
RULES = {"none": (False, 0.25), "liaison": (True, 0.25), "stress": (True, 0.03)}
RUNS = [("none", "greedy"), ("none", "flow"), ("liaison", "greedy"), ("liaison", "milp"),
        ("stress", "greedy"), ("stress", "flow"), ("stress", "milp")]
CLI_PARTS = ("read", "validate", "solve", "network", "greedy", "flow", "milp", "explain",
             "write")


def raw_solver_seconds(net, repeat=2):
    """The fastest of `repeat` runs of OR-Tools alone on the arrays the flow solver builds."""
    from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

    from allocation import flow

    model = flow.arrays(net)
    best, status = None, None
    for _ in range(repeat):
        started = perf_counter()
        mcf = SimpleMinCostFlow()
        mcf.add_arcs_with_capacity_and_unit_cost(model.tails, model.heads, model.caps,
                                                 model.costs)
        mcf.set_nodes_supplies(range(len(model.supplies)), model.supplies)
        status = mcf.solve()
        seconds = perf_counter() - started
        best = seconds if best is None else min(best, seconds)
        if status == SimpleMinCostFlow.BAD_COST_RANGE:  # flow.solve drops the tie-break then
            model = flow.arrays(net, tie_break=False)
    return best, status.name, len(model.tails)


def supply(inst):
    """What the instance offers against what it asks, for the kinds ordered: the units that may
    be sent (after drawdown and units held for home coverage; crossing the border also needs
    eligibility) over the units ordered, and how many kinds lie within 80–120% of it."""
    from collections import Counter

    jurisdictions = {j.id: j for j in inst.jurisdictions}
    count, held = Counter(), Counter()
    for r in inst.resources:
        count[(r.jurisdiction, r.kind)] += 1
        held[(r.jurisdiction, r.kind)] += r.held_for_home_coverage
    sendable = Counter()
    for (jurisdiction, kind), n in count.items():
        kept = jurisdictions[jurisdiction].keep_at_home(kind, n)
        sendable[kind] += min(n - kept, n - held[(jurisdiction, kind)])
    ordered = Counter()
    for q in inst.requests:
        ordered[q.kind] += q.quantity
    return {"sendable_share": sum(sendable[k] for k in ordered) / sum(ordered.values()),
            "kinds_within": sum(0.8 <= sendable[k] / n <= 1.2 for k, n in ordered.items()),
            "kinds_ordered": len(ordered)}


def run_cli(inst, solver, workdir):
    """Wall seconds of the command on the instance, and its --timings breakdown when the
    command offers it."""
    from allocation import instance as instances

    path, out = Path(workdir) / "instance.json", Path(workdir) / "plan.json"
    path.write_text(instances.dumps(inst), encoding="utf-8")
    base = [sys.executable, "-m", "allocation", "solve", str(path), "--solver", solver,
            "--out", str(out)]
    for extra in (["--timings"], []):
        started = perf_counter()
        done = subprocess.run(base + extra, cwd=ROOT, capture_output=True, text=True)
        wall = perf_counter() - started
        if done.returncode == 2 and "--timings" in done.stderr and extra:
            continue  # an older command without --timings: time the wall only
        if done.returncode != 0:
            raise RuntimeError(f"allocation solve failed: {done.stderr.strip()}")
        timings = None
        for line in done.stderr.splitlines():
            if line.startswith("{"):
                timings = json.loads(line)
        plan = json.loads(out.read_text(encoding="utf-8"))
        return {"wall": wall, "timings": timings, "total": plan["objective"]["total"]}
    raise AssertionError("unreachable")


def one(size, seed, rules, solver, cli=True):
    """Solve once in this process and print the figures as one JSON line."""
    sys.path.insert(0, str(ROOT))
    from allocation import flow, milp  # noqa: F401 — imported before the clock starts, as
    from allocation.generate import generate  # in a running service; the command's start-up
    from allocation.network import Network  # counts them
    from allocation.plan import solve

    liaison, share = RULES[rules]
    inst = generate(size, seed, liaison=liaison, bilingual_share=share)
    started = perf_counter()
    plan = solve(inst, solver=solver)
    wall = perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    row = {
        "size": size, "seed": seed, "rules": rules, "solver": solver,
        "method": plan["method"], "reason": plan.get("method_reason"),
        "status": plan["status"], **plan["objective"], "bound": plan["bound"],
        "gap": plan["gap"], "solve": plan["solve_seconds"], "wall": wall,
        "timings": plan["timings"], "peak_mib": round(peak),
        "arcs": plan["stats"]["arcs"], "groups": plan["stats"]["groups"],
        "units_requested": plan["stats"]["units_requested"],
        "units_unmet": plan["stats"]["units_unmet"], **supply(inst),
    }
    del plan
    row["raw"], row["raw_status"], row["raw_arcs"] = raw_solver_seconds(Network(inst))
    if cli:
        with tempfile.TemporaryDirectory() as workdir:
            row["cli"] = run_cli(inst, solver, workdir)
    print(json.dumps(row))


def run_all(sizes, seeds, cli=True):
    rows = []
    for size in sizes:
        for seed in range(seeds):
            for rules, solver in RUNS:
                out = subprocess.run(
                    [sys.executable, __file__, "--one", size, str(seed), rules, solver,
                     *([] if cli else ["--no-cli"])],
                    capture_output=True, text=True, check=True,
                    env={**os.environ, "PYTHONHASHSEED": "0"})
                rows.append(json.loads(out.stdout))
                r = rows[-1]
                print(f"{size} {seed} {rules} {solver}: solve {r['solve']:.3f} s, raw "
                      f"{r['raw']:.3f} s" + (f", command {r['cli']['wall']:.2f} s"
                                            if "cli" in r else ""), file=sys.stderr)
    return rows


def _times(r, name):
    t = r["timings"]
    if name == "build+flow":
        return t["network"] + t["flow"] if "flow" in t else None
    if name == "solve":
        return r["solve"]
    return t.get(name)


def _ratio(seconds, raw):
    return "—" if seconds is None else f"{seconds / raw:.2f}"


def table(rows):
    greedy = {(r["size"], r["seed"], r["rules"]): r["total"] for r in rows
              if r["solver"] == "greedy"}
    lines = ["| size | seed | rules | solver | method | arcs | objective | gap | greedy ÷ this "
             "| raw s | network ×raw | flow ×raw | build+flow ×raw | milp ×raw | solve ×raw "
             "| solve s | explain s | peak MiB |",
             "|" + "---|" * 18]
    for r in rows:
        ratio = greedy[(r["size"], r["seed"], r["rules"])] / r["total"] if r["total"] else 1
        method = r["method"] + (f" ({r['reason']})" if r.get("reason") else "")
        cells = [_ratio(_times(r, name), r["raw"])
                 for name in ("network", "flow", "build+flow", "milp", "solve")]
        lines.append(
            f"| {r['size']} | {r['seed']} | {r['rules']} | {r['solver']} | {method} | "
            f"{r['arcs']:,} | {r['total']:,} | {r['gap']:.2%} | {ratio:.3f} | "
            f"{r['raw']:.3f} | {' | '.join(cells)} | {r['solve']:.3f} | "
            f"{r['timings'].get('explain', 0):.3f} | {r['peak_mib']} |")
    return "\n".join(lines)


def cli_table(rows):
    rows = [r for r in rows if "cli" in r]
    if not rows:
        return ""
    steps = ("read", "validate", "load", "solve", "explain", "write")
    lines = ["| size | seed | rules | solver | command s | ×raw | start-up s | "
             + " | ".join(f"{step} s" for step in steps) + " |", "|" + "---|" * 13]
    for r in rows:
        c, t = r["cli"], r["cli"]["timings"]
        if t:
            # solve is the plan's solve_seconds (network, solvers); explain comes after it.
            startup = c["wall"] - sum(t.get(step, 0) for step in steps)
            cells = [f"{startup:.2f}", *(f"{t[step]:.3f}" if step in t else "—"
                                         for step in steps)]
        else:
            cells = ["—"] * (len(steps) + 1)
        lines.append(f"| {r['size']} | {r['seed']} | {r['rules']} | {r['solver']} | "
                     f"{c['wall']:.2f} | {c['wall'] / r['raw']:.1f} | {' | '.join(cells)} |")
    return "\n".join(lines)


def supply_table(rows):
    def span(values, fmt):
        low, high = min(values), max(values)
        return fmt.format(low) if fmt.format(low) == fmt.format(high) else (
            f"{fmt.format(low)}–{fmt.format(high)}")

    lines = ["| size | seeds | may be sent ÷ ordered | kinds within 80–120% | units the optimum "
             "leaves unmet |", "|---|---|---|---|---|"]
    for size in dict.fromkeys(r["size"] for r in rows):
        mine = [r for r in rows if (r["size"], r["rules"], r["solver"]) == (size, "none", "flow")]
        if not mine or "sendable_share" not in mine[0]:
            continue
        seeds = sorted(r["seed"] for r in mine)
        share = span([r["sendable_share"] for r in mine], "{:.2f}")
        lines.append(
            f"| {size} | {span(seeds, '{}')} | {share}"
            f" | {span([r['kinds_within'] for r in mine], '{}')} of "
            f"{span([r['kinds_ordered'] for r in mine], '{}')} | "
            f"{span([r['units_unmet'] / r['units_requested'] for r in mine], '{:.1%}')} |")
    return "\n".join(lines)


def goals(rows):
    def pick(size, rules, solver):
        return [r for r in rows if (r["size"], r["rules"], r["solver"]) == (size, rules,
                                                                           solver)]

    def met(ok):
        return "met" if ok else "NOT met"

    out = []
    flow_large = pick("large", "none", "flow")
    with_cli = [r for r in flow_large if "cli" in r]
    if with_cli:
        worst = max(r["cli"]["wall"] for r in with_cli)
        others = [r for r in rows if r["size"] == "large" and "cli" in r]
        slowest = max(others, key=lambda r: r["cli"]["wall"])
        out.append(f"- large, end-to-end command (flow) ≤ 1 s: {met(worst <= 1)} (slowest "
                   f"{worst:.2f} s; every large run: slowest {slowest['cli']['wall']:.2f} s, "
                   f"{slowest['rules']} {slowest['solver']})")
    if flow_large:
        ratios = [_times(r, "build+flow") / r["raw"] for r in flow_large]
        optimal = all(r["status"] == "optimal" for r in flow_large)
        out.append(f"- large, flow build + solve ≤ 2× the raw solver, optimal: "
                   f"{met(max(ratios) <= 2 and optimal)} (worst {max(ratios):.2f}×; "
                   f"{'all' if optimal else 'NOT all'} optimal)")
    xl = [r for r in pick("xlarge", "none", "flow") + pick("xlarge", "liaison", "milp")
          + pick("xlarge", "stress", "milp") if "cli" in r]
    if xl:
        worst = max(xl, key=lambda r: r["cli"]["wall"])
        out.append(f"- xlarge ≤ 5 s end to end (flow, and MILP with the rule): "
                   f"{met(worst['cli']['wall'] <= 5)} (slowest {worst['cli']['wall']:.2f} s, "
                   f"{worst['rules']} {worst['solver']}; in process "
                   f"{max(r['wall'] for r in xl):.2f} s)")
    exact = [r for r in rows if r["solver"] != "greedy" and r.get("cli", {}).get("timings")]
    if exact:
        shares = {}
        for r in exact:
            timings = r["cli"]["timings"]
            shares.setdefault(r["size"], []).append(timings["validate"] / timings["solve"])
        worst = max(max(share) for share in shares.values())
        out.append("- validation < 10% of the solve (flow, MILP) on every size: "
                   f"{met(worst < 0.10)} (the command's validate ÷ solve, worst: "
                   + ", ".join(f"{size} {max(share):.1%}" for size, share in shares.items())
                   + ")")
    if flow_large:
        greedy = {r["seed"]: r["total"] for r in pick("large", "none", "greedy")}
        gains = [1 - r["total"] / greedy[r["seed"]] for r in flow_large]
        count = sum(g >= 0.25 for g in gains)
        out.append(f"- large, optimum ≥ 25% better than greedy: {met(count == len(gains))} on "
                   f"{count} of {len(gains)} seeds (improvement "
                   f"{', '.join(f'{g:.1%}' for g in gains)}; greedy ÷ optimal "
                   f"{', '.join(f'{1 / (1 - g):.2f}' for g in gains)})")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="small,medium,large,xlarge")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--no-cli", action="store_true",
                        help="skip timing the command (in-process figures only)")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    parser.add_argument("--from-json", type=Path,
                        help="print the tables of rows written earlier with --json, no runs")
    parser.add_argument("--one", nargs=4, metavar=("SIZE", "SEED", "RULES", "SOLVER"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        size, seed, rules, solver = args.one
        one(size, int(seed), rules, solver, cli=not args.no_cli)
        return
    if args.from_json:
        rows = json.loads(args.from_json.read_text(encoding="utf-8"))
    else:
        rows = run_all(args.sizes.split(","), args.seeds, cli=not args.no_cli)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    print(table(rows))
    print()
    if any("cli" in r for r in rows):
        print(cli_table(rows))
        print()
    print(supply_table(rows))
    print()
    print(goals(rows))


if __name__ == "__main__":
    main()
