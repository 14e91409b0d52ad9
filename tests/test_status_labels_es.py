"""Each model's status labels read in Spanish in agreement with the model's noun.

The same English word ("Submitted", "Approved", "Closed") is shared by models whose Spanish nouns
differ in gender: una actividad aprobada, un informe aprobado, una autorización presentada. Each
model's choices carry their own context so each can agree; this table is what a Mexican reader
expects to see on each record's badge.
"""

import pytest
from django.apps import apps
from django.utils import translation

from border.models import SituationReport
from core.models import Disclosure
from engagements.models import AfterActionReport, BudgetLine, Engagement, Participation
from partnerships.models import Agreement, Objective, Partnership
from personnel.models import Order
from response.models import (
    AidAgreement,
    AllocationProposal,
    CheckIn,
    Deployment,
    DeploymentCost,
    Incident,
    Offer,
    ResourceRequest,
    Unit,
)

EXPECTED = [
    # una actividad
    (Engagement.State.NOMINATED, "Postulada"),
    (Engagement.State.APPROVED, "Aprobada"),
    (Engagement.State.CLOSED, "Cerrada"),
    (Engagement.State.CANCELLED, "Cancelada"),
    # una partida presupuestal
    (BudgetLine.State.PLANNED, "Planeada"),
    (BudgetLine.State.ALLOTTED, "Asignada"),
    (BudgetLine.State.EXPENDED, "Ejercida"),
    # una verificación, una visa, una autorización de país
    (Participation.Vetting.NOT_REQUIRED, "No requerida"),
    (Participation.Vetting.APPROVED, "Aprobada"),
    (Participation.Visa.ISSUED, "Expedida"),
    (Participation.Clearance.SUBMITTED, "Presentada"),
    (Participation.Clearance.APPROVED, "Aprobada"),
    # un informe posterior a la acción
    (AfterActionReport.State.SUBMITTED, "Presentado"),
    (AfterActionReport.State.APPROVED, "Aprobado"),
    (AfterActionReport.State.RECORDED, "Anotado"),
    # una asociación
    (Partnership.Status.ACTIVE, "Activa"),
    (Partnership.Status.SUSPENDED, "Suspendida"),
    # un acuerdo
    (Agreement.State.SIGNED, "Firmado"),
    (Agreement.State.EXPIRED, "Vencido"),
    # un objetivo
    (Objective.State.APPROVED, "Aprobado"),
    (Objective.State.ACHIEVED, "Logrado"),
    (Objective.State.CANCELLED, "Cancelado"),
    # una orden
    (Order.State.APPLIED, "Aplicada"),
    (Order.State.STAYED, "Suspendida"),
    # una revisión de divulgación
    (Disclosure.APPROVED, "Aprobada"),
    # un incidente
    (Incident.Status.ACTIVE, "Activo"),
    (Incident.Status.CLOSED, "Cerrado"),
    # una unidad
    (Unit.Availability.COMMITTED, "Comprometida"),
    (Unit.Availability.DEPLOYED, "Desplegada"),
    # una solicitud de recursos
    (ResourceRequest.State.SUBMITTED, "Presentada"),
    (ResourceRequest.State.CLOSED, "Cerrada"),
    (ResourceRequest.State.CANCELLED, "Cancelada"),
    # un ofrecimiento
    (Offer.State.ACCEPTED, "Aceptado"),
    (Offer.State.WITHDRAWN, "Retirado"),
    # un acuerdo de ayuda mutua
    (AidAgreement.State.VOID, "Anulado"),
    # un despliegue
    (Deployment.State.ASSIGNED, "Asignado"),
    (Deployment.State.RETURNED, "En su base"),
    (Deployment.State.CLOSED, "Cerrado"),
    # a person or resource in registro y control (SCI-211)
    (CheckIn.Status.CHECKED_IN, "Llegada registrada"),
    # un reembolso
    (DeploymentCost.Reimbursement.APPROVED, "Aprobado"),
    (DeploymentCost.Reimbursement.CLAIMED, "Solicitado"),
    # una propuesta de asignación
    (AllocationProposal.State.ACCEPTED, "Aceptada"),
    (AllocationProposal.State.FAILED, "Fallida"),
    # un reporte de situación conjunto
    (SituationReport.State.PARTLY_SUBMITTED, "Presentado en parte"),
    (SituationReport.State.PUBLISHED, "Publicado"),
]


@pytest.mark.parametrize(("choice", "spanish"), EXPECTED,
                         ids=[f"{type(c).__qualname__}.{c.name}" for c, _ in EXPECTED])
def test_status_label_agrees_with_its_noun(choice, spanish):
    with translation.override("es"):
        assert str(choice.label) == spanish


def test_every_choice_list_of_a_model_has_its_own_context():
    """A label without context would be shared with every other model's identical word."""
    shared = []
    for model in apps.get_models():
        if model._meta.app_label not in {"core", "accounts", "engagements", "partnerships",
                                         "personnel", "response"}:
            continue
        for field in model._meta.get_fields():
            for value, label in getattr(field, "choices", None) or ():
                # A lazy pgettext proxy keeps (context, message) as the arguments it was made
                # with. Languages and time zones are names, not words another model shares.
                if field.name not in {"language", "time_zone"} and not isinstance(label, str) \
                        and len(getattr(label, "_args", ())) < 2:
                    shared.append(f"{model.__name__}.{field.name}={value}")
    assert not shared, f"choices without a context: {shared}"
