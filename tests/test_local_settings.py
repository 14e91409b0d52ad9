"""The README's commands work as written after `make run`: every `enlace` command reads the
local settings `make run` writes (var/local.env: DEBUG=1 and a generated secret key), the
environment still wins over the file, and the demo writes emails to files in var/mail/."""

import os
import subprocess
import sys
from pathlib import Path

ENLACE = Path(sys.executable).parent / "enlace"
SHOW = "from django.conf import settings as s; print(s.DEBUG, s.SECRET_KEY, s.EMAIL_BACKEND)"


def enlace(folder, *args, **environment):
    """The command in a clean environment whose local settings file is folder/local.env."""
    return subprocess.run(
        [str(ENLACE), *args], cwd=folder, capture_output=True, text=True, timeout=300,
        env={"PATH": os.environ["PATH"], "HOME": str(folder),
             "ENLACE_LOCAL_ENV": str(folder / "local.env"), **environment})


def test_commands_read_the_local_settings_and_the_environment_wins(tmp_path):
    refused = enlace(tmp_path, "check")
    assert refused.returncode != 0 and "SECRET_KEY is not set" in refused.stderr
    (tmp_path / "local.env").write_text("DEBUG=1\nSECRET_KEY=from-the-file\n")
    shown = enlace(tmp_path, "shell", "-c", SHOW)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split()[-3:] == [
        "True", "from-the-file", "django.core.mail.backends.filebased.EmailBackend"]
    shown = enlace(tmp_path, "shell", "-c", SHOW, SECRET_KEY="from-the-environment",
                   EMAIL_URL="consolemail://")
    assert shown.stdout.split()[-3:] == [
        "True", "from-the-environment", "django.core.mail.backends.console.EmailBackend"]
