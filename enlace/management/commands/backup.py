from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from enlace import backup


class Command(BaseCommand):
    help = ("Back up the whole database (SQLite or PostgreSQL) to one file, with a manifest of "
            "every table's row count. Keep FIELD_ENCRYPTION_KEYS and SECRET_KEY apart from it.")

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path,
                            help="the file to write (default: var/backups/enlace-<time>.tar)")

    def handle(self, *args, **options):
        out = options["out"]
        if out is None:
            from django.conf import settings

            out = (Path(settings.VAR_DIR) / "backups"
                   / f"enlace-{timezone.now():%Y%m%dT%H%M%SZ}.tar")
        out.parent.mkdir(parents=True, exist_ok=True)
        try:
            manifest = backup.backup(out)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"{out}: {manifest['engine']}, {len(manifest['counts'])} tables, "
                          f"{rows:,} rows")
