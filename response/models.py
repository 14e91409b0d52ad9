"""Cross-border mutual aid: incidents, resource kinds and units, resource requests (ICS-213RR),
offers, the three-part signed agreement, deployments through ports of entry, check-ins and
work/rest, and costs."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Nation
from core.bounds import MAX_PEOPLE, MAX_QUANTITY, REASON, LongTextField
from core.models import MarkedModel, localized, marking_permissions

LATITUDE = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE = [MinValueValidator(-180), MaxValueValidator(180)]
QUANTITY = [MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)]
PEOPLE = [MaxValueValidator(MAX_PEOPLE)]
MAX_OFFER_DAYS = 28  # 14 days on assignment and at most 14 more by extension
CLOCK_SKEW = timedelta(minutes=5)  # a start "now" on a clock a little ahead is not the future


# ---- Reference data (not partnership data: the same for every nation) ----------------------

class ResourceKind(models.Model):
    """A kind of resource exchanged in mutual aid, from the project's resource-type crosswalk
    (NIMS/RTLT and NWCG ↔ CONAFOR, DEFENSA and civil-protection terms)."""

    # The crosswalk's categories (response/data/resource_types.csv), shown in the reader's
    # language; the stored value stays the data's English key.
    CATEGORIES = {
        "Fire/HazMat": pgettext_lazy("resource category", "Fire/HazMat"),
        "SAR": pgettext_lazy("resource category", "SAR"),
        "EMS": pgettext_lazy("resource category", "EMS"),
        "Mass Care": pgettext_lazy("resource category", "Mass Care"),
        "Aviation": pgettext_lazy("resource category", "Aviation"),
        "Logistics": pgettext_lazy("resource category", "Logistics"),
        "Communications": pgettext_lazy("resource category", "Communications"),
        "Military support": pgettext_lazy("resource category", "Military support"),
        "Cyber": pgettext_lazy("resource category", "Cyber"),
    }

    code = models.CharField(_("code"), max_length=32, unique=True)
    rtlt_id = models.CharField(_("RTLT id"), max_length=32, blank=True)
    category = models.CharField(_("category"), max_length=64)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    typical_personnel = models.PositiveIntegerField(_("typical headcount"), null=True,
                                                    blank=True, validators=PEOPLE)
    typical_equipment = LongTextField(_("typical equipment"), blank=True)
    substitutes = models.ManyToManyField("self", symmetrical=False, blank=True,
                                         related_name="substitute_for",
                                         verbose_name=_("acceptable substitutes"))
    substitutes_note = LongTextField(_("substitution notes"), blank=True)
    notes = LongTextField(_("sources and notes"), blank=True)

    class Meta:
        ordering = ["category", "code"]
        verbose_name = _("resource kind")
        verbose_name_plural = _("resource kinds")

    def __str__(self):
        return f"{self.code} — {self.name}"

    @property
    def name(self):
        return localized(self, "name")

    @property
    def category_label(self):
        return self.CATEGORIES.get(self.category, self.category)


class PortOfEntry(models.Model):
    """A land port on the California–Baja California border, with the hours Enlace plans with
    (empty opens/closes: open 24 hours)."""

    class Days(models.TextChoices):
        DAILY = "daily", pgettext_lazy("port days", "Every day")
        MON_FRI = "mon-fri", pgettext_lazy("port days", "Monday to Friday")

    TIME_ZONE = "America/Los_Angeles"  # the border's clock (Baja California follows it)

    key = models.CharField(_("key"), max_length=16, unique=True)
    code = models.CharField(_("port code"), max_length=8)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    us_city = models.CharField(_("US city"), max_length=100)
    mx_city = models.CharField(_("Mexican city"), max_length=100)
    latitude = models.FloatField(_("latitude"), validators=LATITUDE)
    longitude = models.FloatField(_("longitude"), validators=LONGITUDE)
    commercial = models.BooleanField(_("commercial (cargo)"), default=False)
    hours_en = LongTextField(_("published hours (English)"), blank=True)
    hours_es = LongTextField(_("published hours (Spanish)"), blank=True)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    days = models.CharField(_("days open"), max_length=8, choices=Days.choices,
                            default=Days.DAILY)
    hours_provisional = models.BooleanField(
        _("hours provisional"), default=False,
        help_text=_("The source marks these hours unconfirmed: check before relying on them."))
    notes = LongTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["longitude"]
        verbose_name = _("port of entry")
        verbose_name_plural = _("ports of entry")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return localized(self, "name")

    @property
    def hours_text(self):
        """The hours as the source publishes them, in the reader's language."""
        return localized(self, "hours")

    @property
    def open_all_day(self):
        return self.opens is None or self.closes is None

    @property
    def hours_label(self):
        """The hours Enlace plans with, in the reader's language."""
        hours = (_("Open 24 hours") if self.open_all_day
                 else f"{self.opens:%H:%M}–{self.closes:%H:%M}")
        return f"{hours}, {self.get_days_display().lower()}"


