"""The after-action report printed (engagements.views.aar_pdf): its fields in English and
Spanish side by side; 404 for a report not released to the reader or not yet started."""

from django.urls import reverse

from core.services import apply_parent_marking
from core.testing import pdf_pages
from engagements.models import AfterActionReport, Attendance, Observation
from engagements.tests.aar_factories import make_engagement, make_report, mexico_partnership


def test_report_prints_in_both_languages(us_coordinator, mx_liaison, client_for):
    engagement = make_engagement(us_coordinator, mexico_partnership(us_coordinator),
                                 title="Wildfire exchange", title_es="Intercambio de incendios")
    report = make_report(engagement, state=AfterActionReport.State.APPROVED, attendance=12,
                         summary_en="Crews trained on ICS-211 check-in.",
                         summary_es="Brigadas capacitadas en el registro SCI-211.")
    apply_parent_marking(Observation(report=report, kind="sustain", topic="Radios",
                                     text_en="Shared channels worked.",
                                     text_es="Los canales compartidos funcionaron."))
    url = reverse("engagements:aar_pdf", args=[engagement.pk])
    for user in (us_coordinator, mx_liaison):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert 'filename="aar-wildfire-exchange.pdf"' in response["Content-Disposition"]
        text = "\n".join(pdf_pages(response))
        for expected in ("After-action report", "Informe posterior a la acción",
                         "Wildfire exchange", "Intercambio de incendios",
                         "Crews trained on ICS-211 check-in.",
                         "Brigadas capacitadas en el registro SCI-211.",
                         "Shared channels worked.", "Los canales compartidos funcionaron.",
                         "Attendance", "Asistencia", "Observations", "Observaciones",
                         "Approved", "Aprobado", "FY2025 Q2"):
            assert expected in text, expected
    assert Attendance.objects.get(report=report).count == 12


def test_report_not_released_or_not_started_is_404(us_coordinator, mx_liaison, client_for):
    partnership = mexico_partnership(us_coordinator)
    kept_home = make_engagement(us_coordinator, partnership, rel_to=("USA",), title="Home drill")
    make_report(kept_home)
    url = reverse("engagements:aar_pdf", args=[kept_home.pk])
    assert client_for(us_coordinator).get(url).status_code == 200
    assert client_for(mx_liaison).get(url).status_code == 404
    not_started = make_engagement(us_coordinator, partnership, title="Later")
    assert client_for(us_coordinator).get(
        reverse("engagements:aar_pdf", args=[not_started.pk])).status_code == 404


def test_report_page_links_its_printed_form(us_coordinator, client_for):
    engagement = make_engagement(us_coordinator, mexico_partnership(us_coordinator))
    make_report(engagement)
    html = client_for(us_coordinator).get(
        reverse("engagements:aar", args=[engagement.pk])).content.decode()
    assert reverse("engagements:aar_pdf", args=[engagement.pk]) in html
