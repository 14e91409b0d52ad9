"""The allocation command line, shared by `enlace allocate ...` and `python -m allocation ...`.

    solve INSTANCE.json [--solver auto|flow|milp|greedy] [--time-limit S]
          [--pin RESOURCE:REQUEST ...] [--exclude RESOURCE[:REQUEST] ...] [--out PLAN.json]
    generate --size small|medium|large|xlarge --seed N [--no-liaison] [--out INSTANCE.json]
    check INSTANCE.json PLAN.json

Exit status: 0 on success, 1 when `check` finds the plan infeasible, 2 for unusable input.
"""

import argparse
import json
import sys
from pathlib import Path

from allocation import instance as instances


def _parser(prog):
    parser = argparse.ArgumentParser(prog=prog, description="Plan cross-border resource "
                                     "allocation: solve, generate test instances, check plans.")
    sub = parser.add_subparsers(dest="command", required=True)
    solve = sub.add_parser("solve", help="Solve an instance and print the plan as JSON.")
    solve.add_argument("instance", type=Path)
    solve.add_argument("--solver", choices=("auto", "flow", "milp", "greedy"), default="auto",
                       help="auto (default) = milp: the flow, then the integer model only "
                            "when the liaison rule needs it")
    solve.add_argument("--time-limit", type=float, default=None, metavar="S",
                       help="seconds for the whole solve; the best plan found is returned")
    solve.add_argument("--pin", action="append", default=[], metavar="RESOURCE:REQUEST",
                       help="send this resource to this request (repeatable)")
    solve.add_argument("--exclude", action="append", default=[],
                       metavar="RESOURCE[:REQUEST]",
                       help="never send this resource (to this request) (repeatable)")
    solve.add_argument("--out", type=Path, help="write the plan here instead of printing it")
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


def main(argv=None, prog=None, stdout=None, stderr=None):
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    args = _parser(prog or "python -m allocation").parse_args(argv)
    try:
        if args.command == "solve":
            from allocation.plan import solve

            plan = solve(instances.load(args.instance), solver=args.solver,
                         time_limit=args.time_limit, pins=_pairs(args.pin, True),
                         exclusions=_pairs(args.exclude, False))
            _emit(json.dumps(plan, ensure_ascii=False, indent=1), args.out, stdout)
        elif args.command == "generate":
            from allocation.generate import generate

            inst = generate(args.size, args.seed, liaison=not args.no_liaison,
                            bilingual_share=args.bilingual_share)
            _emit(instances.dumps(inst), args.out, stdout)
        else:
            from allocation.check import check

            result = check(instances.load(args.instance),
                           json.loads(args.plan.read_text(encoding="utf-8")))
            _emit(json.dumps(result, ensure_ascii=False, indent=1), None, stdout)
            return 0 if result["feasible"] else 1
    except (OSError, ValueError) as exc:  # InstanceError and bad JSON are ValueErrors
        stderr.write(f"{prog or 'allocation'}: {exc}\n")
        return 2
    return 0

