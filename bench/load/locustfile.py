"""A fire season's load on Enlace (locust, headless; bench/load/run.py drives it).

Each simulated user takes its own account from the file in LOAD_ACCOUNTS (made by run.py:
username, password, nation, role, organization, API token): it signs in through the login form
for the pages and sends its own token to the API. Two mixes (LOAD_MIX):

- `season` (`SeasonUser`): what duty officers, liaisons, coordinators, personnel officers and
  viewers of both nations do — the dashboard, incident and request lists with filters,
  deployment pages, the map layers, who is where now, the roster as of a date, the engagements
  dashboard — and, for the roles that write, a share of writes: offers on the other nation's
  requests (then withdrawn: a transition), check-ins on their own deployments' rosters.
- `reads` (`ReadsUser`): only the three key reads the raw baseline also serves (a restricted
  incident list page, the incidents map layer, an incident's detail), as fast as answered; run
  against Enlace and against bench/load/baseline.py for the throughput ratio.

Request names are the endpoint groups the report gives percentiles for. LOAD_WAIT ("min,max"
seconds) is each user's think time between tasks (season: 1,3; reads: 0,0).
"""

import itertools
import json
import os
import random
import re
import threading
import time

from locust import HttpUser, between, constant, tag, task  # noqa: F401

ACCOUNTS = json.load(open(os.environ.get("LOAD_ACCOUNTS", "var/load/accounts.json")))
_next = itertools.count()
_lock = threading.Lock()
AS_OF = os.environ.get("LOAD_AS_OF", "2026-08-15T12:00:00Z")
WRITERS = {"duty_officer", "liaison", "coordinator"}


def _wait(default):
    low, high = (float(x) for x in os.environ.get("LOAD_WAIT", default).split(","))
    return between(low, high) if high > 0 else constant(0)


class Account(HttpUser):
    abstract = True

    def on_start(self):
        with _lock:
            self.account = ACCOUNTS[next(_next) % len(ACCOUNTS)]
        self.api_headers = {"Authorization": f"Bearer {self.account['token']}",
                            "Accept": "application/json"}
        self.incidents, self.rng = [], random.Random(self.account["username"])

    def api(self, path, name, method="GET", payload=None, ok=(200,)):
        with self.client.request(method, path, name=name, headers=self.api_headers,
                                 json=payload, catch_response=True) as response:
            if response.status_code not in ok:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return None
            try:
                return response.json()
            except ValueError:
                response.failure("not JSON")
                return None

    def incident_ids(self):
        if not self.incidents:
            page = self.api("/api/v1/incidents?status=active&limit=50", "list: incidents")
            self.incidents = [i["id"] for i in (page or {}).get("items", [])]
        return self.incidents


class ReadsUser(Account):
    """The key reads, also served by the raw baseline."""
    wait_time = _wait("0,0")

    @task(4)
    def incident_list(self):
        offset = self.rng.choice([0, 0, 0, 50, 100])
        page = self.api(f"/api/v1/incidents?status=active&limit=50&offset={offset}",
                        "list: incidents")
        if page and offset == 0:
            self.incidents = [i["id"] for i in page["items"]]

    @task(1)
    def incident_layer(self):
        self.api("/api/v1/map/incidents?status=active", "map: incidents")

    @task(4)
    def incident_detail(self):
        ids = self.incident_ids()
        if ids:
            self.api(f"/api/v1/incidents/{self.rng.choice(ids)}", "detail: incident")


