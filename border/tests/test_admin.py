"""The back office shows border coordination's records (the status board's history filtered by
port, side and status) and writes none of them: the services are their only write path."""

import pytest
from django.urls import reverse

from border.models import BorderEvent
from border.services.ports import report_port_status
from border.tests.factories import ensure_kinds
from response.models import PortOfEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(make_user):
    return make_user("t.admin", "CalGuard", "administrator", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("name", ["borderevent", "bordereventkind", "contactrule", "notice",
                                  "portstatusreport", "timelineentry"])
def test_every_border_model_has_an_admin(client_for, admin_user, name):
    assert client_for(admin_user).get(
        reverse(f"admin:border_{name}_changelist")).status_code == 200


def test_port_reports_are_listed_by_port_side_and_status_and_never_written(
        client_for, admin_user, persona_of):
    ensure_kinds()
    us, mx = persona_of("duty_officer", "USA"), persona_of("liaison", "MEX")
    san_ysidro = PortOfEntry.objects.get(key="2504")
    report_port_status(us, "2504", "USA", status="restricted", passenger_wait_minutes=40,
                       reason_en="Lane work")
    report_port_status(mx, "2505", "MEX", status="closed", reason_es="Cierre")
    closed = report_port_status(mx, "2504", "MEX", status="closed", reason_es="Cierre")
    client = client_for(admin_user)
    url = reverse("admin:border_portstatusreport_changelist")
    page = client.get(url, {"port__id__exact": san_ysidro.pk, "side": "MEX",
                            "status": "closed"})
    assert page.status_code == 200
    assert [r.pk for r in page.context["cl"].result_list] == [closed.pk]
    filters = page.context["cl"].filter_specs
    assert {f.title for f in filters} >= {"port of entry", "lanes of", "status"}
    assert client.get(reverse("admin:border_portstatusreport_add")).status_code == 403
    change = client.post(reverse("admin:border_portstatusreport_change", args=[closed.pk]),
                         {"status": "open"})
    delete = client.post(reverse("admin:border_portstatusreport_delete", args=[closed.pk]),
                         {"post": "yes"})
    assert change.status_code == 403 and delete.status_code == 403
    closed.refresh_from_db()
    assert closed.status == "closed"
    # The closure's border event is there to see, and not to edit, either.
    event = closed.event
    assert client.get(reverse("admin:border_borderevent_change", args=[event.pk])
                      ).status_code == 200
    assert client.post(reverse("admin:border_borderevent_delete", args=[event.pk]),
                       {"post": "yes"}).status_code == 403
    assert BorderEvent.objects.filter(pk=event.pk).exists()
