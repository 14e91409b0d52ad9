"""How fast are the roster and orders at scale? On a throwaway SQLite database in a temp dir:
N synthetic Guard members (US-only) with 10 non-overlapping duty periods each, then

- `selectors.roster_counts(user, moment)` (the roster's summary),
- the roster's first page: `selectors.roster(user, moment)[:50]` evaluated, and its count,
- `services.apply_order` on an order covering 5,000 members (each has a period in effect to
  close and a later one to stop at; the write is rolled back after each run),

as the demo personnel officer. Medians of 7 reads and 3 applications. Goals: reads ≤ 200 ms,
the 5,000-member order ≤ 5 s.

    .venv/bin/python bench/personnel_roster.py [N]
"""

import atexit
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
PERIODS = 10
ORDER_SIZE = min(5_000, N)
WORKDIR = tempfile.mkdtemp()
atexit.register(shutil.rmtree, WORKDIR, ignore_errors=True)  # the database is ~50 MB
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR}/bench.sqlite3"
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enlace.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from accounts import demo as accounts_demo  # noqa: E402
from accounts.models import Nation  # noqa: E402
from accounts.reference import load_reference  # noqa: E402
from personnel import selectors, services  # noqa: E402
from personnel.models import DutyPeriod, DutyStatus, Member, Order, Unit  # noqa: E402

PACIFIC = ZoneInfo("America/Los_Angeles")
BASE = datetime(2024, 1, 1, tzinfo=PACIFIC)
# Period k of a member runs 30 days from BASE + 36k days (+ the member's offset): 6-day gaps.
MOMENT = BASE + timedelta(days=5 * 36 + 32)


class Rollback(Exception):
    pass


def timed(fn, repeat=7):
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000


def populate(usa):
    rng = random.Random(11)
    units = [Unit(code=f"U{i:02}", name=f"Unit {i}", owner_nation=usa) for i in range(20)]
    Unit.objects.bulk_create(units)
    units = list(Unit.objects.all())
    Unit.rel_to.through.objects.bulk_create(
        [Unit.rel_to.through(unit_id=u.pk, nation_id=usa.pk) for u in units])
    statuses = [s for s in DutyStatus.values if s != DutyStatus.NONE]
    members = Member.objects.bulk_create([
        Member(service_number=f"B{i:07}", last_name=f"Name{rng.randint(0, 99999):05}",
               first_name=f"F{i % 977}", grade=rng.choice(["E-4", "E-5", "O-3"]),
               unit=rng.choice(units), owner_nation=usa, languages="en,es")
        for i in range(N)], batch_size=2000)
    ids = list(Member.objects.values_list("pk", flat=True))
    Member.rel_to.through.objects.bulk_create(
        [Member.rel_to.through(member_id=pk, nation_id=usa.pk) for pk in ids], batch_size=5000)
    periods = []
    for pk in ids:
        offset = timedelta(hours=rng.randint(0, 24 * 5))
        for k in range(PERIODS):
            start = BASE + timedelta(days=36 * k) + offset
            last_open = k == PERIODS - 1 and rng.random() < 0.5
            periods.append(DutyPeriod(member_id=pk, status=rng.choice(statuses), start=start,
                                      end=None if last_open else start + timedelta(days=30)))
    DutyPeriod.objects.bulk_create(periods, batch_size=5000)
    return len(members), len(periods)


def main():
    call_command("migrate", verbosity=0)
    load_reference()
    users = accounts_demo.load()
    officer = users["us.j1"]
    usa = Nation.objects.get(code="USA")
    n_members, n_periods = populate(usa)
    print(f"{n_members} members, {n_periods} duty periods, {connection.vendor}, "
          f"moment {MOMENT:%Y-%m-%d %H:%M %Z}")

    counts = selectors.roster_counts(officer, MOMENT)
    print(f"in effect at the moment: {counts.total - counts.by_status[DutyStatus.NONE]} of "
          f"{counts.total}; under federal control {counts.by_authority['president']}")
    counts_ms = timed(lambda: selectors.roster_counts(officer, MOMENT))
    page_ms = timed(lambda: list(selectors.roster(officer, MOMENT)[:50]))
    federal_ms = timed(lambda: list(selectors.roster(officer, MOMENT,
                                                     authority="president")[:50]))
    count_ms = timed(lambda: selectors.roster(officer, MOMENT).count())
    print(f"roster_counts {counts_ms:7.1f} ms   roster page of 50 {page_ms:7.1f} ms   "
          f"federal page of 50 {federal_ms:7.1f} ms   roster count {count_ms:7.1f} ms")

    chosen = random.Random(5).sample(list(Member.objects.values_list("pk", flat=True)),
                                     ORDER_SIZE)
    # Effective mid-period for everyone: each covered member has a period to close and a next
    # one the new period stops at.
    effective = BASE + timedelta(days=36 * 6 + 15)
    runs, preview = [], []
    for _ in range(3):
        try:
            with transaction.atomic():
                order = services.create_order(
                    officer, members=Member.objects.filter(pk__in=chosen), rel_to=[usa],
                    kind=Order.Kind.FEDERALIZATION, title_en="Bench", title_es="Bench",
                    reference="BENCH", effective_at=effective,
                    target_status=DutyStatus.T10_12406)
                start = time.perf_counter()
                plan = services.plan_order(order)
                preview.append(time.perf_counter() - start)
                start = time.perf_counter()
                services.apply_order(officer, order)
                runs.append(time.perf_counter() - start)
                assert sum(c.changes for c in plan) > 0
                raise Rollback
        except Rollback:
            pass
    print(f"plan_order {ORDER_SIZE} members {statistics.median(preview) * 1000:7.1f} ms   "
          f"apply_order {ORDER_SIZE} members {statistics.median(runs) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
