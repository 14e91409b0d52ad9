"""Engagements (the partnership's events), their participants and compliance gates, budgets and
after-action reports."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.bounds import MAX_PEOPLE, REPORT_TEXT, LongTextField
from core.models import MarkedModel, localized, marking_permissions
from engagements.fiscal import fiscal_quarter, fiscal_year

ENDS_BEFORE_START = _("The end cannot be before the start.")


class Engagement(MarkedModel):
    MARKING_PARENTS = ("partnership",)

    class Type(models.TextChoices):
        SME_EXCHANGE = "sme_exchange", pgettext_lazy("engagement type",
                                                     "Subject-matter expert exchange")
        FAMILIARIZATION = "familiarization", pgettext_lazy("engagement type",
                                                           "Familiarization visit")
        TRAVELING_CONTACT_TEAM = "traveling_contact_team", pgettext_lazy("engagement type",
                                                                         "Traveling contact team")
        EXERCISE = "exercise", pgettext_lazy("engagement type", "Exercise")
        PLANNING_INITIAL = "planning_initial", pgettext_lazy("engagement type",
                                                             "Initial planning conference")
        PLANNING_MID = "planning_mid", pgettext_lazy("engagement type", "Mid planning conference")
        PLANNING_FINAL = "planning_final", pgettext_lazy("engagement type",
                                                         "Final planning conference")
        KEY_LEADER = "key_leader", pgettext_lazy("engagement type", "Key leader engagement")
        WORKSHOP = "workshop", pgettext_lazy("engagement type", "Workshop")
        REAL_WORLD_SUPPORT = "real_world_support", pgettext_lazy("engagement type",
                                                                 "Real-world support")

    class Direction(models.TextChoices):
        TO_PARTNER = "to_partner", pgettext_lazy("engagement direction", "To the partner nation")
        HOSTED = "hosted", pgettext_lazy("engagement direction", "Hosted in California")
        VIRTUAL = "virtual", pgettext_lazy("engagement direction", "Virtual")
        THIRD_COUNTRY = "third_country", pgettext_lazy("engagement direction", "In a third country")

    class State(models.TextChoices):
        CONCEPT = "concept", pgettext_lazy("engagement state", "Concept")
        NOMINATED = "nominated", pgettext_lazy("engagement state", "Nominated")
        APPROVED = "approved", pgettext_lazy("engagement state", "Approved")
        FUNDED = "funded", pgettext_lazy("engagement state", "Funded")
        PREPARING = "preparing", pgettext_lazy("engagement state", "Preparing")
        READY = "ready", pgettext_lazy("engagement state", "Ready")
        IN_EXECUTION = "in_execution", pgettext_lazy("engagement state", "In execution")
        EXECUTED = "executed", pgettext_lazy("engagement state", "Executed")
        AAR_SUBMITTED = "aar_submitted", pgettext_lazy("engagement state", "AAR submitted")
        RECORDED_COMPLETE = "recorded_complete", pgettext_lazy("engagement state",
                                                               "Recorded complete")
        CLOSED = "closed", pgettext_lazy("engagement state", "Closed")
        DEFERRED = "deferred", pgettext_lazy("engagement state", "Deferred to next fiscal year")
        POSTPONED = "postponed", pgettext_lazy("engagement state", "Postponed")
        CANCELLED = "cancelled", pgettext_lazy("engagement state", "Cancelled")

    DEFAULT_LEGAL_BASIS = "10 U.S.C. 341"

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT,
                                    related_name="engagements", verbose_name=_("partnership"))
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200)
    type = models.CharField(_("type"), max_length=24, choices=Type.choices)
    external_type_name = models.CharField(
        _("type in the tracking system"), max_length=100, blank=True,
        help_text=_("The event type as the external tracking system names it."))
    direction = models.CharField(_("direction"), max_length=16, choices=Direction.choices)
    location = models.CharField(_("location"), max_length=200)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    # Derived from the start date on save, stored so lists filter and group by them.
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), editable=False)
    fiscal_quarter = models.PositiveSmallIntegerField(_("fiscal quarter"), editable=False)
    objectives = models.ManyToManyField("partnerships.Objective", blank=True,
                                        related_name="engagements",
                                        verbose_name=_("objectives"))
    legal_basis = models.CharField(_("legal basis"), max_length=100,
                                   default=DEFAULT_LEGAL_BASIS)
    partner_non_military = models.BooleanField(
        _("partner participants include non-military"), default=False,
        help_text=_("Under 10 U.S.C. 341, events with non-military partner participants need "
                    "notice to Congress at least 15 days before."))
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                             blank=True, related_name="led_engagements", verbose_name=_("lead"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices,
                             default=State.CONCEPT)
    tracking_reference = models.CharField(
        _("tracking system reference"), max_length=64, blank=True,
        help_text=_("The event's identifier in the Defense Department's tracking system."))
    recorded_complete_at = models.DateTimeField(_("recorded complete"), null=True, blank=True)
    proposed_in = models.ForeignKey("AfterActionReport", on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="follow_on_engagements",
                                    verbose_name=_("proposed in after-action report"))

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        permissions = [*marking_permissions("engagement"),
                       ("transition_engagement", "Can move engagements through their lifecycle")]
        indexes = [models.Index(fields=["fiscal_year", "fiscal_quarter"])]
        constraints = [models.CheckConstraint(condition=models.Q(end_date__gte=models.F(
            "start_date")), name="engagement_ends_on_or_after_start",
            violation_error_message=ENDS_BEFORE_START)]

    def __str__(self):
        return localized(self, "title")

    def clean(self):
        # On the end date, so a form shows it there and not as the constraint at the top.
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": ENDS_BEFORE_START})

    @property
    def title(self):
        return localized(self, "title")

    def save(self, *args, **kwargs):
        self.fiscal_year = fiscal_year(self.start_date)
        self.fiscal_quarter = fiscal_quarter(self.start_date)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("engagements:detail", args=[self.pk])


class BudgetLine(MarkedModel):
    MARKING_PARENTS = ("engagement",)

    class State(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("budget line state", "Planned")
        ALLOTTED = "allotted", pgettext_lazy("budget line state", "Allotted")
        OBLIGATED = "obligated", pgettext_lazy("budget line state", "Obligated")
        EXPENDED = "expended", pgettext_lazy("budget line state", "Expended")

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE,
                                   related_name="budget_lines", verbose_name=_("engagement"))
    description = models.CharField(_("description"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    fund_source = models.CharField(_("fund source"), max_length=100)
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.PLANNED)

    class Meta:
        ordering = ["engagement", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        permissions = marking_permissions("budgetline")

    def __str__(self):
        return f"{self.description}: {self.amount} {self.currency}"


class Person(MarkedModel):
    """Someone who takes part in engagements, of either nation. A Guard member is linked to
    the personnel record, from which the duty-status gate is derived."""

    class Role(models.TextChoices):
        GUARD_MEMBER = "guard_member", pgettext_lazy("participant role", "Guard member")
        US_CIVILIAN = "us_civilian", pgettext_lazy("participant role", "US civilian")
        PARTNER_MILITARY = "partner_military", pgettext_lazy("participant role", "Partner military")
        PARTNER_CIVILIAN = "partner_civilian", pgettext_lazy("participant role", "Partner civilian")
        INTERPRETER = "interpreter", pgettext_lazy("participant role", "Interpreter")
        OBSERVER = "observer", pgettext_lazy("participant role", "Observer")

    class Gender(models.TextChoices):
        FEMALE = "female", pgettext_lazy("gender", "Female")
        MALE = "male", pgettext_lazy("gender", "Male")
        UNDISCLOSED = "undisclosed", pgettext_lazy("gender", "Not stated")

    full_name = models.CharField(_("full name"), max_length=200)
    nation = models.ForeignKey("accounts.Nation", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("nation"))
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("organization"))
    grade = models.CharField(_("grade or title"), max_length=50, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices,
                              default=Gender.UNDISCLOSED)
    languages = models.CharField(_("languages"), max_length=64, blank=True,
                                 help_text=_("ISO 639-1 codes separated by commas, e.g. en,es."))
    security_force = models.BooleanField(
        _("member of a partner security force"), default=False,
        help_text=_("Human-rights (Leahy) vetting applies to partner security-force members."))
    guard_member = models.ForeignKey("personnel.Member", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+",
                                     verbose_name=_("Guard member record"))

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        permissions = marking_permissions("person")

    def __str__(self):
        return f"{self.grade} {self.full_name}".strip()


class Participation(MarkedModel):
    """One person in one engagement, with the compliance gates that must be green before the
    engagement is ready."""
    MARKING_PARENTS = ("engagement",)

    # A partner's liaison records the visa of its own nation's people (services restrict which
    # gates and whose).
    PARTNER_ACTIONS = frozenset({"change"})

    class Vetting(models.TextChoices):
        NOT_REQUIRED = "not_required", pgettext_lazy("vetting status", "Not required")
        PENDING = "pending", pgettext_lazy("vetting status", "Pending")
        APPROVED = "approved", pgettext_lazy("vetting status", "Approved")
        DENIED = "denied", pgettext_lazy("vetting status", "Denied")
        SUSPENDED = "suspended", pgettext_lazy("vetting status", "Suspended")

    class Visa(models.TextChoices):
        NOT_REQUIRED = "not_required", pgettext_lazy("visa status", "Not required")
        PENDING = "pending", pgettext_lazy("visa status", "Pending")
        ISSUED = "issued", pgettext_lazy("visa status", "Issued")
        REFUSED = "refused", pgettext_lazy("visa status", "Refused")

    class Clearance(models.TextChoices):
        NOT_REQUIRED = "not_required", pgettext_lazy("country clearance status", "Not required")
        NOT_SUBMITTED = "not_submitted", pgettext_lazy("country clearance status", "Not submitted")
        SUBMITTED = "submitted", pgettext_lazy("country clearance status", "Submitted")
        APPROVED = "approved", pgettext_lazy("country clearance status", "Approved")
        DENIED = "denied", pgettext_lazy("country clearance status", "Denied")

    class BriefingDisclosure(models.TextChoices):
        NOT_REQUIRED = "not_required", pgettext_lazy("briefing disclosure status", "Not required")
        PENDING = "pending", pgettext_lazy("briefing disclosure status", "Pending")
        CLEARED = "cleared", pgettext_lazy("briefing disclosure status", "Cleared")

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE,
                                   related_name="participations", verbose_name=_("engagement"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="participations",
                               verbose_name=_("person"))
    vetting = models.CharField(_("human-rights (Leahy) vetting"), max_length=16,
                               choices=Vetting.choices, default=Vetting.NOT_REQUIRED)
    vetting_reference = models.CharField(_("vetting reference"), max_length=64, blank=True)
    vetting_updated_on = models.DateField(_("vetting updated"), null=True, blank=True)
    visa = models.CharField(_("visa or diplomatic note"), max_length=16, choices=Visa.choices,
                            default=Visa.NOT_REQUIRED)
    visa_updated_on = models.DateField(_("visa updated"), null=True, blank=True)
    country_clearance = models.CharField(_("country clearance"), max_length=16,
                                         choices=Clearance.choices,
                                         default=Clearance.NOT_REQUIRED)
    clearance_submitted_on = models.DateField(_("clearance submitted"), null=True, blank=True)
    duty_status = models.CharField(
        _("duty status recorded"), max_length=16, blank=True,
        help_text=_("For Guard members without a personnel record; otherwise derived."))
    briefing_disclosure = models.CharField(_("briefing material cleared"), max_length=16,
                                           choices=BriefingDisclosure.choices,
                                           default=BriefingDisclosure.NOT_REQUIRED)

    class Meta:
        ordering = ["engagement", "person__full_name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        permissions = marking_permissions("participation")
        constraints = [models.UniqueConstraint(fields=["engagement", "person"],
                                               name="one_participation_per_person")]

    def __str__(self):
        return f"{self.person} @ {self.engagement_id}"


class AfterActionReport(MarkedModel):
    MARKING_PARENTS = ("engagement",)

    # Both nations write the report: the partner's liaison drafts and submits it too.
    PARTNER_ACTIONS = frozenset({"change"})

    class State(models.TextChoices):
        NOT_STARTED = "not_started", pgettext_lazy("after-action report state", "Not started")
        DRAFT = "draft", pgettext_lazy("after-action report state", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("after-action report state", "Submitted")
        RETURNED = "returned", pgettext_lazy("after-action report state", "Returned for changes")
        APPROVED = "approved", pgettext_lazy("after-action report state", "Approved")
        RECORDED = "recorded", pgettext_lazy("after-action report state", "Recorded")
        PUBLISHED = "published", pgettext_lazy("after-action report state", "Published to partner")

    engagement = models.OneToOneField(Engagement, on_delete=models.CASCADE,
                                      related_name="after_action_report",
                                      verbose_name=_("engagement"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.NOT_STARTED)
    summary_en = LongTextField(_("summary (English)"), max_length=REPORT_TEXT,
                                   blank=True)
    summary_es = LongTextField(_("summary (Spanish)"), max_length=REPORT_TEXT,
                                   blank=True)
    partner_feedback_en = LongTextField(_("partner feedback (English)"), max_length=REPORT_TEXT,
                                   blank=True)
    partner_feedback_es = LongTextField(_("partner feedback (Spanish)"), max_length=REPORT_TEXT,
                                   blank=True)
    actual_cost = models.DecimalField(_("actual cost"), max_digits=12, decimal_places=2,
                                      null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    return_reason = LongTextField(_("reason returned"), blank=True)
    # What the report measured for the indicators of the engagement's objectives:
    # {"<indicator id>": "<decimal value>"}. Recording the report turns each into a Measurement
    # with the report and the engagement as its evidence.
    indicator_values = models.JSONField(_("indicator values"), default=dict, blank=True)

    class Meta:
        verbose_name = _("after-action report")
        verbose_name_plural = _("after-action reports")
        permissions = [*marking_permissions("afteractionreport"),
                       ("approve_afteractionreport", "Can approve after-action reports")]

    def __str__(self):
        return str(_("After-action report: %(title)s") % {"title": self.engagement})

    @property
    def due_date(self):
        return self.engagement.end_date + timedelta(days=settings.AAR_DUE_DAYS)

    def get_absolute_url(self):
        return reverse("engagements:aar", args=[self.engagement_id])


class Attendance(MarkedModel):
    MARKING_PARENTS = ("report",)
    MARKING_FOLLOWS = "report"  # written only as part of the report

    report = models.ForeignKey(AfterActionReport, on_delete=models.CASCADE,
                               related_name="attendance", verbose_name=_("report"))
    nation = models.ForeignKey("accounts.Nation", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("nation"))
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("organization"))
    grade = models.CharField(_("grade"), max_length=50, blank=True)
    gender = models.CharField(_("gender"), max_length=12, choices=Person.Gender.choices,
                              default=Person.Gender.UNDISCLOSED)
    count = models.PositiveIntegerField(_("people"), validators=[MaxValueValidator(MAX_PEOPLE)])

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        permissions = marking_permissions("attendance")

    def __str__(self):
        return f"{self.nation_id}: {self.count}"


class Observation(MarkedModel):
    MARKING_PARENTS = ("report",)
    MARKING_FOLLOWS = "report"  # written only as part of the report

    class Kind(models.TextChoices):
        SUSTAIN = "sustain", pgettext_lazy("observation kind", "Sustain")
        IMPROVE = "improve", pgettext_lazy("observation kind", "Improve")

    report = models.ForeignKey(AfterActionReport, on_delete=models.CASCADE,
                               related_name="observations", verbose_name=_("report"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    topic = models.CharField(_("topic"), max_length=100)
    text_en = LongTextField(_("observation (English)"), blank=True)
    text_es = LongTextField(_("observation (Spanish)"), blank=True)

    class Meta:
        ordering = ["report", "kind", "pk"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        permissions = marking_permissions("observation")

    def __str__(self):
        return self.topic


class FollowOnProposal(MarkedModel):
    """A proposed next event; one click turns it into a new engagement concept."""
    MARKING_PARENTS = ("report",)
    MARKING_FOLLOWS = "report"  # written only as part of the report

    report = models.ForeignKey(AfterActionReport, on_delete=models.CASCADE,
                               related_name="proposals", verbose_name=_("report"))
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200)
    type = models.CharField(_("type"), max_length=24, choices=Engagement.Type.choices)
    notes = LongTextField(_("notes"), blank=True)
    engagement = models.OneToOneField(Engagement, on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="+",
                                      verbose_name=_("engagement concept created"))

    class Meta:
        verbose_name = _("follow-on proposal")
        verbose_name_plural = _("follow-on proposals")
        permissions = marking_permissions("followonproposal")

    def __str__(self):
        return localized(self, "title")


class CalendarFeed(models.Model):
    """A personal iCalendar subscription to one partnership's engagements. The URL carries a
    random key; only its SHA-256 is stored (the key is shown once). The feed shows what the
    user may see at the moment it is read, and stops answering once revoked."""

    PREFIX = "cal_"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="calendar_feeds", verbose_name=_("user"))
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE,
                                    related_name="+", verbose_name=_("partnership"))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("key begins"), max_length=12, editable=False)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES,
                                default="en",
                                help_text=_("The language of the events' titles."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"{self.partnership_id} ({self.hint}…)"

    @classmethod
    def new_key(cls):
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def hash_key(key):
        return hashlib.sha256(key.encode()).hexdigest()
