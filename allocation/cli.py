"""The allocation command line, shared by `enlace allocate ...` and `python -m allocation ...`.

    solve INSTANCE.json [--solver auto|flow|milp|greedy] [--on-breach escalate|refuse]
          [--time-limit S] [--pin RESOURCE:REQUEST ...] [--exclude RESOURCE[:REQUEST] ...]
          [--out PLAN.json] [--timings]
    generate --size small|medium|large|xlarge --seed N [--no-liaison] [--out INSTANCE.json]
    check INSTANCE.json PLAN.json

Exit status: 0 on success, 1 when `check` finds the plan infeasible, 2 for unusable input (or
a liaison breach with `--on-breach refuse`).

Plans are written as compact JSON: the indented form takes Python's slow encoder, longer than
the solve on a large instance (`python -m json.tool` indents one for reading).
"""

import argparse
import json
import sys
from pathlib import Path
from time import perf_counter

from allocation import instance as instances
from allocation import validation


def _parser(prog):
    parser = argparse.ArgumentParser(prog=prog, description="Plan cross-border resource "
                                     "allocation: solve, generate test instances, check plans.")
    sub = parser.add_subparsers(dest="command", required=True)
    solve = sub.add_parser("solve", help="Solve an instance and print the plan as JSON.")
    solve.add_argument("instance", type=Path)
    solve.add_argument("--solver", choices=("auto", "flow", "milp", "greedy"), default="auto",
                       help="auto (default) = milp: the flow, then the integer model only "
                            "when the liaison rule needs it")
    solve.add_argument("--on-breach", choices=("escalate", "refuse"), default="escalate",
                       help="when the flow's optimum breaks the liaison rule: escalate "
                            "(default) to the integer model, or refuse (exit 2) — for "
                            "--solver flow")
    solve.add_argument("--time-limit", type=float, default=None, metavar="S",
                       help="seconds for the whole solve; the best plan found is returned")
    solve.add_argument("--pin", action="append", default=[], metavar="RESOURCE:REQUEST",
                       help="send this resource to this request (repeatable)")
    solve.add_argument("--exclude", action="append", default=[],
                       metavar="RESOURCE[:REQUEST]",
                       help="never send this resource (to this request) (repeatable)")
    solve.add_argument("--out", type=Path, help="write the plan here instead of printing it")
    solve.add_argument("--timings", action="store_true",
                       help="print the seconds of each step (read, validate, solve and its "
                            "phases, write) as one JSON line on standard error")
    gen = sub.add_parser("generate", help="Write a synthetic California–Baja California "
                                          "instance.")
    gen.add_argument("--size", choices=("small", "medium", "large", "xlarge"), default="small")
    gen.add_argument("--seed", type=int, default=0)
    gen.add_argument("--no-liaison", action="store_true",
                     help="leave the liaison rule off in the instance")
    gen.add_argument("--bilingual-share", type=float, default=0.25,
                     help="chance that a resource has a Spanish–English speaker")
    gen.add_argument("--out", type=Path, help="write here instead of printing")
    chk = sub.add_parser("check", help="Verify a plan against its instance; print the result "
                                       "as JSON; exit 1 if infeasible.")
    chk.add_argument("instance", type=Path)
    chk.add_argument("plan", type=Path)
    return parser


def _pairs(values, need_request):
    out = []
    for value in values:
        resource, _, request = value.partition(":")
        if not resource or (need_request and not request):
            raise instances.InstanceError(f"expected RESOURCE:REQUEST, got {value!r}")
        out.append({"resource": resource, **({"request": request} if request else {})})
    return out


def _emit(text, out, stdout):
    if out:
        Path(out).write_text(text + "\n", encoding="utf-8")
    else:
        stdout.write(text + "\n")


def _solve(args, stdout, stderr):
    from allocation.plan import solve

    steps, started = {}, perf_counter()
    data = json.loads(args.instance.read_text(encoding="utf-8"))
    steps["read"] = perf_counter() - started
    instances.check_schema(data)
    steps["validate"] = perf_counter() - started - steps["read"]
    inst = instances.from_json(data, validate=False)
    steps["load"] = perf_counter() - started - steps["read"] - steps["validate"]
    plan = solve(inst, solver=args.solver, time_limit=args.time_limit,
                 pins=_pairs(args.pin, True), exclusions=_pairs(args.exclude, False),
                 on_breach=args.on_breach)
    written = perf_counter()
    _emit(json.dumps(plan, ensure_ascii=False), args.out, stdout)
    if args.timings:
        steps.update(solve=plan["solve_seconds"], **{k: v for k, v in plan["timings"].items()
                                                    if k != "milp_variables"})
        steps["write"] = perf_counter() - written
        stderr.write(json.dumps({k: round(v, 4) for k, v in steps.items()}) + "\n")


def main(argv=None, prog=None, stdout=None, stderr=None):
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    args = _parser(prog or "python -m allocation").parse_args(argv)
    try:
        if args.command == "solve":
            _solve(args, stdout, stderr)
        elif args.command == "generate":
            from allocation.generate import generate

            inst = generate(args.size, args.seed, liaison=not args.no_liaison,
                            bilingual_share=args.bilingual_share)
            _emit(instances.dumps(inst), args.out, stdout)
        else:
            from allocation.check import check

            plan = json.loads(args.plan.read_text(encoding="utf-8"))
            errors = validation.plan_errors(plan)
            if errors:
                raise ValueError(f"{args.plan} is not a plan: " + "; ".join(errors[:5]))
            result = check(instances.load(args.instance), plan)
            _emit(json.dumps(result, ensure_ascii=False, indent=1), None, stdout)
            return 0 if result["feasible"] else 1
    except (OSError, ValueError) as exc:  # InstanceError and bad JSON are ValueErrors
        stderr.write(f"{prog or 'allocation'}: {exc}\n")
        return 2
    return 0

