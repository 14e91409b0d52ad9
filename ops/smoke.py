"""The smoke flow against a running Enlace (CI runs it against `ops/production`): the health
check, signing in through the login form, a restricted list in the API, and a write whose job
must complete — an allocation proposal, which a job worker solves through the queue.

    .venv/bin/python ops/smoke.py http://127.0.0.1:8000 --user us.duty --password enlace-demo

Only the standard library: it is a client, as a browser or a load balancer would be. Cookies
are kept by hand because the production cookies are `Secure` and this talks plain HTTP on the
machine itself. Exits 1 with the step that failed.
"""

import argparse
import http.client
import json
import re
import sys
import time
from urllib.parse import urlencode, urlsplit


class Session:
    def __init__(self, base):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        finally:
            connection.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), text

    def api(self, method, path, payload=None):
        headers = {"Accept": "application/json", "X-CSRFToken": self.cookies.get("csrftoken", "")}
        body = None
        if payload is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(payload)
        status, _, text = self.request(method, path, body, headers)
        return status, (json.loads(text) if text else None)


def check(ok, step, detail=""):
    if not ok:
        print(f"smoke: FAILED at {step}: {detail}"[:2000], file=sys.stderr)
        sys.exit(1)
    print(f"smoke: {step}: ok")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="e.g. http://127.0.0.1:8000")
    parser.add_argument("--user", default="us.duty")
    parser.add_argument("--password", default="enlace-demo")
    parser.add_argument("--vendor", default="postgresql", help="the database it must report")
    parser.add_argument("--job-timeout", type=float, default=120)
    args = parser.parse_args()
    session = Session(args.base)

    status, _, text = session.request("GET", "/healthz")
    health = json.loads(text) if status == 200 else {}
    check(status == 200 and health.get("vendor") == args.vendor, "health check", text)

    status, _, page = session.request("GET", "/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    check(status == 200 and token and "csrftoken" in session.cookies, "the login form", status)
    form = urlencode({"login": args.user, "password": args.password,
                      "csrfmiddlewaretoken": token.group(1)})
    status, headers, text = session.request(
        "POST", "/accounts/login/", form,
        {"Content-Type": "application/x-www-form-urlencoded", "Referer": args.base})
    check(status == 302 and "sessionid" in session.cookies, "signing in",
          f"{status} {headers.get('Location')}")

    status, incidents = session.api("GET", "/api/v1/incidents?limit=50")
    check(status == 200 and incidents["count"] > 0, "a restricted list", incidents)

    status, proposal = session.api("POST", "/api/v1/allocation-proposals",
                                   {"incident": None, "time_limit": 20})
    check(status == 201 and proposal.get("id"), "a write (an allocation proposal)", proposal)

    deadline = time.monotonic() + args.job_timeout
    state = proposal["state"]
    while state in ("queued", "solving") and time.monotonic() < deadline:
        time.sleep(1)
        status, proposal = session.api("GET", f"/api/v1/allocation-proposals/{proposal['id']}")
        state = proposal.get("state") if status == 200 else f"HTTP {status}"
    check(state == "ready", "the job solved it through the queue",
          f"state {state} after {args.job_timeout:.0f} s: {proposal}")


if __name__ == "__main__":
    main()
