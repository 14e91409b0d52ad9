"""Border coordination: events on the California–Baja California line that need both nations at
once (a wildfire crossing the line, sewage in the Tijuana River, a port closed…), their
timeline, and the counterpart notification protocol."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.bounds import REASON, LongTextField
from core.models import MarkedModel, localized, marking_permissions
from core.validators import validate_year
from response.models import LATITUDE, LONGITUDE, Incident

# What every page and notice of an exercise event says, in the reader's language; notices
# that carry both languages take EXERCISE_WORD's.
EXERCISE_BANNER = pgettext_lazy("exercise banner", "EXERCISE EXERCISE EXERCISE")
EXERCISE_WORD = {"en": "EXERCISE", "es": "EJERCICIO"}


def exercise_banner(language):
    """The banner in `language` ("en" or "es"), whatever the reader's."""
    return " ".join([EXERCISE_WORD[language]] * 3)


class Side(models.TextChoices):
    """The side of the California–Baja California line."""
    USA = "USA", pgettext_lazy("side of the line", "United States side")
    MEX = "MEX", pgettext_lazy("side of the line", "Mexican side")


# ---- Reference data (not partnership data: the same for every nation) ----------------------

class BorderEventKind(models.Model):
    """A kind of border event; the list is seeded (border.reference) and an administrator may
    add to it or retire a kind (inactive kinds are not offered for new events)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    incident_kind = models.CharField(
        _("kind of incident it opens"), max_length=16, choices=Incident.Kind.choices,
        default=Incident.Kind.BORDER_ZONE,
        help_text=_("The kind of mutual-aid incident an event of this kind opens."))
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("border event kind")
        verbose_name_plural = _("border event kinds")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return localized(self, "name")


# ---- Border events ---------------------------------------------------------------------------

class BorderEvent(MarkedModel):
    """An event on or near the line that needs both nations: where and when it is, how severe,
    who reported it, and the mutual-aid incident it opened, if any. The side of the line and the
    distance to it are derived from the point on every save (response.geo)."""

    class Severity(models.TextChoices):
        # CAP 1.2's severity words.
        MINOR = "minor", pgettext_lazy("event severity", "Minor")
        MODERATE = "moderate", pgettext_lazy("event severity", "Moderate")
        SEVERE = "severe", pgettext_lazy("event severity", "Severe")
        EXTREME = "extreme", pgettext_lazy("event severity", "Extreme")

    class State(models.TextChoices):
        # Contexts: Spanish agrees the adjective with "evento" (masculine).
        REPORTED = "reported", pgettext_lazy("border event state", "Reported")
        CONFIRMED = "confirmed", pgettext_lazy("border event state", "Confirmed")
        CONTAINED = "contained", pgettext_lazy("border event state", "Contained")
        CLOSED = "closed", pgettext_lazy("border event state", "Closed")

    kind = models.ForeignKey(BorderEventKind, on_delete=models.PROTECT, related_name="events",
                             verbose_name=_("kind"))
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    description_en = LongTextField(_("description (English)"), blank=True)
    description_es = LongTextField(_("description (Spanish)"), blank=True)
    latitude = models.FloatField(_("latitude"), validators=LATITUDE)
    longitude = models.FloatField(_("longitude"), validators=LONGITUDE)
    perimeter = models.JSONField(_("perimeter (GeoJSON polygon)"), null=True, blank=True)
    claimed_side = models.CharField(
        _("side of the line (as reported)"), max_length=3, choices=Side.choices, blank=True,
        help_text=_("The side the reporter says the point is on; Enlace checks it against the "
                    "point."))
    started_at = models.DateTimeField(_("started"), validators=[validate_year])
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True,
                                    validators=[validate_year])
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices,
                                default=Severity.MODERATE)
    reporting_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("reporting organization"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("reported by"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.REPORTED)
    state_reason = LongTextField(_("reason"), max_length=REASON, blank=True)
    is_exercise = models.BooleanField(
        _("exercise"), default=False,
        help_text=_("An exercise event: marked EXERCISE on every page and never counted with "
                    "real events."))
    incident = models.OneToOneField(
        Incident, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="border_event", verbose_name=_("mutual-aid incident"),
        help_text=_("The mutual-aid incident this event opened."))
    # A port closure is about one side's lanes, not about a place: its side is the side of
    # those lanes (the port status report's), whatever side the port's point falls on.
    lanes_side = models.CharField(
        _("lanes of (port closure)"), max_length=3, choices=Side.choices, blank=True,
        editable=False,
        help_text=_("For a port closure: the side whose lanes closed, which is the event's "
                    "side of the line."))
    # Derived from the point on every save (response.geo), stored so lists can filter by them;
    # a port closure's side is its lanes' side.
    side = models.CharField(_("side of the line"), max_length=3, choices=Side.choices,
                            editable=False)
    border_distance_km = models.FloatField(_("distance to the line (km)"), editable=False)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("border event")
        verbose_name_plural = _("border events")
        permissions = [*marking_permissions("borderevent"),
                       ("transition_borderevent", "Can move border events through their "
                                                  "lifecycle")]
        indexes = [models.Index(fields=["is_exercise", "state"])]

    def __str__(self):
        return self.title or self.kind.name

    @property
    def title(self):
        return localized(self, "title")

    @property
    def description(self):
        return localized(self, "description")

    def save(self, *args, **kwargs):
        from response import geo

        self.side = self.lanes_side or geo.side_of_boundary(self.latitude, self.longitude)
        self.border_distance_km = round(geo.distance_to_boundary_km(self.latitude,
                                                                    self.longitude), 1)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("border:event", args=[self.pk])


class TimelineEntry(MarkedModel):
    """An observation, action or decision on an event's timeline, written in either language by
    either nation. Released exactly like its event."""
    MARKING_PARENTS = ("event",)
    MARKING_FOLLOWS = "event"

    class Kind(models.TextChoices):
        OBSERVATION = "observation", pgettext_lazy("timeline entry kind", "Observation")
        ACTION = "action", pgettext_lazy("timeline entry kind", "Action")
        DECISION = "decision", pgettext_lazy("timeline entry kind", "Decision")

    class Language(models.TextChoices):
        EN = "en", pgettext_lazy("language", "English")
        ES = "es", pgettext_lazy("language", "Spanish")

    event = models.ForeignKey(BorderEvent, on_delete=models.CASCADE, related_name="timeline",
                              verbose_name=_("border event"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices,
                            default=Kind.OBSERVATION)
    text = LongTextField(_("text"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("author"))
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organization"))
    at = models.DateTimeField(_("time"), validators=[validate_year])

    class Meta:
        ordering = ["event", "at", "pk"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        permissions = marking_permissions("timelineentry")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"


# ---- Counterpart notification protocol -------------------------------------------------------
# ContactRule (the binational contact matrix) and Notice (each counterpart notified about an
# event, its deadline, acknowledgement and escalation) live here.

class Channel(models.TextChoices):
    """How a counterpart is reached. Every notice is recorded and shown in Enlace; the channel
    says how the duty contact must also be reached."""
    ENLACE = "enlace", pgettext_lazy("notification channel", "Enlace")
    PHONE = "phone", pgettext_lazy("notification channel", "Phone")
    RADIO = "radio", pgettext_lazy("notification channel", "Radio")
    EMAIL = "email", pgettext_lazy("notification channel", "Email")


class ContactRule(models.Model):
    """A row of the binational contact matrix (reference data, the same for every nation): for
    an event kind on a side of the line, one level of a chain of counterpart contacts — who is
    told, how, within how many minutes. Level 1 is the first duty contact; a notice left
    unacknowledged escalates to the next level of its chain (the next contact, then the
    national channel). Loaded from border/data/contact_matrix.csv by `enlace
    load_contact_matrix` (and the demo); an administrator edits it in the admin."""

    kind = models.ForeignKey(BorderEventKind, on_delete=models.CASCADE,
                             related_name="contact_rules", verbose_name=_("event kind"))
    side = models.CharField(_("side of the line"), max_length=3, choices=Side.choices,
                            help_text=_("The side of the line whose nation reports the "
                                        "event; the organizations notified are the other "
                                        "side's."))
    chain = models.SlugField(_("chain"), max_length=32,
                             help_text=_("Contacts of one chain are tried in order of level."))
    level = models.PositiveSmallIntegerField(
        _("level"), help_text=_("1 is the first duty contact; higher levels are tried when the "
                                "level below does not acknowledge in time."))
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organization notified"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices,
                               default=Channel.ENLACE)
    minutes = models.PositiveIntegerField(
        _("minutes to acknowledge"),
        validators=[MinValueValidator(1), MaxValueValidator(7 * 24 * 60)])
    national = models.BooleanField(_("national channel"), default=False)
    duty_role_en = models.CharField(_("duty contact (English)"), max_length=200)
    duty_role_es = models.CharField(_("duty contact (Spanish)"), max_length=200)
    contact = models.CharField(_("contact"), max_length=200, blank=True,
                               help_text=_("Name, desk or call sign of the duty contact."))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind__order", "side", "chain", "level"]
        verbose_name = _("contact rule")
        verbose_name_plural = _("contact rules")
        constraints = [models.UniqueConstraint(fields=["kind", "side", "chain", "level"],
                                               name="one_contact_rule_per_level")]

    def __str__(self):
        return f"{self.kind.code}/{self.side}/{self.chain}/{self.level}: {self.organization}"

    @property
    def duty_role(self):
        return localized(self, "duty_role")


class Notice(MarkedModel):
    """A counterpart organization told of a border event under the contact matrix: when it was
    sent, by when it must be acknowledged, who acknowledged and when, and whether it escalated.
    Carries its event's marking (core.services.apply_marking)."""
    MARKING_PARENTS = ("event",)
    MARKING_FOLLOWS = "event"
    PARTNER_ACTIONS = frozenset({"acknowledge"})

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("notice state", "Waiting for acknowledgement")
        ACKNOWLEDGED = "acknowledged", pgettext_lazy("notice state", "Acknowledged")
        ESCALATED = "escalated", pgettext_lazy("notice state", "Escalated")
        UNANSWERED = "unanswered", pgettext_lazy("notice state", "Unanswered")

    event = models.ForeignKey(BorderEvent, on_delete=models.CASCADE, related_name="notices",
                              verbose_name=_("border event"))
    rule = models.ForeignKey(ContactRule, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="notices", verbose_name=_("contact rule"))
    # Copied from the rule when sent, so a later edit of the matrix leaves the record intact.
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organization notified"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    chain = models.SlugField(_("chain"), max_length=32)
    level = models.PositiveSmallIntegerField(_("level"))
    national = models.BooleanField(_("national channel"), default=False)
    duty_role_en = models.CharField(_("duty contact (English)"), max_length=200, blank=True)
    duty_role_es = models.CharField(_("duty contact (Spanish)"), max_length=200, blank=True)
    escalated_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True,
                                       blank=True, related_name="+",
                                       verbose_name=_("escalated from"))
    sent_at = models.DateTimeField(_("sent"))
    due_at = models.DateTimeField(_("due"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.PENDING)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                        null=True, blank=True, related_name="+",
                                        verbose_name=_("acknowledged by"))
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    class Meta:
        ordering = ["event", "chain", "level", "pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        permissions = [*marking_permissions("notice"),
                       ("acknowledge_notice", "Can acknowledge a notice for their organization")]
        constraints = [models.UniqueConstraint(fields=["event", "chain", "level"],
                                               name="one_notice_per_chain_level")]
        indexes = [models.Index(fields=["state", "due_at"]),
                   models.Index(fields=["organization", "state"])]

    def __str__(self):
        return f"{self.organization} — {self.event}"

    @property
    def duty_role(self):
        return localized(self, "duty_role")

    @property
    def late(self):
        """Acknowledged after its deadline, or still waiting past it."""
        if self.acknowledged_at is not None:
            return self.acknowledged_at > self.due_at
        return self.state != self.State.PENDING

    def get_absolute_url(self):
        return reverse("border:event", args=[self.event_id]) + f"#notice-{self.pk}"


