"""Records for the OpenAPI fuzzing's path parameters (tests/test_openapi.py): border events
US-owned and editable, US-owned and released to Mexico, Mexican-owned and released to the US
(visible, not editable), Mexican-only (exists, answers 404), and an exercise event."""

from border.services.events import add_timeline_entry
from border.services.ports import report_port_status
from border.tests.factories import MEXICALI, TIJUANA_RIVER, report
from border.tests.notice_factories import make_notice
from border.tests.sitrep_factories import make_sitrep


def _add(existing, seeds):
    for name, ids in seeds.items():
        known = existing.setdefault(name, [])
        known += [i for i in ids if i not in known]
    return existing


def add_border_seeds(existing, us_user, mx_user):
    own = report(us_user, title="Seed fire", rel_to=())
    shared = report(us_user, title="Seed shared fire")
    add_timeline_entry(mx_user, shared, kind="observation", language="es", text="Humo.")
    theirs = report(mx_user, title="Seed river", kind="river_sewage", point=TIJUANA_RIVER,
                    rel_to=("USA",))
    hidden = report(mx_user, title="Seed hidden", point=TIJUANA_RIVER, rel_to=())
    drill = report(us_user, title="Seed drill", kind="earthquake", point=MEXICALI,
                   is_exercise=True)
    # The port-of-entry status board at the seeded port (response's seeds name it): a US
    # report released to Mexico, a Mexican one kept from the US.
    port_key = existing["port_key"][0]
    report_port_status(us_user, port_key, "USA", status="open", commercial_wait_minutes=10)
    report_port_status(mx_user, port_key, "MEX", status="closed", reason_es="Cierre",
                       rel_to=[], disclosure="not_reviewed")
    # Counterpart notices: one sent to Mexico, one sent to CalGuard (the fuzzing user's, who
    # may acknowledge it), one about a Mexican event kept from the US (404).
    notices = [make_notice(us_user, "PC-BC", title="Seed notice fire"),
               make_notice(mx_user, "CalGuard", title="Seed notice river"),
               make_notice(mx_user, "CalOES", title="Seed notice hidden", rel_to=())]
    # Joint situation reports, both sections open: one of the US fire released to Mexico,
    # one of Mexico's river event released to the US.
    sitreps = [make_sitrep(us_user, shared), make_sitrep(mx_user, theirs)]
    return _add(existing, {
        "sitrep_id": [r.pk for r in sitreps], "nation": ["USA", "MEX"],
        "notice_id": [n.pk for n in notices],
        "event_id": [own.pk, shared.pk, theirs.pk, hidden.pk, drill.pk],
        "kind_code": ["wildfire"], "name": ["confirm", "contain", "close"]})
