from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from enlace import backup


class Command(BaseCommand):
    help = ("Replace the whole database with a backup made by `enlace backup` on the same "
            "engine, then check every table's row count. Run `enlace migrate` after it when "
            "the backup is older than this version.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="do not ask before replacing the database")

    def handle(self, *args, **options):
        path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        if options["interactive"]:
            answer = input("This replaces every record in the database with the backup's. "
                           "Type 'yes' to go on: ")
            if answer != "yes":
                raise CommandError("restore cancelled")
        try:
            manifest = backup.restore(path)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        wrong = backup.differences(manifest)
        if wrong:
            raise CommandError("restored, but these tables' row counts differ from the "
                               f"backup's (expected, found): {wrong}")
        self.stdout.write(f"restored {path} (made {manifest['created']}): "
                          f"{sum(manifest['counts'].values()):,} rows in "
                          f"{len(manifest['counts'])} tables match the backup")
