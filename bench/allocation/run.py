"""Benchmark of the allocation optimizer: greedy, flow and MILP on generated instances.

    .venv/bin/python bench/allocation/run.py [--sizes small,medium,large,xlarge] [--seeds 3]

Each (size, seed, rules, solver) runs in a fresh process, so the peak memory (the process's
maximum resident set, libraries and instance included) belongs to that run alone and no run
warms another's caches. Three rule sets share each seed's instance:
  none     the liaison rule off — the flow alone is exact;
  liaison  the rule on, a quarter of resources with a Spanish–English speaker;
  stress   the rule on, 3% with a speaker, so it binds and the integer model has work.
Prints a Markdown table and the goals of issue 6, met or not.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RULES = {"none": (False, 0.25), "liaison": (True, 0.25), "stress": (True, 0.03)}
RUNS = [("none", "greedy"), ("none", "flow"), ("liaison", "greedy"), ("liaison", "milp"),
        ("stress", "greedy"), ("stress", "flow"), ("stress", "milp")]


def one(size, seed, rules, solver):
    """Solve once in this process and print the figures as one JSON line."""
    sys.path.insert(0, str(ROOT))
    from allocation.generate import generate
    from allocation.plan import solve

    liaison, share = RULES[rules]
    inst = generate(size, seed, liaison=liaison, bilingual_share=share)
    plan = solve(inst, solver=solver)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({
        "size": size, "seed": seed, "rules": rules, "solver": solver,
        "method": plan["method"], "status": plan["status"], **plan["objective"],
        "bound": plan["bound"], "gap": plan["gap"], "seconds": plan["solve_seconds"],
        "explain": plan["timings"]["explain"], "peak_mib": round(peak),
        "arcs": plan["stats"]["arcs"], "groups": plan["stats"]["groups"],
    }))


def run_all(sizes, seeds):
    rows = []
    for size in sizes:
        for seed in range(seeds):
            for rules, solver in RUNS:
                out = subprocess.run(
                    [sys.executable, __file__, "--one", size, str(seed), rules, solver],
                    capture_output=True, text=True, check=True,
                    env={**os.environ, "PYTHONHASHSEED": "0"})
                rows.append(json.loads(out.stdout))
                print(f"{size} {seed} {rules} {solver}: {rows[-1]['seconds']} s",
                      file=sys.stderr)
    return rows


def table(rows):
    greedy = {(r["size"], r["seed"], r["rules"]): r["total"] for r in rows
              if r["solver"] == "greedy"}
    lines = ["| size | seed | rules | solver | method | objective | lateness | unmet | "
             "substitution | bound | gap | greedy ÷ this | solve s | explain s | peak MiB |",
             "|" + "---|" * 15]
    for r in rows:
        ratio = greedy[(r["size"], r["seed"], r["rules"])] / r["total"] if r["total"] else 1
        lines.append(
            f"| {r['size']} | {r['seed']} | {r['rules']} | {r['solver']} | {r['method']} | "
            f"{r['total']:,} | {r['lateness']:,} | {r['unmet']:,} | {r['substitution']:,} | "
            f"{r['bound']:,} | {r['gap']:.2%} | {ratio:.3f} | {r['seconds']:.3f} | "
            f"{r['explain']:.3f} | {r['peak_mib']} |")
    return "\n".join(lines)


def goals(rows):
    def pick(size, rules, solver):
        return [r for r in rows if (r["size"], r["rules"], r["solver"]) == (size, rules,
                                                                           solver)]

    out = []
    flow_large = pick("large", "none", "flow")
    if flow_large:
        worst = max(r["seconds"] for r in flow_large)
        ok = worst <= 0.5 and all(r["status"] == "optimal" for r in flow_large)
        out.append(f"- large, flow, optimal in ≤ 0.5 s: {'met' if ok else 'NOT met'} "
                   f"(slowest {worst:.3f} s)")
    liaison = pick("large", "liaison", "milp") + pick("large", "stress", "milp")
    if liaison:
        worst_gap = max(r["gap"] for r in liaison)
        worst = max(r["seconds"] for r in liaison)
        ok = worst_gap <= 0.01 and worst <= 5
        out.append(f"- large, liaison rule, within 1% of the bound in ≤ 5 s: "
                   f"{'met' if ok else 'NOT met'} (worst gap {worst_gap:.4%}, slowest "
                   f"{worst:.3f} s)")
    xl = pick("xlarge", "none", "flow") + pick("xlarge", "liaison", "milp") + pick(
        "xlarge", "stress", "milp")
    if xl:
        worst = max(r["seconds"] for r in xl)
        out.append(f"- xlarge in ≤ 5 s (flow, and MILP with the rule): "
                   f"{'met' if worst <= 5 else 'NOT met'} (slowest {worst:.3f} s)")
    if flow_large:
        greedy = {r["seed"]: r["total"] for r in pick("large", "none", "greedy")}
        gains = [1 - r["total"] / greedy[r["seed"]] for r in flow_large]
        met = sum(g >= 0.25 for g in gains)
        out.append(f"- large, optimal ≥ 25% better than greedy: met on {met} of {len(gains)} "
                   f"seeds (improvement {', '.join(f'{g:.1%}' for g in gains)}; greedy ÷ "
                   f"optimal {', '.join(f'{1 / (1 - g):.2f}' for g in gains)})")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="small,medium,large,xlarge")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--one", nargs=4, metavar=("SIZE", "SEED", "RULES", "SOLVER"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        size, seed, rules, solver = args.one
        one(size, int(seed), rules, solver)
        return
    rows = run_all(args.sizes.split(","), args.seeds)
    print(table(rows))
    print()
    print(goals(rows))


if __name__ == "__main__":
    main()
