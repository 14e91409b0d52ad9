"""PostgreSQL out of reach, for a running gunicorn: pages and the API answer at once with a
503 in the reader's language (a page needing nothing from the database, the API's one error
shape) and Retry-After, never a 500 or a hang; /healthz says so; when the database is back the
same processes serve again by themselves. The database "goes away" through a relay the test
cuts (its connections dropped, new ones refused) — the shared server is never stopped."""

import socket
import threading

import pytest
from django.db import connection
from django.test import Client

from tests.faults.conftest import free_port, request, token_for, wait_for


class Relay:
    """A TCP relay from a local port to PostgreSQL that can be cut and restored."""

    def __init__(self, target):
        self.target, self.port = target, free_port()
        self.sockets, self.lock = [], threading.Lock()
        self.restore()

    def restore(self):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(64)
        self.listener.settimeout(0.1)
        self.open = True
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener):
        while self.open:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self):
        """The database is gone: new connections refused, open ones dropped."""
        self.open = False
        self.listener.close()
        with self.lock:
            for sock in self.sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            self.sockets = []


@pytest.fixture
def relay():
    settings = connection.settings_dict
    relay = Relay((settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432)))
    yield relay
    relay.cut()


UNAVAILABLE = {"en": ("Unavailable", "cannot reach its database"),
               "es": ("No disponible", "no puede comunicarse con su base de datos")}


def test_a_database_out_of_reach_is_a_503_and_the_site_recovers_by_itself(stack, relay,
                                                                          us_viewer):
    browser = Client()
    browser.force_login(us_viewer)
    cookie = f"sessionid={browser.cookies['sessionid'].value}"
    token = token_for(us_viewer)
    stack.web(DATABASE_URL=stack.env()["DATABASE_URL"].replace(
        f":{connection.settings_dict['PORT'] or 5432}/", f":{relay.port}/"))

    def page(language="en"):
        return request(stack.port, "GET", "/", timeout=30,
                       headers={"Cookie": cookie, "Accept-Language": language})

    def api(language="en", token=None, cookie=None):
        headers = {"Accept-Language": language, **({"Cookie": cookie} if cookie else {})}
        return request(stack.port, "GET", "/api/v1/incidents", token=token, timeout=30,
                       headers=headers)

    assert page()[0] == 200 and api(token=token)[0] == 200

    relay.cut()
    for language, (title, words) in UNAVAILABLE.items():
        status, headers, text = page(language)
        assert status == 503, text[:2000]
        assert headers["Retry-After"] == "30"
        assert f"<h1>{title}</h1>" in text and words in text
        # The API by token (refused in the API) and by session (refused before it).
        for auth in ({"token": token}, {"cookie": cookie}):
            status, headers, text = api(language, **auth)
            assert status == 503, text[:2000]
            assert headers["Content-Type"].startswith("application/json")
            assert words in text and '"errors": []' in text
    status, _, text = request(stack.port, "GET", "/healthz", timeout=30)
    assert status == 503 and '"status": "error"' in text

    relay.restore()
    # The same processes serve again, with no restart.
    wait_for(lambda: page()[0] == 200, "the pages to serve again")
    assert api(token=token)[0] == 200
    assert request(stack.port, "GET", "/healthz", timeout=30)[0] == 200