# ---- Port-of-entry status board ---------------------------------------------------------------
# Each side reports its own lanes of a port (open, restricted, closed; lanes; waits; why). The
# rows are the history; the current status of a (port, side) is its latest report
# (border.selectors.ports.current_board, the one read every page, the API, the map and the
# optimizer use).

class PortStatusReport(MarkedModel):
    """A side's report of its lanes at a port of entry: owned by that side's nation (only its
    users report for it) and, unless the reporter says otherwise, released to both nations. A
    closure also reported a border event ("port closed or jammed"), linked here; reopening
    leaves that event to its own lifecycle."""

    class Status(models.TextChoices):
        # Contexts: Spanish agrees the adjective with "garita" (feminine).
        OPEN = "open", pgettext_lazy("port status", "Open")
        RESTRICTED = "restricted", pgettext_lazy("port status", "Restricted")
        CLOSED = "closed", pgettext_lazy("port status", "Closed")

    port = models.ForeignKey("response.PortOfEntry", on_delete=models.PROTECT,
                             related_name="status_reports", verbose_name=_("port of entry"))
    side = models.CharField(_("lanes of"), max_length=3, choices=Side.choices,
                            help_text=_("The side whose lanes this report is about."))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    passenger_lanes_open = models.PositiveSmallIntegerField(
        _("passenger lanes open"), null=True, blank=True, validators=[MaxValueValidator(99)])
    commercial_lanes_open = models.PositiveSmallIntegerField(
        _("commercial lanes open"), null=True, blank=True, validators=[MaxValueValidator(99)])
    passenger_wait_minutes = models.PositiveIntegerField(
        _("passenger wait (minutes)"), null=True, blank=True,
        validators=[MaxValueValidator(24 * 60)])
    commercial_wait_minutes = models.PositiveIntegerField(
        _("commercial wait (minutes)"), null=True, blank=True,
        validators=[MaxValueValidator(24 * 60)])
    reason_en = LongTextField(_("reason (English)"), max_length=REASON, blank=True)
    reason_es = LongTextField(_("reason (Spanish)"), max_length=REASON, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("reported by"))
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organization"))
    reported_at = models.DateTimeField(_("reported"), validators=[validate_year])
    event = models.ForeignKey(BorderEvent, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="port_reports", verbose_name=_("border event"),
                              help_text=_("The border event this closure reported."))

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = _("port status report")
        verbose_name_plural = _("port status reports")
        permissions = marking_permissions("portstatusreport")
        indexes = [models.Index(fields=["port", "side", "-reported_at", "-id"],
                                name="port_status_latest")]

    def __str__(self):
        return f"{self.port} — {self.get_side_display()}: {self.get_status_display()}"

    @property
    def reason(self):
        return localized(self, "reason")

    def get_absolute_url(self):
        return reverse("border:port", args=[self.port.key])


