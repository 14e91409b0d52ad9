from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import MarkedModel, localized, marking_permissions


class Partnership(MarkedModel):
    """A State Partnership Program pairing: a US state's Guard with a partner nation."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        ENDED = "ended", _("Ended")

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    us_state = models.CharField(_("US state"), max_length=2, default="CA",
                                help_text=_("Two-letter postal code of the US state."))
    partner_nation = models.ForeignKey("accounts.Nation", on_delete=models.PROTECT,
                                       related_name="partnerships",
                                       verbose_name=_("partner nation"))
    established = models.PositiveSmallIntegerField(_("year established"), null=True, blank=True)
    combatant_command = models.CharField(_("combatant command"), max_length=32, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.ACTIVE)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)

    class Meta:
        ordering = ["us_state", "partner_nation__code"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        permissions = marking_permissions("partnership")
        constraints = [
            models.UniqueConstraint(fields=["us_state", "partner_nation"],
                                    name="one_partnership_per_state_and_nation"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return localized(self, "name")

    @property
    def description(self):
        return localized(self, "description")

    def get_absolute_url(self):
        return reverse("partnerships:detail", args=[self.pk])


class Agreement(MarkedModel):
    """A written agreement of a partnership: letter of intent, memorandum of understanding,
    operating plan."""

    class Kind(models.TextChoices):
        LETTER_OF_INTENT = "letter_of_intent", _("Letter of intent")
        MOU = "mou", _("Memorandum of understanding")
        OPERATING_PLAN = "operating_plan", _("Operating plan")
        OTHER = "other", _("Other agreement")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_COORDINATION = "in_coordination", _("In coordination")
        SIGNED = "signed", _("Signed")
        IN_FORCE = "in_force", _("In force")
        SUPERSEDED = "superseded", _("Superseded")
        EXPIRED = "expired", _("Expired")

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="agreements", verbose_name=_("partnership"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200)
    parties = models.TextField(_("parties"), help_text=_("One party per line."))
    signatories = models.TextField(_("signatories"), blank=True,
                                   help_text=_("Name and position, one per line."))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_at_place = models.CharField(_("signed at"), max_length=200, blank=True)
    focus_areas_en = models.TextField(_("focus areas (English)"), blank=True)
    focus_areas_es = models.TextField(_("focus areas (Spanish)"), blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    superseded_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="supersedes",
                                      verbose_name=_("superseded by"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices,
                             default=State.DRAFT)

    class Meta:
        ordering = ["partnership", "-signed_on", "pk"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        permissions = marking_permissions("agreement")

    def __str__(self):
        return localized(self, "title")

    @property
    def title(self):
        return localized(self, "title")

    @property
    def focus_areas(self):
        return localized(self, "focus_areas")

    def get_absolute_url(self):
        return reverse("partnerships:agreement", args=[self.pk])


class LineOfEffort(MarkedModel):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="lines_of_effort",
                                    verbose_name=_("partnership"))
    code = models.SlugField(_("code"), max_length=32)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["partnership", "position", "code"]
        verbose_name = _("line of effort")
        verbose_name_plural = _("lines of effort")
        permissions = marking_permissions("lineofeffort")
        constraints = [models.UniqueConstraint(fields=["partnership", "code"],
                                               name="line_of_effort_code_per_partnership")]

    def __str__(self):
        return localized(self, "name")

    @property
    def name(self):
        return localized(self, "name")

    @property
    def description(self):
        return localized(self, "description")

    def get_absolute_url(self):
        return reverse("partnerships:line", args=[self.pk])


class Objective(MarkedModel):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        IN_PROGRESS = "in_progress", _("In progress")
        ACHIEVED = "achieved", _("Achieved")
        PARTIALLY_ACHIEVED = "partially_achieved", _("Partially achieved")
        NOT_ACHIEVED = "not_achieved", _("Not achieved")
        CANCELLED = "cancelled", _("Cancelled")

    line_of_effort = models.ForeignKey(LineOfEffort, on_delete=models.PROTECT,
                                       related_name="objectives",
                                       verbose_name=_("line of effort"))
    code = models.CharField(_("code"), max_length=32, help_text=_("For example HADR-1."))
    statement_en = models.TextField(_("statement (English)"))
    statement_es = models.TextField(_("statement (Spanish)"))
    owner = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                              related_name="objectives", verbose_name=_("owner"))
    target_date = models.DateField(_("target date"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices,
                             default=State.DRAFT)

    class Meta:
        ordering = ["line_of_effort", "code"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        permissions = marking_permissions("objective")

    def __str__(self):
        return f"{self.code} {localized(self, 'statement')[:80]}"

    @property
    def statement(self):
        return localized(self, "statement")

    def get_absolute_url(self):
        return reverse("partnerships:objective", args=[self.pk])


class Indicator(MarkedModel):
    class Kind(models.TextChoices):
        OUTPUT = "output", _("Output")
        OUTCOME = "outcome", _("Outcome")
        CAPABILITY_MILESTONE = "capability_milestone", _("Capability milestone")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Higher is better")
        DECREASE = "decrease", _("Lower is better")
        MAINTAIN = "maintain", _("Keep at target")

    class Frequency(models.TextChoices):
        PER_EVENT = "per_event", _("After each event")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        SEMIANNUAL = "semiannual", _("Twice a year")
        ANNUAL = "annual", _("Yearly")

    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="indicators",
                                  verbose_name=_("objective"))
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    unit = models.CharField(_("unit of measure"), max_length=50,
                            help_text=_("For example: people trained, exercises, percent."))
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices,
                                 default=Direction.INCREASE)
    baseline_value = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    baseline_date = models.DateField(_("baseline date"))
    target_value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    target_date = models.DateField(_("target date"))
    frequency = models.CharField(_("collection frequency"), max_length=12,
                                 choices=Frequency.choices, default=Frequency.QUARTERLY)

    class Meta:
        ordering = ["objective", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        permissions = marking_permissions("indicator")

    def __str__(self):
        return localized(self, "name")

    @property
    def name(self):
        return localized(self, "name")

    def get_absolute_url(self):
        return reverse("partnerships:indicator", args=[self.pk])


class Measurement(MarkedModel):
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT,
                                  related_name="measurements", verbose_name=_("indicator"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    as_of = models.DateField(_("as of"))
    source = models.CharField(_("source"), max_length=300)
    verified_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+", verbose_name=_("verified by"))
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    # The evidence behind a measurement: the engagement and after-action report it came from.
    engagement = models.ForeignKey("engagements.Engagement", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="measurements",
                                   verbose_name=_("engagement"))
    after_action_report = models.ForeignKey(
        "engagements.AfterActionReport", on_delete=models.PROTECT, null=True, blank=True,
        related_name="measurements", verbose_name=_("after-action report"))

    class Meta:
        ordering = ["indicator", "as_of", "pk"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        permissions = marking_permissions("measurement")

    def __str__(self):
        return f"{self.indicator}: {self.value} ({self.as_of})"

    @property
    def verified(self):
        return self.verified_at is not None

    def get_absolute_url(self):
        return reverse("partnerships:measurement", args=[self.pk])


class Assessment(MarkedModel):
    class Kind(models.TextChoices):
        INITIAL = "initial", _("Initial")
        PERIODIC = "periodic", _("Periodic")
        FINAL = "final", _("Final")

    class Rating(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        OFF_TRACK = "off_track", _("Off track")
        NOT_RATED = "not_rated", _("Not rated")

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="assessments", verbose_name=_("partnership"))
    line_of_effort = models.ForeignKey(LineOfEffort, on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="assessments",
                                       verbose_name=_("line of effort"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    assessed_on = models.DateField(_("assessed on"))
    findings_en = models.TextField(_("findings (English)"))
    findings_es = models.TextField(_("findings (Spanish)"))
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices,
                              default=Rating.NOT_RATED)

    class Meta:
        ordering = ["partnership", "-assessed_on"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        permissions = marking_permissions("assessment")

    def __str__(self):
        return f"{self.get_kind_display()} {self.assessed_on}"

    @property
    def findings(self):
        return localized(self, "findings")

    def get_absolute_url(self):
        return reverse("partnerships:assessment", args=[self.pk])