class SeasonUser(Account):
    """A fire season's mix of pages, API reads and writes."""
    wait_time = _wait("1,3")

    def on_start(self):
        super().on_start()
        self.cookies, self.deployments, self.requests = {}, [], []
        self.sign_in()

    def sign_in(self):
        """The login form, as a person signs in. The site allows 30 sign-ins a minute from one
        address (all the simulated users share 127.0.0.1): a throttled attempt (429) waits and
        tries again, counted apart ("page: login throttled"), not as an error."""
        for _attempt in range(20):
            status, page = self.page("/accounts/login/", "page: login form")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page or "")
            if token is None:
                return
            with self.client.post(
                    "/accounts/login/", name="page: login", allow_redirects=False,
                    data={"login": self.account["username"],
                          "password": self.account["password"],
                          "csrfmiddlewaretoken": token.group(1)},
                    headers={"Cookie": self.cookie_header(),
                             "Referer": self.host + "/accounts/login/"},
                    catch_response=True) as response:
                self.keep_cookies(response)
                if response.status_code == 302:
                    return
                if response.status_code != 429:
                    response.failure(f"sign-in refused: {response.status_code}")
                    return
                response.request_meta["name"] = "page: login throttled"
                response.success()
            time.sleep(5 + self.rng.random() * 5)

    # Production cookies are Secure and this talks plain HTTP on the machine: kept by hand.
    def keep_cookies(self, response):
        for cookie in response.cookies:
            self.cookies[cookie.name] = cookie.value

    def cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def page(self, path, name):
        with self.client.get(path, name=name, headers={"Cookie": self.cookie_header()},
                             allow_redirects=False, catch_response=True) as response:
            self.keep_cookies(response)
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
                return response.status_code, None
            return 200, response.text

    # ---- reads ---------------------------------------------------------------------------
    @task(5)
    def dashboard(self):
        self.page("/", "page: dashboard")

    @task(3)
    def incident_list_page(self):
        self.page("/response/?status=active", "page: incident list")

    @task(5)
    def incident_list(self):
        kind = self.rng.choice(["", "&kind=wildfire", "&channel=direct"])
        page = self.api(f"/api/v1/incidents?status=active&limit=50{kind}", "list: incidents")
        if page and not kind:
            self.incidents = [i["id"] for i in page["items"]]

    @task(4)
    def incident_detail(self):
        ids = self.incident_ids()
        if ids:
            self.api(f"/api/v1/incidents/{self.rng.choice(ids)}", "detail: incident")

    @task(5)
    def request_list(self):
        state = self.rng.choice(["submitted", "partially_filled"])
        page = self.api(f"/api/v1/resource-requests?state={state}&limit=50", "list: requests")
        if page:
            self.requests = [r for r in page["items"]
                             if r.get("marking", {}).get("owner") != self.account["nation"]]

    @task(4)
    def deployment_list(self):
        page = self.api("/api/v1/deployments?state=assigned&limit=50", "list: deployments")
        if page:
            self.deployments = [d["id"] for d in page["items"]]

    @task(3)
    def deployment_pages(self):
        if self.deployments:
            pk = self.rng.choice(self.deployments)
            self.api(f"/api/v1/deployments/{pk}", "detail: deployment")
            self.page(f"/response/deployments/{pk}/", "page: deployment")

    @task(3)
    def map_layers(self):
        self.api("/api/v1/map/incidents?status=active", "map: incidents")
        self.api("/api/v1/map/deployments?state=assigned", "map: deployments")

    @task(3)
    def who_is_where(self):
        self.api("/api/v1/accountability?limit=50", "list: who is where")

    @task(2)
    def roster_as_of(self):
        if self.account["nation"] == "USA" and self.account["role"] in (
                "personnel_officer", "duty_officer"):
            self.api(f"/api/v1/personnel/roster?at={AS_OF}", "list: roster as of")

    @task(2)
    def engagements_dashboard(self):
        self.api("/api/v1/dashboards/engagements", "dashboard: engagements")

    # ---- writes --------------------------------------------------------------------------
    @task(3)
    def offer_and_withdraw(self):
        if self.account["role"] not in WRITERS or not self.requests:
            return
        request = self.rng.choice(self.requests)
        offer = self.api("/api/v1/offers", "write: offer", "POST", {
            "request": request["id"], "duration_days": 14, "cost_terms": "donated",
            "available_from": request["needed_by"],
            "lines": [{"kind": request["kind"], "quantity": 1,
                       "agency": self.account["organization"]}]}, ok=(200, 201))
        if offer:
            self.api(f"/api/v1/offers/{offer['id']}/transitions/withdraw",
                     "write: transition", "POST", {"reason": "Crew needed at home."})

    @task(3)
    def check_in(self):
        if self.account["role"] not in WRITERS or not self.deployments:
            return
        pk = self.rng.choice(self.deployments)
        roster = self.api(f"/api/v1/deployments/{pk}/roster?limit=20", "list: roster")
        if roster and roster.get("items"):
            member = self.rng.choice(roster["items"])
            self.api(f"/api/v1/roster-members/{member['id']}/check-ins", "write: check-in",
                     "POST", {"status": "available", "location": "Incident base"},
                     ok=(200, 201))


if os.environ.get("LOAD_MIX", "season") == "reads":
    SeasonUser.abstract = True  # noqa: F811 — only the key reads run
else:
    ReadsUser.abstract = True