# ---- Joint situation reports ------------------------------------------------------------------
# For an event, one report per operational period (numbered 1, 2, 3… per event, periods never
# overlapping), with a section each border nation writes in both languages and submits; the
# report is published, read-only, once both have (border.services.sitreps).

SITREP_FIELDS = ("situation", "actions", "resources", "needs", "next_period")


class SituationReport(MarkedModel):
    """A joint situation report of a border event for one operational period. It carries its
    event's marking (MARKING_FOLLOWS) and is hidden wherever the event is."""
    MARKING_PARENTS = ("event",)
    MARKING_FOLLOWS = "event"

    class State(models.TextChoices):
        # Contexts: Spanish agrees the adjective with "reporte" (masculine).
        DRAFT = "draft", pgettext_lazy("situation report state", "Draft")
        PARTLY_SUBMITTED = "partly_submitted", pgettext_lazy("situation report state",
                                                             "Partly submitted")
        PUBLISHED = "published", pgettext_lazy("situation report state", "Published")

    event = models.ForeignKey(BorderEvent, on_delete=models.CASCADE, related_name="sitreps",
                              verbose_name=_("border event"))
    number = models.PositiveIntegerField(_("number"))
    period_start = models.DateTimeField(_("operational period start"),
                                        validators=[validate_year])
    period_end = models.DateTimeField(_("operational period end"), validators=[validate_year])
    state = models.CharField(_("state"), max_length=16, choices=State.choices,
                             default=State.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["event", "number"]
        verbose_name = _("situation report")
        verbose_name_plural = _("situation reports")
        permissions = marking_permissions("situationreport")
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="one_sitrep_number"),
            models.CheckConstraint(condition=models.Q(period_end__gt=models.F("period_start")),
                                   name="sitrep_period_ends_after_start"),
        ]

    def __str__(self):
        return _("Situation report %(number)s — %(event)s") % {"number": self.number,
                                                               "event": self.event}

    def get_absolute_url(self):
        return reverse("border:sitrep", args=[self.pk])


