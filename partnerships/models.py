from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.bounds import LongTextField
from core.models import MarkedModel, localized, marking_permissions
from core.text import shorten


class Partnership(MarkedModel):
    """A State Partnership Program pairing: a US state's Guard with a partner nation."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("partnership status", "Active")
        SUSPENDED = "suspended", pgettext_lazy("partnership status", "Suspended")
        ENDED = "ended", pgettext_lazy("partnership status", "Ended")

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
    description_en = LongTextField(_("description (English)"), blank=True)
    description_es = LongTextField(_("description (Spanish)"), blank=True)

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
    MARKING_PARENTS = ("partnership",)

    class Kind(models.TextChoices):
        LETTER_OF_INTENT = "letter_of_intent", pgettext_lazy("agreement kind", "Letter of intent")
        MOU = "mou", pgettext_lazy("agreement kind", "Memorandum of understanding")
        OPERATING_PLAN = "operating_plan", pgettext_lazy("agreement kind", "Operating plan")
        OTHER = "other", pgettext_lazy("agreement kind", "Other agreement")

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("agreement state", "Draft")
        IN_COORDINATION = "in_coordination", pgettext_lazy("agreement state", "In coordination")
        SIGNED = "signed", pgettext_lazy("agreement state", "Signed")
        IN_FORCE = "in_force", pgettext_lazy("agreement state", "In force")
        SUPERSEDED = "superseded", pgettext_lazy("agreement state", "Superseded")
        EXPIRED = "expired", pgettext_lazy("agreement state", "Expired")

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="agreements", verbose_name=_("partnership"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200)
    parties = LongTextField(_("parties"), help_text=_("One party per line."))
    signatories = LongTextField(_("signatories"), blank=True,
                                   help_text=_("Name and position, one per line."))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_at_place = models.CharField(_("signed at"), max_length=200, blank=True)
    focus_areas_en = LongTextField(_("focus areas (English)"), blank=True)
    focus_areas_es = LongTextField(_("focus areas (Spanish)"), blank=True)
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
    MARKING_PARENTS = ("partnership",)

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="lines_of_effort",
                                    verbose_name=_("partnership"))
    code = models.SlugField(_("code"), max_length=32)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    description_en = LongTextField(_("description (English)"), blank=True)
    description_es = LongTextField(_("description (Spanish)"), blank=True)
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
    MARKING_PARENTS = ("line_of_effort",)

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("objective state", "Draft")
        APPROVED = "approved", pgettext_lazy("objective state", "Approved")
        IN_PROGRESS = "in_progress", pgettext_lazy("objective state", "In progress")
        ACHIEVED = "achieved", pgettext_lazy("objective state", "Achieved")
        PARTIALLY_ACHIEVED = "partially_achieved", pgettext_lazy("objective state",
                                                                 "Partially achieved")
        NOT_ACHIEVED = "not_achieved", pgettext_lazy("objective state", "Not achieved")
        CANCELLED = "cancelled", pgettext_lazy("objective state", "Cancelled")

    line_of_effort = models.ForeignKey(LineOfEffort, on_delete=models.PROTECT,
                                       related_name="objectives",
                                       verbose_name=_("line of effort"))
    code = models.CharField(_("code"), max_length=32, help_text=_("For example HADR-1."))
    statement_en = LongTextField(_("statement (English)"))
    statement_es = LongTextField(_("statement (Spanish)"))
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
        return f"{self.code} {shorten(localized(self, 'statement'), 80)}"

    @property
    def statement(self):
        return localized(self, "statement")

    def get_absolute_url(self):
        return reverse("partnerships:objective", args=[self.pk])


class Indicator(MarkedModel):
    MARKING_PARENTS = ("objective",)

    class Kind(models.TextChoices):
        OUTPUT = "output", pgettext_lazy("indicator kind", "Output")
        OUTCOME = "outcome", pgettext_lazy("indicator kind", "Outcome")
        CAPABILITY_MILESTONE = "capability_milestone", pgettext_lazy("indicator kind",
                                                                     "Capability milestone")

    class Direction(models.TextChoices):
        INCREASE = "increase", pgettext_lazy("indicator direction", "Higher is better")
        DECREASE = "decrease", pgettext_lazy("indicator direction", "Lower is better")
        MAINTAIN = "maintain", pgettext_lazy("indicator direction", "Keep at target")

    class Frequency(models.TextChoices):
        PER_EVENT = "per_event", pgettext_lazy("indicator frequency", "After each event")
        MONTHLY = "monthly", pgettext_lazy("indicator frequency", "Monthly")
        QUARTERLY = "quarterly", pgettext_lazy("indicator frequency", "Quarterly")
        SEMIANNUAL = "semiannual", pgettext_lazy("indicator frequency", "Twice a year")
        ANNUAL = "annual", pgettext_lazy("indicator frequency", "Yearly")

    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="indicators",
                                  verbose_name=_("objective"))
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    unit = models.CharField(_("unit of measure (English)"), max_length=50,
                            help_text=_("For example: people trained, exercises, percent."))
    unit_es = models.CharField(_("unit of measure (Spanish)"), max_length=50, blank=True,
                               help_text=_("For example: personas capacitadas, ejercicios, "
                                           "porcentaje. Empty: Spanish readers see the English."))
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

    @property
    def unit_en(self):
        # The English unit is the `unit` field the API has always named; `localized` reads
        # unit_en and unit_es.
        return self.unit

    @property
    def unit_label(self):
        """The unit in the reader's language."""
        return localized(self, "unit")

    def get_absolute_url(self):
        return reverse("partnerships:indicator", args=[self.pk])


class Measurement(MarkedModel):
    MARKING_PARENTS = ("indicator",)

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

    @classmethod
    def evidence_model(cls, name):
        """The model of one kind of evidence ("engagement" or "after_action_report"), read
        from the foreign key: engagements depends on partnerships, so partnerships never
        imports it."""
        return cls._meta.get_field(name).related_model

    def get_absolute_url(self):
        return reverse("partnerships:measurement", args=[self.pk])


class Assessment(MarkedModel):
    MARKING_PARENTS = ("partnership", "line_of_effort")

    class Kind(models.TextChoices):
        INITIAL = "initial", pgettext_lazy("assessment kind", "Initial")
        PERIODIC = "periodic", pgettext_lazy("assessment kind", "Periodic")
        FINAL = "final", pgettext_lazy("assessment kind", "Final")

    class Rating(models.TextChoices):
        ON_TRACK = "on_track", pgettext_lazy("assessment rating", "On track")
        AT_RISK = "at_risk", pgettext_lazy("assessment rating", "At risk")
        OFF_TRACK = "off_track", pgettext_lazy("assessment rating", "Off track")
        NOT_RATED = "not_rated", pgettext_lazy("assessment rating", "Not rated")

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="assessments", verbose_name=_("partnership"))
    line_of_effort = models.ForeignKey(LineOfEffort, on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="assessments",
                                       verbose_name=_("line of effort"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    assessed_on = models.DateField(_("assessed on"))
    findings_en = LongTextField(_("findings (English)"))
    findings_es = LongTextField(_("findings (Spanish)"))
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
