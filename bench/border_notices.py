"""How long does one run of the counterpart notices' escalation job take with N open, overdue
notices? On a throwaway SQLite database in a temp dir: the reference data, the demo users and
the contact matrix; N/2 wildfires reported by the CalGuard duty officer on the US side through
`report_event` (each notifies Baja California civil protection and DEFENSA: N notices), then
every notice's deadline put in the past. One `escalate_overdue(now)` then escalates all N (PC-BC
to CONAFOR, DEFENSA to the national channel), sends N new notices and tells the reporter of
each escalation (in-app; the emails go out on commit). Timed in a transaction rolled back after
it, median of 3 (emails not included), then once committed (the emails through a memory
outbox included).

    .venv/bin/python bench/border_notices.py [N]
"""

import atexit
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
WORKDIR = tempfile.mkdtemp()
atexit.register(shutil.rmtree, WORKDIR, ignore_errors=True)
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR}/bench.sqlite3"
os.environ["ENLACE_TESTING"] = "1"  # the email task runs at once, into a memory outbox
os.environ["EMAIL_URL"] = "memorymail://"
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enlace.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import django  # noqa: E402

django.setup()
logging.getLogger("huey").setLevel(logging.WARNING)

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts import demo as accounts_demo  # noqa: E402
from accounts.models import Nation  # noqa: E402
from accounts.reference import load_reference  # noqa: E402
from border.contact_matrix import load_contact_matrix  # noqa: E402
from border.models import Notice  # noqa: E402
from border.services.events import report_event  # noqa: E402
from border.services.notices import escalate_overdue  # noqa: E402
from core.models import Notification  # noqa: E402
from response.reference import load_reference as load_response_reference  # noqa: E402


class Rollback(Exception):
    pass


def populate():
    load_reference()
    load_response_reference()
    users = accounts_demo.load()
    load_contact_matrix()
    duty = users["us.duty"]
    nations = list(Nation.objects.filter(code__in=("USA", "MEX")))
    started = timezone.now() - timedelta(hours=3)
    for i in range(N // 2):
        report_event(duty, kind="wildfire", title_en=f"Fire {i}", severity="moderate",
                     started_at=started, latitude=32.58 + (i % 50) * 0.001,
                     longitude=-116.9 + (i % 40) * 0.002, rel_to=nations,
                     disclosure="approved")
    moved = Notice.objects.update(sent_at=started, due_at=started + timedelta(minutes=30))
    return moved


def main():
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    open_notices = populate()
    print(f"{open_notices} open notices on {open_notices // 2} events "
          f"(set up in {time.perf_counter() - start:.1f} s)")
    now = timezone.now()
    runs = []
    for _ in range(3):
        try:
            with transaction.atomic():
                began = time.perf_counter()
                result = escalate_overdue(now)
                runs.append(time.perf_counter() - began)
                raise Rollback
        except Rollback:
            pass
    assert result == (open_notices, 0, open_notices), result
    print(f"escalate_overdue, rolled back: median {statistics.median(runs):.2f} s "
          f"(runs {', '.join(f'{r:.2f}' for r in runs)}); {result[0]} escalated, "
          f"{result[2]} sent")
    before = Notification.objects.count()
    began = time.perf_counter()
    result = escalate_overdue(now)
    print(f"escalate_overdue, committed with emails: {time.perf_counter() - began:.2f} s; "
          f"{Notification.objects.count() - before} in-app notices made")
    began = time.perf_counter()
    assert escalate_overdue(now) == (0, 0, 0)
    print(f"a run with nothing overdue: {(time.perf_counter() - began) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
