"""`enlace allocate solve|generate|check ...`: the allocation library's own command line.

The arguments go untouched to `allocation.cli.main`, whose argparse owns them (Django's parser
would otherwise claim options such as --time-limit); `enlace allocate --help` lists them.
"""

import argparse
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from allocation.cli import main


class Command(BaseCommand):
    help = "Solve, generate or check allocation instances and plans (see docs/allocation.md)."

    def add_arguments(self, parser):
        # Only for call_command("allocate", "solve", ...): the shell goes through run_from_argv.
        # REMAINDER keeps the library's own options (--size, --time-limit...) from this parser.
        parser.add_argument("args", nargs=argparse.REMAINDER)

    def run_from_argv(self, argv):
        sys.exit(main(argv[2:], prog=f"{Path(argv[0]).name} {argv[1]}"))

    def handle(self, *args, **options):
        code = main(list(args), prog="allocate", stdout=self.stdout, stderr=self.stderr)
        if code:
            raise CommandError(f"allocate exited with status {code}", returncode=code)
