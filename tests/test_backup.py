"""`enlace backup` and `enlace restore` round-trip the whole database, on the engine the suite
runs on (SQLite, and PostgreSQL in CI): counts and a sample of every table come back as they
were, after the data was changed in between."""

import io
import tarfile

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from enlace import backup
from response.models import Incident
from response.tests.factories import make_incident, make_request

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot():
    """Every table's count and its first rows, as plain values."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            rows[model._meta.label] = list(model._base_manager.order_by("pk").values()[:5])
    return backup.table_counts(), rows


def test_a_backup_restores_every_table_as_it_was(us_coordinator, tmp_path, capsys):
    incident = make_incident(us_coordinator)
    make_request(us_coordinator, incident)
    before = snapshot()
    out = tmp_path / "enlace.tar"
    call_command("backup", "--out", str(out))
    assert "rows" in capsys.readouterr().out
    with tarfile.open(out) as archive:
        manifest = backup.read_manifest(archive)
    assert manifest["counts"] == before[0]
    assert manifest["counts"]["response.Incident"] == 1
    assert manifest["migrations"]["response"]

    Incident.objects.filter(pk=incident.pk).update(name_en="changed after the backup")
    make_incident(us_coordinator, name="made after the backup")
    assert snapshot() != before

    call_command("restore", str(out), "--noinput")
    assert snapshot() == before
    assert "match the backup" in capsys.readouterr().out


def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(us_coordinator, tmp_path):
    make_incident(us_coordinator)
    before = snapshot()
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar file")
    with pytest.raises(CommandError, match="cannot read"):
        call_command("restore", str(junk), "--noinput")
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "missing.tar"), "--noinput")
    assert snapshot() == before


def test_restore_refuses_a_backup_of_the_other_engine(us_coordinator, tmp_path):
    out = tmp_path / "enlace.tar"
    manifest = backup.backup(out)
    other = "postgresql" if manifest["engine"] == "sqlite" else "sqlite"
    forged = tmp_path / "other.tar"
    with tarfile.open(out) as source, tarfile.open(forged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == backup.MANIFEST:
                data = data.replace(f'"engine": "{manifest["engine"]}"'.encode(),
                                    f'"engine": "{other}"'.encode())
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match=f"backup is of a {other} database"):
        call_command("restore", str(forged), "--noinput")


def test_restore_asks_before_replacing_the_database(us_coordinator, tmp_path, monkeypatch):
    out = tmp_path / "enlace.tar"
    backup.backup(out)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(out))
