"""How fast is a releasability-filtered list? Times `restrict()` and the API's first page for a
Mexican and a US user over N synthetic partnerships with random markings, on a throwaway SQLite
database in a temp dir (the synthetic rows use over-long state codes, which SQLite accepts).

    .venv/bin/python bench/restrict_list.py [N]
"""

import os
import random
import statistics
import sys
import tempfile
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enlace.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import Nation, User  # noqa: E402
from partnerships.models import Partnership  # noqa: E402


def timed(fn, repeat=7):
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000


def main():
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    rng = random.Random(7)
    nations = list(Nation.objects.all())
    rows = [Partnership(name_en=f"p{i}", name_es=f"p{i}", us_state=f"{i:x}"[-2:] + str(i),
                        partner_nation=rng.choice(nations), owner_nation=rng.choice(nations),
                        disclosure=rng.choice(["approved", "in_review", "not_reviewed"]))
            for i in range(N)]
    Partnership.objects.bulk_create(rows, batch_size=2000)
    through = Partnership.rel_to.through
    links = [through(partnership_id=p.pk, nation_id=n.pk) for p in Partnership.objects.all()
             for n in rng.sample(nations, rng.randint(1, len(nations)))]
    through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
    print(f"{N} partnerships, {len(links)} releasability links, "
          f"{django.db.connection.vendor}")
    for username in ("mx.liaison", "us.coordinator"):
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        visible = Partnership.objects.restrict(user).count()
        count_ms = timed(lambda u=user: Partnership.objects.restrict(u).count())
        page_ms = timed(lambda c=client: c.get("/api/v1/partnerships?limit=50&offset=1000"))
        print(f"{username:15} sees {visible:6}  restrict().count() {count_ms:7.1f} ms  "
              f"API page of 50 {page_ms:7.1f} ms")


if __name__ == "__main__":
    main()
