"""Received alerts for the API fuzzing (tests/test_openapi.py): a US alert kept from Mexico,
one released to it, a Mexican one released to the US and one kept from it (404)."""

from interop import cap
from interop.services import import_alert
from interop.tests.samples import bilingual_alert


def _alert(user, identifier, **marking):
    record, _new = import_alert(user, cap.write(bilingual_alert(identifier=identifier)),
                                **marking)
    return record.pk


def add_interop_seeds(existing, us_user, mx_user):
    seeds = [_alert(us_user, "seed-us-only"),
             _alert(us_user, "seed-us-shared", rel_to=[mx_user.nation], disclosure="approved"),
             _alert(mx_user, "seed-mx-shared", rel_to=[us_user.nation], disclosure="approved"),
             _alert(mx_user, "seed-mx-only")]
    known = existing.setdefault("alert_id", [])
    known += [pk for pk in seeds if pk not in known]
    return existing
