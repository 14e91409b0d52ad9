from django.core.management.base import BaseCommand, CommandError

from enlace import scale_data


class Command(BaseCommand):
    help = ("Fill the database with a fire season's records in both nations for load tests "
            "(large: about 1,000,000 marked records, 20,000 Guard members). Idempotent per "
            "seed. Needs the reference data (`enlace load_reference`, or the demo).")

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(scale_data.SIZES), default="small")
        parser.add_argument("--seed", type=int, default=1,
                            help="Each seed adds its own set once; running it again adds nothing.")
        parser.add_argument("--users", type=int, default=0, metavar="N",
                            help="Also make N load-test accounts load.00… of both nations and "
                                 "several roles (idempotent).")
        parser.add_argument("--password", default="enlace-load",
                            help="The load-test accounts' password (new accounts only).")
        parser.add_argument("--accounts-file", default=None, metavar="PATH",
                            help="With --users: give each account a new read-write API token "
                                 "(two days) and write the accounts, the password and the "
                                 "tokens to PATH as JSON (bench/load reads it).")

    def handle(self, *args, size, seed, users, password, accounts_file, **options):
        from accounts.models import Nation
        from response.models import ResourceKind

        if not Nation.objects.filter(code__in=["USA", "MEX"]).count() == 2 \
                or not ResourceKind.objects.exists():
            raise CommandError("Load the reference data first: enlace load_reference.")
        if users:
            made = scale_data.load_users(users, password)
            self.stdout.write(f"Load-test accounts: {len(made)} "
                              f"(load.00–load.{len(made) - 1:02d}).")
            if accounts_file:
                scale_data.write_accounts(made, password, accounts_file)
                self.stdout.write(f"Their API tokens: {accounts_file}.")
        verbose = options["verbosity"] > 1
        self.stdout.write(f"Loading the {size} set, seed {seed}…")
        report = scale_data.load(size, seed, stdout=self.stdout if verbose else None)
        if not report.created:
            self.stdout.write(f"Seed {seed} is already loaded: nothing added.")
            return
        for table, rows in report.rows.items():
            self.stdout.write(f"  {table}: {rows:,}")
        self.stdout.write(f"Seed {seed} ({size}): {report.marked:,} marked records, "
                          f"{report.total:,} rows in all, in {report.seconds:.1f} s.")
