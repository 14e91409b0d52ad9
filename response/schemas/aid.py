"""API shapes of resource requests, offers and the signed agreement. Names carry their domain
(AidAgreement…, Offer…) because the OpenAPI document keys schemas by class name across apps."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from core.bounds import LONG_TEXT, MAX_PEOPLE, MAX_QUANTITY, REASON
from core.related import shown, shown_id
from core.schemas import MarkingIn, MarkingOut, Moment, TransitionOptionOut
from response.models import MAX_OFFER_DAYS, AidAgreement, Offer, ResourceRequest, Signature
from response.schemas.common import Acronym, Id, KindCode, NewMarking, attribute
from response.selectors.aid import agreed_terms, agreed_text
from response.services.agreements import verify_agreement

RequestStateCode = Literal[tuple(ResourceRequest.State.values)]
PriorityCode = Literal[tuple(ResourceRequest.Priority.values)]
OfferStateCode = Literal[tuple(Offer.State.values)]
CostTermsCode = Literal[tuple(Offer.CostTerms.values)]
AgreementStateCode = Literal[tuple(AidAgreement.State.values)]
PartCode = Literal[tuple(Signature.Part.values)]


# ---- Resource requests -----------------------------------------------------------------------

class ResourceRequestFilter(Schema):
    incident: Id | None = Field(None, description="Incident id")
    state: RequestStateCode | None = None
    nation: str | None = Field(None, max_length=3, description="Owner (requesting) nation",
                               examples=["USA"])
    kind: str | None = Field(None, max_length=32, description="Resource kind code")
    priority: PriorityCode | None = None


class ResourceRequestOut(Schema):
    id: int
    number: str
    incident: int | None = Field(..., description="Incident id; null when not released to you")
    incident_name: str = Field(..., description="In your language")
    requesting_organization: str = Field(..., description="Acronym")
    requested_by: str = Field(..., description="Username")
    kind: str = Field(..., description="Resource kind code")
    kind_name: str = Field(..., description="In your language")
    quantity: int
    needed_by: datetime
    reporting_location: str
    priority: PriorityCode
    special_instructions: str
    substitutes_acceptable: bool
    state: RequestStateCode
    state_reason: str
    escalated_at: datetime | None
    created_at: datetime
    marking: MarkingOut

    @staticmethod
    def resolve_incident(obj, context):
        return shown_id(context["request"].user, obj, "incident")

    @staticmethod
    def resolve_incident_name(obj, context):
        """The incident's name, or "a record not released to you" (core.related); a list says
        in `links_released` when it is released, so it needs no check each."""
        if getattr(obj, "links_released", False):
            return obj.incident.name
        return str(shown(context["request"].user, obj.incident))
    resolve_requesting_organization = attribute("requesting_organization.acronym")
    resolve_requested_by = attribute("requested_by.username")
    resolve_kind = attribute("kind.code")
    resolve_kind_name = attribute("kind.name")
    resolve_marking = staticmethod(MarkingOut.of)


class ResourceRequestDetailOut(ResourceRequestOut):
    offers: list[int] = Field(..., description="Offers against it (ids) you may see")
    agreements: list[int] = Field(..., description="Agreements on it (ids) you may see")
    transitions: list[TransitionOptionOut] = Field(
        ..., description="The steps you may take now")


class ResourceRequestUpdate(Schema):
    number: str | None = Field(None, max_length=32,
                               description="Empty: numbered automatically (USA-2025-0001)")
    incident: Id | None = None
    requesting_organization: Acronym | None = Field(
        None, description="Acronym of an organization of your nation; default yours")
    kind: KindCode | None = None
    quantity: int | None = Field(None, ge=1, le=MAX_QUANTITY)
    needed_by: Moment | None = None
    reporting_location: str | None = Field(None, min_length=1, max_length=200)
    priority: PriorityCode | None = None
    special_instructions: str | None = Field(None, max_length=LONG_TEXT)
    substitutes_acceptable: bool | None = None


class ResourceRequestCreate(ResourceRequestUpdate):
    incident: Id
    kind: KindCode
    quantity: int = Field(..., ge=1, le=MAX_QUANTITY)
    needed_by: Moment
    reporting_location: str = Field(..., min_length=1, max_length=200)
    priority: PriorityCode = ResourceRequest.Priority.ROUTINE
    marking: NewMarking


class RequestTransitionIn(Schema):
    reason: str = Field("", max_length=REASON, description="Required to cancel and for unable "
                                                         "to fill")
    nations: list[str] | None = Field(
        None, max_length=10, description="escalate: the nations to release the request to "
                                         "(default: the nation across the border)",
        examples=[["MEX"]])


# ---- Offers ----------------------------------------------------------------------------------

class OfferFilter(Schema):
    incident: Id | None = Field(None, description="Incident id")
    state: OfferStateCode | None = None
    nation: str | None = Field(None, max_length=3, description="Offering nation",
                               examples=["MEX"])
    kind: str | None = Field(None, max_length=32, description="A resource kind offered")
    request: Id | None = Field(None, description="Resource request id")


class OfferLineIn(Schema):
    kind: KindCode
    quantity: int = Field(..., ge=1, le=MAX_QUANTITY)
    headcount: int = Field(0, ge=0, le=MAX_PEOPLE)
    agency: Acronym = Field(..., description="Acronym of an organization of your nation")
    unit: Id | None = Field(None, description="A unit of your nation you may see")


class OfferLineOut(Schema):
    kind: str
    kind_name: str
    quantity: int
    headcount: int
    agency: str
    unit: int | None

    resolve_kind = attribute("kind.code")
    resolve_kind_name = attribute("kind.name")
    resolve_agency = attribute("agency.acronym")
    resolve_unit = attribute("unit_id")


class OfferCreate(Schema):
    request: Id | None = Field(None, description="The request offered against; none for an "
                                                 "unsolicited offer")
    incident: Id | None = Field(None, description="For an unsolicited offer")
    lines: list[OfferLineIn] = Field(..., min_length=1, max_length=50)
    self_sustaining: bool = False
    duration_days: int = Field(..., ge=1, le=MAX_OFFER_DAYS)
    available_from: Moment
    cost_terms: CostTermsCode
    estimated_cost: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    currency: str = Field("USD", min_length=3, max_length=3)
    conditions_en: str = Field("", max_length=LONG_TEXT)
    conditions_es: str = Field("", max_length=LONG_TEXT)
    marking: MarkingIn = Field(
        default_factory=MarkingIn,
        description="For an unsolicited offer; an offer against a request is released to "
                    "the requesting nation with disclosure approved")


class OfferUpdate(Schema):
    lines: list[OfferLineIn] | None = Field(None, min_length=1, max_length=50,
                                            description="Replaces every line when sent")
    self_sustaining: bool | None = None
    duration_days: int | None = Field(None, ge=1, le=MAX_OFFER_DAYS)
    available_from: Moment | None = None
    cost_terms: CostTermsCode | None = None
    estimated_cost: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    currency: str | None = Field(None, min_length=3, max_length=3)
    conditions_en: str | None = Field(None, max_length=LONG_TEXT)
    conditions_es: str | None = Field(None, max_length=LONG_TEXT)


class OfferOut(Schema):
    id: int
    request: int | None = Field(..., description="Resource request id, if released to you")
    incident: int | None = Field(..., description="Incident id; null when not released to you")
    offering_organization: str
    offered_by: str
    lines: list[OfferLineOut]
    headcount: int = Field(..., description="Total people")
    self_sustaining: bool
    duration_days: int
    available_from: datetime
    cost_terms: CostTermsCode
    estimated_cost: Decimal | None
    currency: str
    conditions: str = Field(..., description="In your language")
    conditions_en: str
    conditions_es: str
    state: OfferStateCode
    state_reason: str
    created_at: datetime
    marking: MarkingOut

    @staticmethod
    def resolve_request(obj, context):
        return shown_id(context["request"].user, obj, "request")

    @staticmethod
    def resolve_incident(obj, context):
        return shown_id(context["request"].user, obj, "incident")

    resolve_offering_organization = attribute("offering_organization.acronym")
    resolve_offered_by = attribute("offered_by.username")

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())

    @staticmethod
    def resolve_headcount(obj):
        return sum(line.headcount for line in obj.lines.all())

    resolve_marking = staticmethod(MarkingOut.of)


class OfferDetailOut(OfferOut):
    agreements: list[int] = Field(..., description="Agreements on it (ids) you may see")
    transitions: list[TransitionOptionOut]
    may_draw_up: bool = Field(..., description="You may draw up its agreement now")


class OfferTransitionIn(Schema):
    reason: str = Field("", max_length=REASON, description="Required to decline or withdraw")


# ---- Agreements ------------------------------------------------------------------------------

class AidAgreementFilter(Schema):
    incident: Id | None = Field(None, description="Incident id")
    state: AgreementStateCode | None = None
    nation: str | None = Field(None, max_length=3, description="Owner (requesting) nation")
    request: Id | None = Field(None, description="Resource request id")
    offer: Id | None = Field(None, description="Offer id")


class SignatureOut(Schema):
    part: PartCode
    signer: str = Field(..., description="Username")
    signer_name: str
    signer_role: str
    organization: str
    signed_at: datetime
    text_hash: str

    resolve_signer = attribute("signer.username")
    resolve_organization = attribute("organization.acronym")


class AidAgreementOut(Schema):
    id: int
    version: int
    state: AgreementStateCode
    request: int | None
    request_number: str | None
    offer: int
    amends: int | None = Field(..., description="The version it amends (id)")
    amended_by: int | None = Field(..., description="The amendment of it (id)")
    requesting_organization: str
    assisting_organization: str
    terms: dict
    text_en: str
    text_es: str
    text_hash: str = Field(..., description="SHA-256 of the terms and both texts")
    amendment_reason: str
    in_force_at: datetime | None
    created_at: datetime
    signatures: list[SignatureOut]
    verified: bool = Field(..., description="The stored text still matches its hash and "
                                            "every signature")
    marking: MarkingOut

    resolve_request = attribute("request_id")

    @staticmethod
    def resolve_request_number(obj):
        return obj.terms.get("request_number")

    resolve_offer = attribute("offer_id")
    resolve_amends = attribute("amends_id")

    @staticmethod
    def resolve_amended_by(obj):
        amendment = getattr(obj, "amended_by", None)
        return amendment.pk if amendment else None

    resolve_requesting_organization = attribute("requesting_organization.acronym")
    resolve_assisting_organization = attribute("assisting_organization.acronym")

    @staticmethod
    def resolve_signatures(obj):
        return list(obj.signatures.all())

    @staticmethod
    def resolve_verified(obj):
        return verify_agreement(obj)

    # The agreed texts and terms name the incident and the request: a reader who may not see
    # one of them reads "a record not released to you" there instead, as on the pages.
    @staticmethod
    def resolve_text_en(obj, context):
        return agreed_text(context["request"].user, obj, "en")

    @staticmethod
    def resolve_text_es(obj, context):
        return agreed_text(context["request"].user, obj, "es")

    @staticmethod
    def resolve_terms(obj, context):
        return agreed_terms(context["request"].user, obj)

    resolve_marking = staticmethod(MarkingOut.of)


class AmendmentLineIn(Schema):
    quantity: int | None = Field(None, ge=1, le=MAX_QUANTITY)
    headcount: int | None = Field(None, ge=0, le=MAX_PEOPLE)


class AmendmentIn(Schema):
    reason: str = Field(..., min_length=1, max_length=REASON)
    duration_days: int | None = Field(None, ge=1, le=MAX_OFFER_DAYS)
    available_from: Moment | None = None
    self_sustaining: bool | None = None
    cost_terms: CostTermsCode | None = None
    estimated_cost: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    currency: str | None = Field(None, min_length=3, max_length=3)
    conditions_en: str | None = Field(None, max_length=LONG_TEXT)
    conditions_es: str | None = Field(None, max_length=LONG_TEXT)
    lines: list[AmendmentLineIn] | None = Field(
        None, max_length=50, description="Every agreed line, in order, with its new quantity "
                                         "or headcount")
