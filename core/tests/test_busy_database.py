"""SQLite, the embedded default, under concurrent writers: writers queue for the write lock
instead of failing, a long check of an import never holds it, a token read does not write,
and a write that waits past the busy timeout answers 503 (JSON on the API, a page in the
user's language elsewhere), never a 500.

Each test copies the test database to a file and runs its requests in threads, each with its
own connection, as the web server's threads do: an in-memory database has neither WAL nor a
busy timeout."""

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from accounts.services import create_token
from personnel.imports import import_members
from personnel.models import Member
from personnel.tests.factories import make_unit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock and WAL"),
]

HEADER = "service_number,last_name,first_name,grade,component,unit_code,specialty,languages\n"


def members_csv(prefix, count, unit="1-185AR"):
    rows = "".join(f"{prefix}{i},Apellido{i},Nombre,E-3,army,{unit},,es\n" for i in range(count))
    return (HEADER + rows).encode()


@pytest.fixture
def on_a_file(tmp_path):
    """A function that copies the test database (committed: transaction=True) to a file in WAL
    mode and points every new connection at it, with `timeout` seconds of busy timeout."""
    settings_dict = connections.settings["default"]
    saved = settings_dict["NAME"], settings_dict["OPTIONS"]

    def switch(timeout=None):
        path = tmp_path / "enlace.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=WAL")
        copy.close()
        settings_dict["NAME"] = str(path)
        if timeout is not None:
            settings_dict["OPTIONS"] = {**saved[1], "timeout": timeout}
        return path

    yield switch
    settings_dict["NAME"], settings_dict["OPTIONS"] = saved


def in_threads(*calls):
    """Run the calls at once, each in its own thread with its own connection; their results."""
    start = threading.Barrier(len(calls))

    def run(call):
        start.wait()
        try:
            return call()
        finally:
            connection.close()

    with ThreadPoolExecutor(len(calls)) as pool:
        return [f.result() for f in [pool.submit(run, call) for call in calls]]


@contextmanager
def write_lock_held(path):
    """Another process's writer holding SQLite's write lock."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.fixture
def j1(persona_of):
    make_unit()
    return persona_of("personnel_officer")


def signed_in(user, **headers):
    client = Client(headers=headers)
    client.force_login(user)
    return client


def test_concurrent_imports_queue_for_the_write_lock(on_a_file, j1):
    clients = [signed_in(j1) for _ in range(4)]
    on_a_file()

    def upload(client, prefix):
        return lambda: client.post("/api/v1/personnel/imports/members", {
            "file": SimpleUploadedFile("m.csv", members_csv(prefix, 300), "text/csv")})

    responses = in_threads(*(upload(c, f"P{n}-") for n, c in enumerate(clients)))
    assert [r.status_code for r in responses] == [200] * 4, [r.content for r in responses]
    assert [r.json()["created"] for r in responses] == [300] * 4
    assert in_threads(Member.objects.count) == [1200]


def test_checking_a_bad_file_never_takes_the_write_lock(on_a_file, j1):
    path = on_a_file(timeout=0.5)
    bad = members_csv("B", 2000, unit="NO-SUCH-UNIT")
    with write_lock_held(path):
        [report] = in_threads(lambda: import_members(j1, bad))
    assert report.error_count == 2000 and report.created == 0


def test_a_token_read_writes_at_most_once_a_minute(on_a_file, j1):
    _, used = create_token(j1, name="used")
    _, fresh = create_token(j1, name="fresh")
    assert Client(headers={"Authorization": f"Bearer {used}"}).get("/api/v1/me").status_code \
        == 200
    path = on_a_file(timeout=0.5)
    with write_lock_held(path):
        recently_used, first_use = in_threads(
            lambda: Client(headers={"Authorization": f"Bearer {used}"}).get("/api/v1/me"),
            lambda: Client(headers={"Authorization": f"Bearer {fresh}"}).get("/api/v1/me"))
    assert recently_used.status_code == 200
    # The first use records itself; while another writer holds the lock that write is busy.
    assert first_use.status_code == 503
    assert set(first_use.json()) == {"detail", "errors"}


def test_a_busy_database_answers_503_in_the_users_language(on_a_file, j1, mx_liaison):
    api = signed_in(j1)
    page = signed_in(mx_liaison, **{"Accept-Language": "es"})
    path = on_a_file(timeout=0.5)
    with write_lock_held(path):
        from_api, from_page = in_threads(
            lambda: api.post("/api/v1/tokens", {"name": "laptop"},
                             content_type="application/json"),
            lambda: page.post(reverse("accounts:tokens"), {"name": "laptop", "days": 30}))
    assert from_api.status_code == 503 and from_api["Retry-After"] == "5"
    assert from_api.json() == {"detail": "Enlace is busy saving other changes and nothing of "
                                         "yours was saved. Try again in a few seconds.",
                               "errors": []}
    assert from_page.status_code == 503 and from_page["Retry-After"] == "5"
    assert "Enlace está ocupado" in from_page.content.decode()
    assert in_threads(lambda: j1.api_tokens.count() + mx_liaison.api_tokens.count()) == [0]
