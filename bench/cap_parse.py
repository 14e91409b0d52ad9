"""How long does reading N CAP alerts take? Pure interop.cap, no Django or database: N distinct
CAP 1.2 documents (each a bilingual en-US/es-MX alert with a polygon, a circle and geocodes,
like the ones Enlace writes, every tenth one of the four OASIS specification examples when
the shared standards folder is beside the project) are made and serialized first; then each
is read with `cap.read` — the safe parser, the CAP 1.2 schema validation and the reading into
`Alert` — and the whole batch is timed, median of 5 (and the writer's time for the same N:
`cap.write`, which validates too). Goal (issue 13): 1,000 alerts read in ≤ 2 s.

    .venv/bin/python bench/cap_parse.py [N]
"""

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from interop import cap  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
RUNS = 5
SAMPLES = Path(__file__).resolve().parent.parent / ".." / "shared" / "standards" / "cap" / "valid"
PACIFIC = dt.timezone(dt.timedelta(hours=-8))


def alert(n):
    lat, lon = 32.5 + (n % 50) / 100, -117.0 + (n % 70) / 100
    ring = [(lat, lon), (lat + 0.05, lon), (lat + 0.05, lon + 0.05), (lat, lon + 0.05),
            (lat, lon)]
    area = dict(polygons=[ring], circles=[cap.Circle(lat, lon, 5.0)],
                geocodes=[cap.ValuePair("SAME", "006073"), cap.ValuePair("INEGI", "02004")])
    infos = [cap.Info(language=language, categories=["Fire"], event=event,
                      response_types=["Evacuate"], urgency="Immediate", severity="Severe",
                      certainty="Observed", sender_name="Cal OES", headline=f"{event} {n}",
                      description=text * 3, instruction=text,
                      parameters=[cap.ValuePair("EnlaceIncident", str(n))],
                      areas=[cap.Area(desc=f"{event} {n}", **area)])
             for language, event, text in (
                 ("en-US", "Wildfire", "A wildfire is burning near the border. "),
                 ("es-MX", "Incendio forestal", "Un incendio forestal arde cerca de la línea. "))]
    return cap.Alert(identifier=f"bench-{n}", sender="caloes.usa@enlace",
                     sent=dt.datetime(2026, 1, 11, 9, 30, tzinfo=PACIFIC)
                     + dt.timedelta(minutes=n), status="Exercise", infos=infos)


def main():
    samples = [p.read_bytes() for p in sorted(SAMPLES.glob("*.xml"))] if SAMPLES.is_dir() else []
    alerts = [alert(n) for n in range(N)]
    started = time.perf_counter()
    documents = [cap.write(a) for a in alerts]
    write_time = time.perf_counter() - started
    if samples:
        documents = [samples[(n // 10) % len(samples)] if n % 10 == 9 else d
                     for n, d in enumerate(documents)]
    size = sum(len(d) for d in documents)
    cap.read(documents[0])  # compile the schema before timing
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        for document in documents:
            cap.read(document)
        times.append(time.perf_counter() - started)
    print(f"{N} CAP alerts ({size / N / 1024:.1f} KiB each on average): read median "
          f"{statistics.median(times):.3f} s (min {min(times):.3f}, max {max(times):.3f}), "
          f"{statistics.median(times) / N * 1000:.2f} ms each; written (and validated) once in "
          f"{write_time:.3f} s")


if __name__ == "__main__":
    main()
