"""Schemathesis over the whole API: every operation, in-process against the WSGI app and the test
database, as a US coordinator with a read-write token. No request may end in a server error, and
every response must be one the schema documents, in the documented shape."""

import json
from dataclasses import dataclass

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, assume, settings
from ninja.responses import NinjaJSONEncoder
from schemathesis.checks import (
    content_type_conformance,
    ignored_auth,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.reference import load_reference
from accounts.services import create_token
from accounts.tests.personas import create_mx_liaison, create_us_coordinator, persona
from border.tests.seeds import add_border_seeds
from engagements.tests.aar_factories import add_aar_seeds
from engagements.tests.factories import add_engagement_seeds
from enlace.api import api
from enlace.wsgi import application
from exercises.tests.seeds import add_exercise_seeds
from interop.tests.seeds import add_interop_seeds
from partnerships.models import Partnership
from partnerships.tests.factories import add_program_seeds, make_partnership
from personnel.models import Member
from personnel.tests.factories import make_member, make_order
from response.reference import load_reference as load_response_reference
from response.tests.seeds import add_response_seeds

# The API's description is for signed-in users (accounts.api.for_users): taken from the API itself,
# as /api/v1/openapi.json serves it, and exercised through the WSGI app.
schema = schemathesis.openapi.from_dict(
    json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder)))
schema.app, schema.location = application, "/api/v1/openapi.json"

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance, ignored_auth]


@dataclass
class Seeded:
    headers: dict
    auth_token_id: int
    existing: dict  # path parameter -> ids of records that exist


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Records of every kind the detail endpoints look up: US-owned and editable, US-owned and
    released to Mexico, Mexican-owned and released to the US (visible, not editable), and
    Mexican-owned only (exists, answers 404). (CA, MEX) stays free so a create can succeed.
    Personnel: a US member on Title 10 with a draft order covering it, and a Mexican-only
    member (exists, answers 404).

    Made once for the module in a transaction rolled back at its end: each operation's test
    runs in a savepoint inside it (`db`), so what one operation writes is gone before the
    next, as with seeds made per test, without making them ~180 times."""
    with django_db_blocker.unblock(), transaction.atomic():
        # A live-server browser test may have flushed the reference data away.
        load_response_reference()
        load_reference()
        yield from _seed(create_us_coordinator(), create_mx_liaison())
        transaction.set_rollback(True)


def _seed(us_coordinator, mx_liaison):
    us_only = make_partnership(us_coordinator, partner="UKR")
    shared = make_partnership(us_coordinator, partner="NGA", rel_to=("USA", "MEX"))
    # Partnerships are made by a coordinator; a liaison of either nation may not.
    mx_coordinator = persona("coordinator", "MEX")
    released = make_partnership(mx_coordinator, partner="UKR", us_state="AZ",
                                rel_to=("MEX", "USA"), disclosure="in_review")
    Partnership.objects.filter(pk=released.pk).update(disclosure="approved")
    mexican = make_partnership(mx_coordinator, partner="NGA", us_state="AZ", rel_to=("MEX",),
                               disclosure="in_review")
    member = make_member("S100", status="t10_12406", passport_number="X1")
    hidden = make_member("S200")
    Member.objects.filter(pk=hidden.pk).update(owner_nation=mx_liaison.nation)
    hidden.rel_to.set([mx_liaison.nation])
    order = make_order([member], us_coordinator, target="sad")
    spare, _ = create_token(us_coordinator, name="spare")
    auth, key = create_token(us_coordinator, name="schemathesis", write=True)
    # As Django's test client does: the end of a request must not close the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    interop = add_interop_seeds({}, us_coordinator, mx_liaison)
    yield Seeded(
        headers={"Authorization": f"Bearer {key}"},
        auth_token_id=auth.pk,
        existing=add_exercise_seeds(add_border_seeds(add_response_seeds(add_program_seeds(
            add_engagement_seeds(add_aar_seeds(
                {"partnership_id": [us_only.pk, shared.pk, released.pk, mexican.pk],
                 "token_id": [spare.pk], "member_id": [member.pk, hidden.pk],
                 "order_id": [order.pk], **interop}, us_coordinator, mx_liaison), us_coordinator,
                mx_liaison), us_coordinator, mx_coordinator), us_coordinator, mx_liaison),
            us_coordinator, mx_liaison), us_coordinator, mx_liaison),
    )
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
# Deterministic, and no timing limits: `deadline` and `too_slow` would fail a slow CI machine.
# 15 examples an operation, each also sent to every seeded record, keep the two database passes
# of the suite well inside CI's time on two cores.
@settings(max_examples=15, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_api(case, seeded, db):
    path = case.path_parameters or {}
    assume(path.get("token_id") != seeded.auth_token_id)  # revoking it would end the run's auth
    case.call_and_validate(headers=seeded.headers, checks=CHECKS)
    # Generated ids rarely exist, so send the same request to each seeded record as well.
    for name in list(path):
        for pk in seeded.existing[name]:
            path[name] = pk
            case.call_and_validate(headers=seeded.headers, checks=CHECKS)
