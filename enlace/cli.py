"""`enlace`: the project's command (the same as manage.py)."""

import os
import sys


def main():
    if sys.argv[1:2] == ["allocate"]:
        # The optimizer is a pure library: solving, generating and checking need no settings,
        # database or secrets, so they run before (and without) Django.
        from allocation.cli import main as allocate

        sys.exit(allocate(sys.argv[2:], prog="enlace allocate"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enlace.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
