"""Fault tests (issue 15, crash safety): real gunicorn and huey processes on the test database,
killed with SIGKILL in the middle of a write, and a database that goes away.

They need PostgreSQL: the processes share the test database with the test, which commits its
data (`transactional_db`) and holds locks from a connection of its own to stop a write at a
known point. On SQLite they skip. The processes use a Redis database (FAULTS_REDIS_URL,
default redis://127.0.0.1:6379/13) under a queue name of their own per test, emptied after.

The technique, without hooks in the product: lock the table (or row) a service writes LAST,
fire the request (or the job), wait until pg_stat_activity shows its backend waiting for that
lock — so it has written the rest of its transaction — kill -9 the process, release the lock,
and look: nothing of the write may be visible. Then do it again and it completes, once."""

import base64
import hashlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BIN = Path(PYTHON).parent
REDIS_URL = os.environ.get("FAULTS_REDIS_URL", "redis://127.0.0.1:6379/13")
WAIT = 60  # seconds any wait may take on a loaded machine before the test fails


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/faults/" in str(item.fspath):
            item.add_marker(pytest.mark.faults)


@pytest.fixture(autouse=True)
def _live_postgresql(transactional_db):
    """Data the processes can read: committed (`transactional_db`, which `db` then defers
    to)."""
    if connection.vendor != "postgresql":
        pytest.skip("the fault tests need PostgreSQL (DATABASE_URL=postgres://…): they start "
                    f"real processes on the test database; this run's database is "
                    f"{connection.vendor}")


def wait_for(predicate, what, timeout=WAIT, every=0.05):
    """Poll until `predicate()` is truthy; its value. Fails naming `what`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(every)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(port=None):
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    return (f"postgres://{quote(db['USER'] or 'postgres')}{password}@{db['HOST'] or '127.0.0.1'}"
            f":{port or db['PORT'] or 5432}/{db['NAME']}")


def pg(autocommit=True):
    """A connection of the test's own to the test database (not Django's)."""
    return psycopg.connect(database_url(), autocommit=autocommit)


def children(pid):
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except FileNotFoundError:
        return []
    return [int(p) for p in text.split()]


def alive(pid):
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


class Stack:
    """The processes one test starts: gunicorn with one worker and a huey consumer with one
    process worker, as ops/production runs them, on the test database; all stopped after."""

    def __init__(self, tmp_path):
        self.name = f"enlace-faults-{uuid.uuid4().hex[:12]}"
        self.mail = tmp_path / "mail"
        self.mail.mkdir()
        self.logs = tmp_path
        self.processes = []
        self.port = None

    def env(self, **extra):
        secret = settings.SECRET_KEY
        fernet = base64.urlsafe_b64encode(hashlib.sha256(
            b"enlace-field-encryption:" + secret.encode()).digest()).decode()
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
        env.update(
            DJANGO_SETTINGS_MODULE="tests.faults.settings", PYTHONPATH=str(ROOT),
            ENLACE_TESTING="0", ENLACE_LOCAL_ENV=os.devnull, DEBUG="0", SECRET_KEY=secret,
            FIELD_ENCRYPTION_KEYS=",".join(settings.FIELD_ENCRYPTION_KEYS) or fernet,
            ALLOWED_HOSTS="127.0.0.1", DATABASE_URL=database_url(), REDIS_URL=REDIS_URL,
            ENLACE_HUEY_NAME=self.name, ENLACE_MAIL_DIR=str(self.mail))
        env.update(extra)
        return env

    def _start(self, label, argv, env):
        log = open(self.logs / f"{label}-{len(self.processes)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        process.log = log
        self.processes.append(process)
        return process

    def web(self, **env):
        """gunicorn with one worker (so the worker serving a request is known); answers once
        /healthz does."""
        self.port = free_port()
        self.gunicorn = self._start("gunicorn", [
            # Preloaded: the worker started again after a kill is a fork, not a new import.
            str(BIN / "gunicorn"), "enlace.wsgi", "--workers", "1", "--timeout", "120",
            "--preload",
            "--bind", f"127.0.0.1:{self.port}"], self.env(**env))
        wait_for(lambda: self._answers() or self._exited(self.gunicorn), "gunicorn to answer")
        assert self.gunicorn.poll() is None, self.output("gunicorn")
        return self

    def _answers(self):
        try:
            return request(self.port, "GET", "/healthz", timeout=5)[0] in (200, 503)
        except OSError:
            return False

    def _exited(self, process):
        return process.poll() is not None

    def jobs(self, **env):
        """A huey consumer with one worker process, health-checked every second (a worker
        that dies is started again, as in production)."""
        self.huey = self._start("huey", [
            PYTHON, "-m", "django", "run_huey", "--workers", "1", "--worker-type", "process",
            "--health-check-interval", "1", "--delay", "0.05", "--max-delay", "0.2"],
            self.env(**env))
        return self

    def storage(self):
        from huey.storage import RedisStorage

        return RedisStorage(name=self.name, url=REDIS_URL)

    def enqueue(self, task, *args):
        """Put a job on this stack's queue, as the site or the scheduler would."""
        from huey.contrib.djhuey import HUEY

        self.storage().enqueue(HUEY.serialize_task(task.s(*args)))

    def output(self, label):
        texts = []
        for path in sorted(self.logs.glob(f"{label}-*.log")):
            texts.append(path.read_text(errors="replace")[-4000:])
        return "\n".join(texts)

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            process.log.close()
        try:
            self.storage().flush_all()
        except Exception:  # noqa: BLE001 — Redis gone: nothing of ours to clear
            pass