# ---- Incidents and units ---------------------------------------------------------------------

class Incident(MarkedModel):
    class Kind(models.TextChoices):
        WILDFIRE = "wildfire", pgettext_lazy("incident kind", "Wildfire")
        EARTHQUAKE = "earthquake", pgettext_lazy("incident kind", "Earthquake")
        HURRICANE = "hurricane", pgettext_lazy("incident kind", "Hurricane")
        FLOOD = "flood", pgettext_lazy("incident kind", "Flood")
        HAZMAT = "hazmat", pgettext_lazy("incident kind", "Hazardous materials")
        BORDER_ZONE = "border_zone", pgettext_lazy("incident kind", "Border-zone event")
        OTHER = "other", pgettext_lazy("incident kind", "Other")

    class Status(models.TextChoices):
        # Contexts: Spanish agrees the adjective with "incidente" (masculine).
        ACTIVE = "active", pgettext_lazy("incident status", "Active")
        CONTAINED = "contained", pgettext_lazy("incident status", "Contained")
        CLOSED = "closed", pgettext_lazy("incident status", "Closed")

    class Channel(models.TextChoices):
        DIRECT = "direct", pgettext_lazy("request channel",
                                         "Direct between neighbouring agencies (border zone)")
        NATIONAL = "national", pgettext_lazy("request channel", "Through national channels")

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    latitude = models.FloatField(_("latitude"), validators=LATITUDE)
    longitude = models.FloatField(_("longitude"), validators=LONGITUDE)
    perimeter = models.JSONField(_("perimeter (GeoJSON polygon)"), null=True, blank=True)
    country = models.ForeignKey("accounts.Nation", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("country"))
    state_region = models.CharField(_("state"), max_length=64, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    started_at = models.DateTimeField(_("start"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.ACTIVE)
    ics_number = models.CharField(_("ICS incident number"), max_length=64, blank=True)
    host_agency = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("host agency"))
    # Derived from the point on every save (response.geo), stored so lists can filter by them.
    border_distance_km = models.FloatField(_("distance to the border (km)"), editable=False)
    request_channel = models.CharField(_("request channel"), max_length=10,
                                       choices=Channel.choices, editable=False)

    class Meta:
        ordering = ["-started_at", "pk"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        permissions = marking_permissions("incident")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return localized(self, "name")

    def clean(self):
        """An incident has started (it is active, contained or closed), and a point in
        California or the Baja California peninsula is in the country on its side of the line."""
        from response import geo

        errors = {}
        if self.started_at and self.started_at > timezone.now() + CLOCK_SKEW:
            errors["started_at"] = _("An incident cannot start in the future.")
        if (self.country_id and isinstance(self.latitude, int | float)
                and isinstance(self.longitude, int | float)):
            side = geo.country_of_point(self.latitude, self.longitude)
            if side and self.country.code != side:
                errors["country"] = _(
                    "The point lies in %(side)s, not in %(country)s: correct the point or the "
                    "country.") % {"side": Nation.objects.get(code=side).name,
                                   "country": self.country.name}
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        from response import geo

        self.border_distance_km = round(geo.distance_to_boundary_km(self.latitude,
                                                                    self.longitude), 1)
        self.request_channel = (self.Channel.DIRECT
                                if self.border_distance_km <= geo.BORDER_ZONE_KM
                                else self.Channel.NATIONAL)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("response:incident", args=[self.pk])


class Unit(MarkedModel):
    """A unit or team an organization can send: a hand crew, a USAR task force, a helicopter."""

    class Availability(models.TextChoices):
        AVAILABLE = "available", pgettext_lazy("unit availability", "Available")
        COMMITTED = "committed", pgettext_lazy("unit availability", "Committed")
        DEPLOYED = "deployed", pgettext_lazy("unit availability", "Deployed")
        OUT_OF_SERVICE = "out_of_service", pgettext_lazy("unit availability", "Out of service")

    name = models.CharField(_("name"), max_length=200)
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                                     related_name="units", verbose_name=_("organization"))
    kind = models.ForeignKey(ResourceKind, on_delete=models.PROTECT, related_name="units",
                             verbose_name=_("kind"))
    home_base = models.CharField(_("home base"), max_length=200)
    home_latitude = models.FloatField(_("home latitude"), validators=LATITUDE)
    home_longitude = models.FloatField(_("home longitude"), validators=LONGITUDE)
    headcount = models.PositiveIntegerField(_("headcount"), default=0, validators=PEOPLE)
    qualifications = LongTextField(_("qualifications"), blank=True)
    languages = models.CharField(_("languages"), max_length=64, blank=True,
                                 help_text=_("ISO 639-1 codes, comma-separated: en, es."))
    availability = models.CharField(_("availability"), max_length=16,
                                    choices=Availability.choices,
                                    default=Availability.AVAILABLE)
    available_from = models.DateTimeField(_("available from"), null=True, blank=True)
    available_until = models.DateTimeField(_("available until"), null=True, blank=True)
    held_for_home_coverage = models.BooleanField(
        _("held for home coverage"), default=False,
        help_text=_("Kept at home so the sending jurisdiction is not drawn down."))
    cross_border_eligible = models.BooleanField(_("may cross the border"), default=False)
    air_capable = models.BooleanField(_("can deploy by air"), default=False)

    class Meta:
        ordering = ["organization", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        permissions = marking_permissions("unit")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("response:unit", args=[self.pk])


# ---- Requests, offers and the agreement ------------------------------------------------------

class ResourceRequest(MarkedModel):
    """An ICS-213RR resource request (EDXL-RM RequestResource)."""
    MARKING_PARENTS = ("incident",)

    class Priority(models.TextChoices):
        URGENT = "urgent", pgettext_lazy("request priority", "Urgent")
        HIGH = "high", pgettext_lazy("request priority", "High")
        ROUTINE = "routine", pgettext_lazy("request priority", "Routine")

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("resource request state", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("resource request state", "Submitted")
        PARTIALLY_FILLED = "partially_filled", pgettext_lazy("resource request state",
                                                             "Partially filled")
        FILLED = "filled", pgettext_lazy("resource request state", "Filled")
        CLOSED = "closed", pgettext_lazy("resource request state", "Closed")
        CANCELLED = "cancelled", pgettext_lazy("resource request state", "Cancelled")
        UNABLE_TO_FILL = "unable_to_fill", pgettext_lazy("resource request state", "Unable to fill")

    # A draft is the requesting nation's own business until it is submitted.
    HELD_BACK = models.Q(state=State.DRAFT)

    number = models.CharField(_("request number"), max_length=32)
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="requests",
                                 verbose_name=_("incident"))
    requesting_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("requesting organization"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("requested by"))
    kind = models.ForeignKey(ResourceKind, on_delete=models.PROTECT, related_name="requests",
                             verbose_name=_("kind"))
    quantity = models.PositiveIntegerField(_("quantity"), validators=QUANTITY)
    needed_by = models.DateTimeField(_("needed by"))
    reporting_location = models.CharField(_("reporting location"), max_length=200)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices,
                                default=Priority.ROUTINE)
    special_instructions = LongTextField(_("special instructions"), blank=True)
    substitutes_acceptable = models.BooleanField(_("substitutes acceptable"), default=False)
    state = models.CharField(_("state"), max_length=16, choices=State.choices,
                             default=State.DRAFT)
    state_reason = LongTextField(_("reason"), max_length=REASON, blank=True)
    escalated_at = models.DateTimeField(
        _("escalated to the partner nation"), null=True, blank=True,
        help_text=_("When a request that could not be filled at home was released to the "
                    "partner nation."))

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("resource request")
        verbose_name_plural = _("resource requests")
        permissions = [*marking_permissions("resourcerequest"),
                       ("transition_resourcerequest", "Can move resource requests through "
                                                      "their lifecycle")]
        constraints = [models.UniqueConstraint(fields=["owner_nation", "number"],
                                               name="one_request_number_per_nation")]

    def __str__(self):
        return f"{self.number} — {self.kind.name} × {self.quantity}"

    def clean(self):
        if self.needed_by and self.incident_id and self.needed_by < self.incident.started_at:
            raise ValidationError({"needed_by": _(
                "A request cannot be needed before its incident started.")})

    def get_absolute_url(self):
        return reverse("response:request", args=[self.pk])


class Offer(MarkedModel):
    """An offer of resources, against a request or unsolicited (EDXL-RM
    OfferUnsolicitedResource). The offering nation owns it."""
    MARKING_PARENTS = ("incident", "request")

    class CostTerms(models.TextChoices):
        REIMBURSABLE = "reimbursable", pgettext_lazy("offer cost terms", "Reimbursable")
        DONATED = "donated", pgettext_lazy("offer cost terms", "Donated")

    class State(models.TextChoices):
        OFFERED = "offered", pgettext_lazy("offer state", "Offered")
        UNDER_REVIEW = "under_review", pgettext_lazy("offer state", "Under review")
        ACCEPTED = "accepted", pgettext_lazy("offer state", "Accepted")
        DECLINED = "declined", pgettext_lazy("offer state", "Declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("offer state", "Withdrawn")

    request = models.ForeignKey(ResourceRequest, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="offers",
                                verbose_name=_("resource request"))
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="offers",
                                 verbose_name=_("incident"))
    offering_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("offering organization"))
    offered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("offered by"))
    self_sustaining = models.BooleanField(
        _("self-sustaining"), default=False,
        help_text=_("Brings its own food, water, shelter and fuel for the duration."))
    duration_days = models.PositiveIntegerField(
        _("duration (days)"), validators=[MinValueValidator(1), MaxValueValidator(MAX_OFFER_DAYS)])
    available_from = models.DateTimeField(_("available from"))
    cost_terms = models.CharField(_("cost terms"), max_length=16, choices=CostTerms.choices)
    estimated_cost = models.DecimalField(_("estimated cost"), max_digits=12, decimal_places=2,
                                         null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    conditions_en = LongTextField(_("conditions (English)"), blank=True)
    conditions_es = LongTextField(_("conditions (Spanish)"), blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices,
                             default=State.OFFERED)
    state_reason = LongTextField(_("reason"), max_length=REASON, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        permissions = [*marking_permissions("offer"),
                       ("transition_offer", "Can move offers through their lifecycle")]

    def __str__(self):
        return _("Offer %(number)s from %(organization)s") % {
            "number": self.pk, "organization": self.offering_organization.acronym}

    @property
    def conditions(self):
        return localized(self, "conditions")

    def get_absolute_url(self):
        return reverse("response:offer", args=[self.pk])


class OfferLine(models.Model):
    """What an offer sends: a kind, how many, the people, and whose they are. Read through its
    offer."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="lines",
                              verbose_name=_("offer"))
    kind = models.ForeignKey(ResourceKind, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("kind"))
    quantity = models.PositiveIntegerField(_("quantity"), validators=QUANTITY)
    headcount = models.PositiveIntegerField(_("headcount"), default=0, validators=PEOPLE)
    agency = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("agency"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="offer_lines", verbose_name=_("unit"))

    class Meta:
        ordering = ["offer", "pk"]
        verbose_name = _("offer line")
        verbose_name_plural = _("offer lines")

    def __str__(self):
        return f"{self.kind.code} × {self.quantity} ({self.headcount})"


class AidAgreement(MarkedModel):
    """The EMAC-style agreement in three parts — request, offer, acceptance — each signed by an
    authorized user of the right organization. The agreed text is fixed when the agreement is
    drawn up; an amendment is a new version that needs all three signatures again and, once in
    force, supersedes the one before."""
    MARKING_PARENTS = ("offer",)

    class State(models.TextChoices):
        AWAITING_SIGNATURES = "awaiting", pgettext_lazy("aid agreement state",
                                                        "Awaiting signatures")
        IN_FORCE = "in_force", pgettext_lazy("aid agreement state", "In force")
        SUPERSEDED = "superseded", pgettext_lazy("aid agreement state",
                                                 "Superseded by an amendment")
        VOID = "void", pgettext_lazy("aid agreement state", "Void")

    request = models.ForeignKey(ResourceRequest, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="agreements",
                                verbose_name=_("resource request"))
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="agreements",
                              verbose_name=_("offer"))
    version = models.PositiveIntegerField(_("version"), default=1)
    amends = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="amended_by", verbose_name=_("amends"))
    requesting_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("requesting organization"))
    assisting_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("assisting organization"))
    terms = models.JSONField(_("agreed terms"))
    text_en = models.TextField(_("agreed text (English)"))
    text_es = models.TextField(_("agreed text (Spanish)"))
    text_hash = models.CharField(_("SHA-256 of the agreed text"), max_length=64)
    amendment_reason = LongTextField(_("reason for the amendment"), max_length=REASON, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.AWAITING_SIGNATURES)
    in_force_at = models.DateTimeField(_("in force since"), null=True, blank=True)

    # The assisting nation signs the offer part of an agreement it does not own.
    PARTNER_ACTIONS = frozenset({"sign"})

    class Meta:
        ordering = ["offer", "version"]
        verbose_name = _("mutual aid agreement")
        verbose_name_plural = _("mutual aid agreements")
        permissions = [*marking_permissions("aidagreement"),
                       ("sign_aidagreement", "Can sign mutual aid agreements")]
        constraints = [models.UniqueConstraint(fields=["offer", "version"],
                                               name="one_agreement_version_per_offer")]

    def __str__(self):
        return _("Agreement for offer %(offer)s, version %(version)s") % {
            "offer": self.offer_id, "version": self.version}

    @property
    def text(self):
        return localized(self, "text")

    def get_absolute_url(self):
        return reverse("response:agreement", args=[self.pk])


class Signature(models.Model):
    """A recorded approval of one part of an agreement: who, in what role and organization,
    when, and the hash of the exact text they approved. Never changed once made."""

    class Part(models.TextChoices):
        REQUEST = "request", pgettext_lazy("agreement part", "Request")
        OFFER = "offer", pgettext_lazy("agreement part", "Offer")
        ACCEPTANCE = "acceptance", pgettext_lazy("agreement part", "Acceptance")

    agreement = models.ForeignKey(AidAgreement, on_delete=models.PROTECT,
                                  related_name="signatures", verbose_name=_("agreement"))
    part = models.CharField(_("part"), max_length=12, choices=Part.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("signer"))
    signer_name = models.CharField(_("name"), max_length=200)
    signer_role = models.CharField(_("role"), max_length=100)
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organization"))
    signed_at = models.DateTimeField(_("signed"))
    text_hash = models.CharField(_("SHA-256 of the signed text"), max_length=64)

    class Meta:
        ordering = ["agreement", "signed_at", "pk"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [models.UniqueConstraint(fields=["agreement", "part"],
                                               name="one_signature_per_part")]

    def __str__(self):
        return f"{self.get_part_display()}: {self.signer_name} ({self.organization.acronym})"


# ---- Deployments -----------------------------------------------------------------------------

class Deployment(MarkedModel):
    """People and equipment sent under an agreement in force, from mobilization to their
    return home."""
    MARKING_PARENTS = ("agreement", "incident")

    class State(models.TextChoices):
        MOBILIZING = "mobilizing", pgettext_lazy("deployment state", "Mobilizing")
        IN_TRANSIT = "in_transit", pgettext_lazy("deployment state", "In transit")
        ARRIVED = "arrived", pgettext_lazy("deployment state", "Arrived and cleared")
        ONBOARDING = "onboarding", pgettext_lazy("deployment state", "Onboarding")
        ASSIGNED = "assigned", pgettext_lazy("deployment state", "Assigned")
        DEMOBILIZING = "demobilizing", pgettext_lazy("deployment state", "Demobilizing")
        RETURNED = "returned", pgettext_lazy("deployment state", "Returned")
        CLOSED = "closed", pgettext_lazy("deployment state", "Closed")

    class Transport(models.TextChoices):
        GROUND = "ground", pgettext_lazy("deployment transport", "Ground, through a port of entry")
        AIR = "air", pgettext_lazy("deployment transport", "Air, into an airport or base")

    agreement = models.ForeignKey(AidAgreement, on_delete=models.PROTECT,
                                  related_name="deployments", verbose_name=_("agreement"))
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT,
                                 related_name="deployments", verbose_name=_("incident"))
    sending_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("sending organization"))
    host_nation = models.ForeignKey("accounts.Nation", on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("host nation"))
    name = models.CharField(_("name"), max_length=200)
    state = models.CharField(_("state"), max_length=16, choices=State.choices,
                             default=State.MOBILIZING)
    # Transport and the crossing
    transport = models.CharField(_("transport"), max_length=8, choices=Transport.choices)
    port = models.ForeignKey(PortOfEntry, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="deployments", verbose_name=_("port of entry"))
    arrival_airport = models.CharField(_("airport or base of arrival"), max_length=200,
                                       blank=True)
    planned_crossing_at = models.DateTimeField(_("planned crossing or arrival"), null=True,
                                               blank=True)
    reception_site = models.CharField(_("reception site"), max_length=200, blank=True)
    carries_equipment = models.BooleanField(
        _("brings equipment, vehicles or aircraft"), default=False,
        help_text=_("A customs manifest is then part of the crossing checklist."))
    # The crossing checklist: when each item was completed (empty: not yet).
    host_notified_at = models.DateTimeField(_("host government notified"), null=True,
                                            blank=True)
    identity_documents_at = models.DateTimeField(_("identity documents checked"), null=True,
                                                 blank=True)
    visas_at = models.DateTimeField(_("visas or diplomatic note in hand"), null=True,
                                    blank=True)
    credentials_at = models.DateTimeField(_("agency IDs and qualification records checked"),
                                          null=True, blank=True)
    customs_manifest_at = models.DateTimeField(_("customs manifest filed"), null=True,
                                               blank=True)
    designated_entry_at = models.DateTimeField(
        _("entered at a designated port or airport"), null=True, blank=True)
    host_cleared_at = models.DateTimeField(
        _("host acknowledged the team is cleared to operate"), null=True, blank=True)
    # Assignment
    assignment_division = models.CharField(_("division or group"), max_length=100, blank=True)
    assignment_crew = models.CharField(_("crew"), max_length=100, blank=True)
    supervisor = models.CharField(_("supervisor"), max_length=200, blank=True)
    # The work clock: 14 days on assignment excluding travel, plus an approved extension.
    departed_at = models.DateTimeField(_("departed home"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived and cleared"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    demobilized_at = models.DateTimeField(_("demobilization started"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned home"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(
        _("approved extension (days)"), default=0, validators=[MaxValueValidator(14)])
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("extension approved by"))

    # The host nation reports check-ins, daily status and shifts for a team it did not send.
    PARTNER_ACTIONS = frozenset({"report"})

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        permissions = [*marking_permissions("deployment"),
                       ("transition_deployment", "Can move deployments through their "
                                                 "lifecycle"),
                       ("report_deployment", "Can record check-ins, status and shifts of "
                                             "deployments")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("response:deployment", args=[self.pk])


class OnboardingItem(models.Model):
    """One thing to do on arrival (equipment fitting, the safety briefing). Read through its
    deployment."""

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE,
                                   related_name="onboarding_items",
                                   verbose_name=_("deployment"))
    text_en = models.CharField(_("item (English)"), max_length=200)
    text_es = models.CharField(_("item (Spanish)"), max_length=200)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+", verbose_name=_("done by"))

    class Meta:
        ordering = ["deployment", "pk"]
        verbose_name = _("onboarding item")
        verbose_name_plural = _("onboarding items")

    def __str__(self):
        return localized(self, "text")

    @property
    def text(self):
        return localized(self, "text")


class RosterMember(MarkedModel):
    """A person on a deployment's roster, with credentials and languages. Released like the
    deployment."""
    MARKING_PARENTS = ("deployment",)
    MARKING_FOLLOWS = "deployment"  # released exactly like the deployment

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE,
                                   related_name="roster", verbose_name=_("deployment"))
    full_name = models.CharField(_("full name"), max_length=200)
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organization"))
    position = models.CharField(_("position"), max_length=100, blank=True)
    credentials = LongTextField(_("credentials and qualifications"), blank=True)
    languages = models.CharField(_("languages"), max_length=64, blank=True,
                                 help_text=_("ISO 639-1 codes, comma-separated: en, es."))
    agency_id = models.CharField(_("agency ID"), max_length=64, blank=True)

    class Meta:
        ordering = ["deployment", "full_name", "pk"]
        verbose_name = _("roster member")
        verbose_name_plural = _("roster members")
        permissions = marking_permissions("rostermember")

    def __str__(self):
        return self.full_name


class CheckIn(models.Model):
    """An ICS-211 (SCI-211) check-in or status update of one roster member. Read through its
    deployment."""

    class Status(models.TextChoices):
        CHECKED_IN = "checked_in", pgettext_lazy("check-in status", "Checked in")
        AVAILABLE = "available", pgettext_lazy("check-in status", "Available")
        ASSIGNED = "assigned", pgettext_lazy("check-in status", "Assigned")
        OUT_OF_SERVICE = "out_of_service", pgettext_lazy("check-in status", "Out of service")
        DEMOBILIZED = "demobilized", pgettext_lazy("check-in status", "Demobilized")

    member = models.ForeignKey(RosterMember, on_delete=models.CASCADE,
                               related_name="check_ins", verbose_name=_("roster member"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    location = models.CharField(_("location"), max_length=200)
    at = models.DateTimeField(_("time"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        indexes = [models.Index(fields=["member", "-at"])]

    def __str__(self):
        return f"{self.member}: {self.get_status_display()} @ {self.location}"


class DailyStatus(models.Model):
    """The deployment's daily status report. Read through its deployment."""

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE,
                                   related_name="daily_status", verbose_name=_("deployment"))
    day = models.DateField(_("day"))
    summary_en = LongTextField(_("summary (English)"), blank=True)
    summary_es = LongTextField(_("summary (Spanish)"), blank=True)
    personnel_on_duty = models.PositiveIntegerField(_("personnel on duty"), default=0,
                                                    validators=PEOPLE)
    injuries = models.PositiveIntegerField(_("injuries"), default=0, validators=PEOPLE)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))

    class Meta:
        ordering = ["deployment", "-day"]
        verbose_name = _("daily status")
        verbose_name_plural = _("daily status reports")
        constraints = [models.UniqueConstraint(fields=["deployment", "day"],
                                               name="one_daily_status_per_day")]

    def __str__(self):
        return f"{self.deployment}: {self.day}"

    @property
    def summary(self):
        return localized(self, "summary")


