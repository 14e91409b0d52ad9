"""The load test, end to end: fill a PostgreSQL database (`enlace load_scale`), start the
production stack on it (ops/production: gunicorn, huey, Redis, DEBUG off), make each simulated
user's account and API token (`enlace load_scale --users N --accounts-file …`), run locust
headless, then serve the same key reads from the raw baseline (bench/load/baseline.py under
gunicorn with the same worker count) and load both the same way. Writes the report as JSON and
a markdown table: p50/p95/p99 per endpoint group, throughput, errors, and Enlace's throughput
as a share of the baseline's, endpoint by endpoint.

    .venv/bin/python bench/load/run.py \
        --database-url postgres://postgres@127.0.0.1:5432/enlace_load \
        --size large --seed 1 --users 50 --duration 300

Phases: `season` (the fire-season mix, with think time) and `reads` (the three key reads, no
think time) against Enlace, then `reads` against the baseline. The database must exist; it is
migrated and filled here (idempotent per seed: a second run adds nothing). The keys the data
was written with are kept in var/load/<database>.env for the next run. Stops only the processes
it started.
"""

import argparse
import csv
import json
import os
import platform
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
VAR = ROOT / "var" / "load"
KEY_READS = ["list: incidents", "map: incidents", "detail: incident"]
TARGETS = {"p95_ms": 150, "errors": 0, "baseline_share": 0.5}


def log(text):
    print(f"[load {datetime.now(UTC):%H:%M:%S}] {text}", flush=True)


def keys_for(database_url):
    """SECRET_KEY and FIELD_ENCRYPTION_KEYS for this database, made once and kept."""
    VAR.mkdir(parents=True, exist_ok=True)
    path = VAR / f"{urlsplit(database_url).path.strip('/') or 'db'}.env"
    if not path.exists():
        from cryptography.fernet import Fernet
        path.write_text(f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
                        f"FIELD_ENCRYPTION_KEYS={Fernet.generate_key().decode()}\n")
        path.chmod(0o600)
    return dict(line.split("=", 1) for line in path.read_text().split())


def enlace(env, *args, capture=False):
    result = subprocess.run([str(BIN / "enlace"), *args], cwd=ROOT, env=env, check=True,
                            text=True, stdout=subprocess.PIPE if capture else None)
    return result.stdout


def wait_up(url, process, timeout=600):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"load: the server for {url} stopped (exit {process.returncode})")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError as exc:
            if getattr(exc, "code", None):  # an HTTP answer (401…): it is up
                return
            time.sleep(1)
    raise SystemExit(f"load: {url} did not come up in {timeout} s")


def stop(process):
    """TERM the process group it leads (started with start_new_session), then wait."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def locust(env, host, mix, users, duration, prefix, wait):
    env = {**env, "LOAD_MIX": mix, "LOAD_WAIT": wait}
    log(f"locust: {mix} mix, {users} users, {duration} s against {host}")
    subprocess.run([str(BIN / "locust"), "-f", str(ROOT / "bench/load/locustfile.py"),
                    "--headless", "--host", host, "--users", str(users),
                    "--spawn-rate", str(max(1, users // 5)), "--run-time", f"{duration}s",
                    "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
                    "--stop-timeout", "10"], cwd=ROOT, env=env, check=False)
    stats = read_stats(Path(f"{prefix}_stats.csv"))
    stats["all"]["failures"] = read_failures(Path(f"{prefix}_failures.csv"))
    return stats


def read_failures(path):
    """Locust's error report: [{endpoint group, error, occurrences}], most frequent first."""
    if not path.exists():
        return []
    with path.open() as handle:
        rows = [{"endpoint": row["Name"], "error": row["Error"][:300],
                 "occurrences": int(row["Occurrences"])} for row in csv.DictReader(handle)]
    return sorted(rows, key=lambda r: -r["occurrences"])


def read_stats(path):
    groups = {}
    with path.open() as handle:
        for row in csv.DictReader(handle):
            name = "all" if row["Name"] == "Aggregated" else row["Name"]
            groups[name] = {
                "requests": int(row["Request Count"]), "errors": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 2),
                "p50_ms": _ms(row["50%"]), "p95_ms": _ms(row["95%"]), "p99_ms": _ms(row["99%"]),
            }
    return groups


def _ms(value):
    return None if value in ("", "N/A") else float(value)