class SitrepSection(MarkedModel):
    """One nation's part of a joint situation report, written in English and Spanish by that
    nation's users and submitted once; final once submitted. Carries its report's marking."""
    MARKING_PARENTS = ("report",)
    MARKING_FOLLOWS = "report"

    report = models.ForeignKey(SituationReport, on_delete=models.CASCADE,
                               related_name="sections", verbose_name=_("situation report"))
    nation = models.ForeignKey(settings.NATION_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("nation writing it"))
    situation_en = LongTextField(_("situation (English)"), blank=True)
    situation_es = LongTextField(_("situation (Spanish)"), blank=True)
    actions_en = LongTextField(_("actions taken (English)"), blank=True)
    actions_es = LongTextField(_("actions taken (Spanish)"), blank=True)
    resources_en = LongTextField(_("resources committed (English)"), blank=True)
    resources_es = LongTextField(_("resources committed (Spanish)"), blank=True)
    needs_en = LongTextField(_("needs (English)"), blank=True)
    needs_es = LongTextField(_("needs (Spanish)"), blank=True)
    next_period_en = LongTextField(_("next period (English)"), blank=True)
    next_period_es = LongTextField(_("next period (Spanish)"), blank=True)
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("organization"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("last written by"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("submitted by"))

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("situation report section")
        verbose_name_plural = _("situation report sections")
        permissions = marking_permissions("sitrepsection")
        constraints = [models.UniqueConstraint(fields=["report", "nation"],
                                               name="one_sitrep_section_per_nation")]

    def __str__(self):
        return f"{self.report} — {self.nation}"

    @property
    def submitted(self):
        return self.submitted_at is not None

    def get_absolute_url(self):
        return reverse("border:sitrep", args=[self.report_id]) + f"#section-{self.nation_id}"
