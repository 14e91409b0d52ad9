"""Printed forms of mutual aid (core.pdf: English and Spanish side by side, with the SCI
equivalents of the ICS forms): the ICS-213RR resource request, the three-part agreement with
its hash and signatures, a deployment's ICS-211 check-in list and its crossing packet. Each
reads its record as the record's page does (restricted: a record the user may not see is a
404) and names a related record only to a reader it is released to."""

import zoneinfo

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.pdf import pdf_filename, pdf_response
from core.related import NOT_RELEASED, may_see, with_shown
from core.views import get_one
from response import accountability
from response.models import CheckIn, Deployment, PortOfEntry
from response.sci import status_term, term
from response.selectors import aid as aid_selectors
from response.selectors import deployments as deployment_selectors
from response.services import deployments as deployment_services
from response.services.agreements import verify_agreement


def _released(user, record):
    """`record` when `user` may see it, else None (the form then reads "a record not
    released to you" in each language)."""
    return record if record is not None and may_see(user, record) else None


def _common(**context):
    return {"not_released": NOT_RELEASED, "printed_at": timezone.now(),
            "ics": term("term", "ICS"), **context}


def _person(user):
    return user.get_full_name() or user.username


@login_required
def request_form(request, pk):
    """ICS-213RR (SCI: Solicitud de Recursos) of one resource request."""
    user = request.user
    resource_request = get_one(aid_selectors.requests_for(user), pk)
    incident = _released(user, resource_request.incident)
    offers = aid_selectors.offers_for(user, request=resource_request.pk).order_by("pk")
    context = _common(
        r=resource_request, incident=incident,
        sheet=term("form", "ICS-213RR"), lsc=term("position", "LSC"),
        resl=term("position", "RESL"), fsc=term("position", "FSC"),
        requested_by=_person(resource_request.requested_by),
        substitutes=list(resource_request.kind.substitutes.order_by("code")),
        offers=list(offers))
    return pdf_response(request, "response/forms/ics_213rr.html", context,
                        title=_("ICS-213RR resource request"), record=resource_request,
                        filename=pdf_filename("ics-213rr", resource_request.number))


@login_required
def agreement_form(request, pk):
    """The three-part agreement: its text in both languages, the hash and the signatures."""
    user = request.user
    agreement = get_one(aid_selectors.agreements_for(user).select_related("offer__incident"),
                        pk)
    incident = _released(user, agreement.offer.incident)
    context = _common(
        a=agreement, incident=incident,
        mutual_aid=term("term", "MUTUAL-AID"), parts=aid_selectors.agreement_parts(agreement),
        verified=verify_agreement(agreement),
        text_en=aid_selectors.agreed_text(user, agreement, "en"),
        text_es=aid_selectors.agreed_text(user, agreement, "es"))
    return pdf_response(request, "response/forms/agreement.html", context,
                        title=_("Mutual aid agreement"), record=agreement,
                        filename=pdf_filename("agreement", agreement.offer_id,
                                              f"v{agreement.version}"))


def _deployment(user, pk):
    return get_one(deployment_selectors.deployments_for(user).select_related(
        "agreement", "owner_nation"), pk)


def _roster(user, deployment):
    return accountability.roster_for(user, deployment)


@login_required
def check_in_form(request, pk):
    """ICS-211 (SCI-211 Registro y Control de Recursos): who checked in, their status and
    where, and every check-in in time order."""
    user = request.user
    deployment = _deployment(user, pk)
    roster = list(_roster(user, deployment))
    check_ins = list(CheckIn.objects.filter(member__in=roster).select_related("member")
                     .order_by("at", "pk"))
    first = {}
    for check_in in check_ins:
        check_in.status_term = status_term(check_in.status)
        if check_in.status == CheckIn.Status.CHECKED_IN:
            first.setdefault(check_in.member_id, check_in.at)
    for member in roster:
        member.status_term = status_term(member.last_status)
        member.first_check_in = first.get(member.pk)
    incident = _released(user, deployment.incident)
    context = _common(
        d=deployment, incident=incident,
        sheet=term("form", "ICS-211"), resl=term("position", "RESL"), roster=roster,
        check_ins=check_ins, prepared_by=_person(user))
    return pdf_response(request, "response/forms/ics_211.html", context,
                        title=_("ICS-211 check-in list"), record=deployment,
                        filename=pdf_filename("ics-211", deployment.name))


@login_required
def crossing_packet(request, pk):
    """What a team carries across: the crossing (port or airport and time of entry), the
    host-government notice, the crossing checklist, the roster with credentials and the
    equipment manifest (what the agreement's offer sends)."""
    user = request.user
    deployment = _deployment(user, pk)
    ground = deployment.transport == Deployment.Transport.GROUND and deployment.port
    # A port's time of entry is the border's clock; an arrival by air reads in the user's.
    tz = (zoneinfo.ZoneInfo(PortOfEntry.TIME_ZONE) if ground
          else timezone.get_current_timezone())
    entry_at = (timezone.localtime(deployment.planned_crossing_at, tz)
                if deployment.planned_crossing_at else None)
    lines = with_shown(user, deployment.agreement.offer.lines.select_related(
        "kind", "agency", "unit"), "unit")
    incident = _released(user, deployment.incident)
    roster = list(_roster(user, deployment))

    def context():
        # Called once per language: the notice, warnings and checklist read in each.
        return _common(
            d=deployment, incident=incident,
            entry_at=entry_at, roster=roster, lines=lines,
            notice=deployment_services.crossing_notice(deployment, tz)
            if deployment.planned_crossing_at else "",
            warnings=deployment_services.crossing_warnings(deployment),
            checklist=deployment_services.crossing_checklist(deployment))

    return pdf_response(request, "response/forms/crossing_packet.html", context,
                        title=_("Crossing packet"), record=deployment,
                        filename=pdf_filename("crossing-packet", deployment.name))


urlpatterns = [
    path("requests/<int:pk>/ics-213rr.pdf", request_form, name="request_pdf"),
    path("agreements/<int:pk>/agreement.pdf", agreement_form, name="agreement_pdf"),
    path("deployments/<int:pk>/ics-211.pdf", check_in_form, name="deployment_ics211_pdf"),
    path("deployments/<int:pk>/crossing-packet.pdf", crossing_packet,
         name="deployment_packet_pdf"),
]