class ShiftLog(models.Model):
    """One operational period worked by the deployment's crews, for the 2:1 work/rest check.
    Read through its deployment."""

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE,
                                   related_name="shifts", verbose_name=_("deployment"))
    started_at = models.DateTimeField(_("shift start"))
    ended_at = models.DateTimeField(_("shift end"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))

    class Meta:
        ordering = ["deployment", "started_at"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [models.CheckConstraint(
            condition=models.Q(ended_at__gt=models.F("started_at")),
            name="shift_ends_after_start")]

    def __str__(self):
        return f"{self.deployment}: {self.started_at:%Y-%m-%d %H:%M}"


class DeploymentCost(MarkedModel):
    """An actual cost of a deployment and where its reimbursement stands."""
    MARKING_PARENTS = ("deployment",)
    MARKING_FOLLOWS = "deployment"  # released exactly like the deployment

    class Category(models.TextChoices):
        PERSONNEL = "personnel", pgettext_lazy("cost category", "Personnel")
        TRAVEL = "travel", pgettext_lazy("cost category", "Travel")
        EQUIPMENT = "equipment", pgettext_lazy("cost category", "Equipment")
        LODGING = "lodging", pgettext_lazy("cost category", "Lodging and meals")
        SUPPLIES = "supplies", pgettext_lazy("cost category", "Supplies")
        OTHER = "other", pgettext_lazy("cost category", "Other")

    class Reimbursement(models.TextChoices):
        NOT_CLAIMED = "not_claimed", pgettext_lazy("reimbursement", "Not claimed")
        CLAIMED = "claimed", pgettext_lazy("reimbursement", "Claimed")
        APPROVED = "approved", pgettext_lazy("reimbursement", "Approved")
        PAID = "paid", pgettext_lazy("reimbursement", "Paid")
        DONATED = "donated", pgettext_lazy("reimbursement", "Donated (not reimbursed)")

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="costs",
                                   verbose_name=_("deployment"))
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    description = models.CharField(_("description"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    reimbursement = models.CharField(_("reimbursement"), max_length=12,
                                     choices=Reimbursement.choices,
                                     default=Reimbursement.NOT_CLAIMED)

    class Meta:
        ordering = ["deployment", "category", "pk"]
        verbose_name = _("deployment cost")
        verbose_name_plural = _("deployment costs")
        permissions = marking_permissions("deploymentcost")

    def __str__(self):
        return f"{self.get_category_display()}: {self.amount} {self.currency}"


# ---- Allocation proposals (the optimizer's plans for the duty officer) ----------------------

class AllocationProposal(MarkedModel):
    """A plan the optimizer proposed for open requests and available units, saved with the exact
    instance it solved so it can be replayed. The duty officer reviews it, pins or excludes
    assignments and solves again (a new proposal), and accepts it: accepting makes offers
    through the mutual-aid services, so every guard and signature still applies."""
    MARKING_PARENTS = ("incident",)

    class State(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("allocation proposal state", "Queued")
        SOLVING = "solving", pgettext_lazy("allocation proposal state", "Solving")
        READY = "ready", pgettext_lazy("allocation proposal state", "Ready for review")
        FAILED = "failed", pgettext_lazy("allocation proposal state", "Failed")
        # Context: Spanish agrees the adjective with "propuesta" (feminine).
        ACCEPTED = "accepted", pgettext_lazy("allocation proposal state", "Accepted")
        DISCARDED = "discarded", pgettext_lazy("allocation proposal state", "Discarded")

    class Solver(models.TextChoices):
        FLOW = "flow", pgettext_lazy("allocation solver", "Exact min-cost flow")
        MILP = "milp", pgettext_lazy("allocation solver",
                                     "Mixed-integer program (with the liaison rule)")
        GREEDY = "greedy", pgettext_lazy("allocation solver", "Closest available in priority order")

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="proposals", verbose_name=_("incident"),
                                 help_text=_("Empty: every active incident."))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("requested by"))
    solver = models.CharField(_("solver"), max_length=8, choices=Solver.choices,
                              default=Solver.FLOW)
    liaison_rule = models.BooleanField(
        _("liaison rule"), default=True,
        help_text=_("At least one Spanish–English speaker among the resources sent across "
                    "the border to an incident."))
    time_limit = models.FloatField(_("time limit (seconds)"), default=10.0,
                                   validators=[MinValueValidator(0.1), MaxValueValidator(300)])
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0,
                                                validators=[MaxValueValidator(100)])
    progress_note = models.CharField(_("progress"), max_length=200, blank=True)
    instance = models.JSONField(_("instance solved"), null=True, blank=True)
    plan = models.JSONField(_("plan"), null=True, blank=True)
    pins = models.JSONField(_("pinned assignments"), default=list, blank=True)
    exclusions = models.JSONField(_("excluded assignments"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    timings = models.JSONField(
        _("time taken (seconds)"), default=dict, blank=True,
        help_text=_("Seconds spent in each step: building the instance, saving it, reading it "
                    "in the job, the solver's phases, the independent check and storing."))
    resolves = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="resolved_by", verbose_name=_("solved again from"))
    solved_at = models.DateTimeField(_("solved"), null=True, blank=True)
    # The job's claim: a job solving the proposal holds it until `lease_until`; a worker that
    # died leaves the claim to lapse, and the proposal is solved again by a new attempt
    # (response.services.allocation.run_proposal, requeue_stalled).
    attempts = models.PositiveSmallIntegerField(_("solving attempts"), default=0)
    lease_until = models.DateTimeField(_("solving claimed until"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    offers = models.ManyToManyField(Offer, blank=True, related_name="proposals",
                                    verbose_name=_("offers made"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("allocation proposal")
        verbose_name_plural = _("allocation proposals")
        permissions = marking_permissions("allocationproposal")

    def __str__(self):
        return _("Allocation proposal %(number)s") % {"number": self.pk}

    def get_absolute_url(self):
        return reverse("response:proposal", args=[self.pk])