def markdown(report):
    lines = [f"Load test, {report['when']} — {report['machine']}; database "
             f"{report['size']} (seed {report['seed']}, {report['rows']}); {report['users']} "
             f"users, {report['duration_s']} s a phase, {report['workers']} web workers.", ""]
    for phase, title in (("season", "Fire-season mix on Enlace"),
                         ("reads", "Key reads on Enlace, no think time"),
                         ("baseline", "Key reads on the raw baseline, no think time")):
        groups = report["phases"].get(phase)
        if not groups:
            continue
        lines += [f"**{title}**", "", "| endpoint group | requests | req/s | p50 ms | p95 ms | "
                  "p99 ms | errors |", "|---|---:|---:|---:|---:|---:|---:|"]
        for name, g in sorted(groups.items(), key=lambda kv: (kv[0] == "all", kv[0])):
            lines.append(f"| {name} | {g['requests']} | {g['rps']} | {g['p50_ms']} | "
                         f"{g['p95_ms']} | {g['p99_ms']} | {g['errors']} |")
        lines.append("")
        for failure in groups.get("all", {}).get("failures", [])[:10]:
            lines.append(f"- {failure['occurrences']} × {failure['endpoint']}: "
                         f"{failure['error']}")
        lines.append("")
    if report.get("ratio"):
        lines += ["**Enlace's throughput as a share of the baseline's (target ≥ 50%)**", "",
                  "| endpoint | Enlace req/s | baseline req/s | share |", "|---|---:|---:|---:|"]
        for name, r in report["ratio"].items():
            lines.append(f"| {name} | {r['enlace_rps']} | {r['baseline_rps']} | "
                         f"{r['share']:.0%} |")
        lines.append("")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="postgres://… (must exist)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--size", default="small", choices=["small", "medium", "large"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=300, help="seconds, each phase")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers, both apps")
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--baseline-port", type=int, default=8791)
    parser.add_argument("--phases", default="season,reads,baseline")
    parser.add_argument("--out", default=None, help="report path without extension")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("load: --database-url must be PostgreSQL")

    VAR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = Path(args.out) if args.out else VAR / f"report-{stamp}"
    env = {**os.environ, **keys_for(args.database_url), "DATABASE_URL": args.database_url,
           "REDIS_URL": args.redis_url, "ALLOWED_HOSTS": "127.0.0.1,localhost", "DEBUG": "0",
           "EMAIL_URL": os.environ.get("EMAIL_URL", "consolemail://")}
    env.pop("ENLACE_TESTING", None)

    log("migrating and loading the data (idempotent per seed)")
    enlace(env, "migrate", "--noinput", "--verbosity", "0")
    enlace(env, "load_reference")
    accounts_file = VAR / f"accounts-{stamp}.json"
    started = time.monotonic()
    enlace(env, "load_scale", "--size", args.size, "--seed", str(args.seed),
           "--users", str(args.users), "--password", "enlace-load-test",
           "--accounts-file", str(accounts_file))
    load_seconds = round(time.monotonic() - started, 1)
    env["LOAD_ACCOUNTS"] = str(accounts_file)

    phases = args.phases.split(",")
    report = {"when": stamp, "machine": f"{platform.node()}, {os.cpu_count()} cores, "
              f"{platform.platform()}", "size": args.size, "seed": args.seed,
              "rows": f"loaded in {load_seconds} s this run", "users": args.users,
              "duration_s": args.duration, "workers": args.workers, "targets": TARGETS,
              "phases": {}}
    stack = baseline = None
    logs = (VAR / f"stack-{stamp}.log").open("w")
    try:
        host = f"http://127.0.0.1:{args.port}"
        if {"season", "reads"} & set(phases):
            stack = subprocess.Popen(
                [str(ROOT / "ops/production")], cwd=ROOT, stdout=logs, stderr=logs,
                start_new_session=True,
                env={**env, "BIND": f"127.0.0.1:{args.port}", "WEB_WORKERS": str(args.workers),
                     "JOB_WORKERS": "2"})
            wait_up(f"{host}/healthz", stack)
            log(f"Enlace is up at {host}")
            if "season" in phases:
                report["phases"]["season"] = locust(env, host, "season", args.users,
                                                    args.duration, VAR / f"season-{stamp}", "1,3")
            if "reads" in phases:
                report["phases"]["reads"] = locust(env, host, "reads", args.users,
                                                   args.duration, VAR / f"reads-{stamp}", "0,0")
            stop(stack)
            stack = None
        if "baseline" in phases:
            bhost = f"http://127.0.0.1:{args.baseline_port}"
            baseline = subprocess.Popen(
                [str(BIN / "gunicorn"), "--chdir", str(ROOT / "bench/load"), "baseline:app",
                 "--workers", str(args.workers), "--bind", f"127.0.0.1:{args.baseline_port}"],
                cwd=ROOT, stdout=logs, stderr=logs, start_new_session=True, env=env)
            wait_up(f"{bhost}/api/v1/incidents", baseline)
            log(f"the baseline is up at {bhost}")
            report["phases"]["baseline"] = locust(env, bhost, "reads", args.users,
                                                  args.duration, VAR / f"baseline-{stamp}",
                                                  "0,0")
    finally:
        stop(stack)
        stop(baseline)
        logs.close()

    reads, base = report["phases"].get("reads", {}), report["phases"].get("baseline", {})
    report["ratio"] = {name: {"enlace_rps": reads[name]["rps"],
                              "baseline_rps": base[name]["rps"],
                              "share": round(reads[name]["rps"] / base[name]["rps"], 3)}
                       for name in KEY_READS
                       if name in reads and name in base and base[name]["rps"]}
    out.with_suffix(".json").write_text(json.dumps(report, indent=2))
    out.with_suffix(".md").write_text(markdown(report))
    log(f"report: {out.with_suffix('.md')} and .json")
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