@pytest.fixture
def stack(tmp_path):
    stack = Stack(tmp_path)
    yield stack
    stack.stop()
    # Backends of killed processes must be gone before the database is emptied.
    ours = connection.connection.info.backend_pid if connection.connection else 0
    with pg() as conn:
        wait_for(lambda: not conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND pid <> %s", (ours,)).fetchone()[0],
            "the processes' connections to close")


def request(port, method, path, *, token=None, body=None, headers=None, timeout=120):
    """One HTTP request; (status, headers, text)."""
    headers = dict(headers or {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        headers.setdefault("Content-Type", "application/json")
        body = json.dumps(body)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


def token_for(user):
    from accounts.services import create_token

    return create_token(user, name="faults", write=True)[1]


class Locked:
    """Holds `statement` (a LOCK TABLE or SELECT … FOR UPDATE) in a transaction of its own
    until released."""

    def __init__(self, statement, params=()):
        self.conn = pg(autocommit=False)
        self.pid = self.conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        self.conn.execute(statement, params)

    def waiting(self):
        """The backend waiting for this lock: (pid, query), or None. Asked on a connection of
        its own: inside a transaction pg_stat_activity is a snapshot that does not change."""
        with pg() as conn:
            return conn.execute(
                "SELECT pid, query FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
                (self.pid,)).fetchone()

    def release(self):
        self.conn.rollback()
        self.conn.close()


def client_of(backend_pid, parent):
    """The process among `parent`'s children whose connection `backend_pid` serves: the
    backend's client port, its socket's inode in /proc/net/tcp, the child holding it."""
    with pg() as conn:
        port = conn.execute("SELECT client_port FROM pg_stat_activity WHERE pid = %s",
                            (backend_pid,)).fetchone()[0]
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{fields[9]}]")
    for child in children(parent):
        try:
            fds = [os.readlink(f"/proc/{child}/fd/{fd}") for fd in os.listdir(f"/proc/{child}/fd")]
        except FileNotFoundError:
            continue
        if inodes & set(fds):
            return child
    raise AssertionError(f"no child of {parent} holds the connection of backend {backend_pid}")


def backend_gone(pid):
    with pg() as conn:
        return not conn.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s",
                                (pid,)).fetchone()


def kill_mid_write(stack, locked, fire):
    """Run `fire()` (a request) in a thread, wait until its backend waits for `locked`, kill -9
    the gunicorn worker whose connection it is, release the lock, and wait until that backend
    has rolled back and gone. Returns what the stopped backend was running."""
    outcome = {}

    def run():
        try:
            outcome["response"] = fire()
        except Exception as exc:  # noqa: BLE001 — the killed worker answers nothing
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        found = wait_for(lambda: locked.waiting() or (not thread.is_alive() and "done"),
                         "the write to wait for the lock")
        assert found != "done", f"it finished without waiting for the lock: {outcome} " \
                                f"{stack.output('gunicorn')[-3000:]}"
        pid, query = found
        os.kill(client_of(pid, stack.gunicorn.pid), signal.SIGKILL)
    finally:
        locked.release()
    thread.join(WAIT)
    assert "response" not in outcome, f"the killed worker answered: {outcome['response']}"
    wait_for(lambda: backend_gone(pid), "the killed worker's transaction to roll back")
    return query
