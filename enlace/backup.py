"""Backing up and restoring the whole database, on SQLite and on PostgreSQL.

A backup is one tar file: `manifest.json` (format, database engine, when, the newest migration
of each app, and the row count of every table) and the database itself — SQLite's online backup
(consistent while the site writes) or `pg_dump --format=custom`. Restoring refuses a file made
on the other engine, replaces the whole database in one step (SQLite's backup API; pg_restore
in a single transaction), and checks every table's count against the manifest.

Secrets are not in a backup: the key that encrypts sensitive fields (`FIELD_ENCRYPTION_KEYS`)
and `SECRET_KEY` come from the environment and must be kept apart from it.
"""

import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "enlace-backup/1"
MANIFEST = "manifest.json"
DUMP = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup that cannot be made or restored, with the reason."""


def engine():
    if connection.vendor not in DUMP:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {connection.vendor}")
    return connection.vendor


def table_counts():
    """Rows per table of every model Django manages here, by its label."""
    return {model._meta.label: model._base_manager.count()
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy}


def migration_heads():
    heads = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        heads[app] = max(heads.get(app, name), name)
    return dict(sorted(heads.items()))


def backup(path):
    """Write the backup to `path`; returns the manifest."""
    vendor = engine()
    manifest = {"format": FORMAT, "engine": vendor, "created": timezone.now().isoformat(),
                "migrations": migration_heads(), "counts": table_counts()}
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / DUMP[vendor]
        if vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(dump)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        else:
            _pg("pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file",
                str(dump))
        body = json.dumps(manifest, indent=1).encode()
        with tarfile.open(path, "w") as archive:
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
            archive.add(dump, arcname=DUMP[vendor])
    return manifest


def read_manifest(archive):
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, ValueError) as error:
        raise BackupError(f"not an Enlace backup: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"not an Enlace backup of format {FORMAT}: {manifest.get('format')}")
    return manifest


def restore(path):
    """Replace the database with the backup at `path`; returns the manifest. Raises
    BackupError, changing nothing, when the file is not a backup of this engine."""
    vendor = engine()
    try:
        archive = tarfile.open(path, "r")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"cannot read {path}: {error}") from error
    with archive, tempfile.TemporaryDirectory() as scratch:
        manifest = read_manifest(archive)
        if manifest["engine"] != vendor:
            raise BackupError(f"this backup is of a {manifest['engine']} database; this Enlace "
                              f"runs on {vendor}")
        try:
            archive.extract(DUMP[vendor], scratch, filter="data")
        except KeyError as error:
            raise BackupError(f"the backup has no {DUMP[vendor]}") from error
        dump = Path(scratch) / DUMP[vendor]
        if vendor == "sqlite":
            connection.ensure_connection()
            source = sqlite3.connect(dump)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            connection.close()  # pg_restore drops tables this connection may hold locks on
            _pg("pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                "--single-transaction", str(dump))
    return manifest


def differences(manifest):
    """Tables whose row count differs from the manifest's: {label: (expected, found)}."""
    found = table_counts()
    return {label: (count, found.get(label)) for label, count in manifest["counts"].items()
            if found.get(label) != count}


def _pg(program, *args):
    settings = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    command = [program, "--dbname", settings["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            command += [flag, str(settings[key])]
    try:
        subprocess.run([*command, *args], env=env, check=True, capture_output=True)
    except FileNotFoundError as error:
        raise BackupError(f"{program} is not installed (Debian: postgresql-client)") from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{program} failed: {error.stderr.decode(errors='replace').strip()}"
                          ) from error
