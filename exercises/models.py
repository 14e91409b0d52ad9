"""Coordinated-operations exercises (HSEEP-style): an exercise is an engagement of type exercise
(its lifecycle, participants and gates stay the engagement's) with more — objectives mapped to
core capabilities and partnership objectives, the Master Scenario Events List (MSEL) of
injects delivered during conduct, the players' responses, the evaluators' observations and the
improvement plan.

Every record here carries the exercise's marking, and the exercise carries its engagement's
(MARKING_FOLLOWS, core's one inheritance rule): narrowing the engagement hides the exercise and
everything in it."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.bounds import REASON, LongTextField
from core.models import MarkedModel, localized, marking_permissions
from core.validators import validate_year

# The longest exercise the MSEL may schedule an inject into: 30 days, in minutes.
MAX_OFFSET_MINUTES = 30 * 24 * 60

ENDEX_BEFORE_STARTEX = _("ENDEX cannot be before STARTEX.")


class Language(models.TextChoices):
    EN = "en", pgettext_lazy("language", "English")
    ES = "es", pgettext_lazy("language", "Spanish")


# ---- Reference data (the same for every nation) ---------------------------------------------

class CoreCapability(models.Model):
    """A core capability of the National Preparedness Goal (operational coordination, fire
    management…), seeded by exercises.reference; an administrator may add more."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("core capability")
        verbose_name_plural = _("core capabilities")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return localized(self, "name")


# ---- The exercise ----------------------------------------------------------------------------

class Exercise(MarkedModel):
    """What an exercise adds to its engagement: the scenario, STARTEX and ENDEX and the state of
    conduct, whose clock the injects follow.

    The clock: an inject is due at STARTEX + its offset + the time the exercise has spent
    paused (`paused_seconds`, plus the current pause while paused, during which nothing is
    due). Pausing stops the clock; resuming shifts every inject not yet delivered by the
    pause's length (exercises.clock)."""
    MARKING_PARENTS = ("engagement",)
    MARKING_FOLLOWS = "engagement"  # an exercise is its engagement, with more

    class Kind(models.TextChoices):
        TABLETOP = "tabletop", pgettext_lazy("exercise type", "Tabletop")
        FUNCTIONAL = "functional", pgettext_lazy("exercise type", "Functional")
        FULL_SCALE = "full_scale", pgettext_lazy("exercise type", "Full-scale")
        DRILL = "drill", pgettext_lazy("exercise type", "Drill")

    class State(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("exercise state", "Planned")
        RUNNING = "running", pgettext_lazy("exercise state", "Running")
        PAUSED = "paused", pgettext_lazy("exercise state", "Paused")
        ENDED = "ended", pgettext_lazy("exercise state", "Ended")

    engagement = models.OneToOneField(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="exercise",
        limit_choices_to={"type": "exercise"}, verbose_name=_("engagement"))
    kind = models.CharField(_("exercise type"), max_length=12, choices=Kind.choices,
                            default=Kind.TABLETOP)
    scenario_en = LongTextField(_("scenario (English)"))
    scenario_es = LongTextField(_("scenario (Spanish)"))
    startex = models.DateTimeField(_("STARTEX"), validators=[validate_year],
                                   help_text=_("When play starts; injects are scheduled from "
                                               "it."))
    endex = models.DateTimeField(_("ENDEX"), validators=[validate_year],
                                 help_text=_("When play is planned to end."))
    state = models.CharField(_("state of conduct"), max_length=8, choices=State.choices,
                             default=State.PLANNED)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    paused_seconds = models.PositiveBigIntegerField(
        _("time paused (seconds)"), default=0,
        help_text=_("The total of the pauses that have ended; injects shift by it."))
    evaluators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                        related_name="evaluated_exercises",
                                        verbose_name=_("evaluators"))

    class Meta:
        ordering = ["-startex", "-pk"]
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")
        permissions = [*marking_permissions("exercise"),
                       ("conduct_exercise", "Can control the conduct of exercises")]
        constraints = [models.CheckConstraint(
            condition=models.Q(endex__gte=models.F("startex")),
            name="exercise_endex_on_or_after_startex",
            violation_error_message=ENDEX_BEFORE_STARTEX)]

    def __str__(self):
        return str(self.engagement)

    def clean(self):
        if self.startex and self.endex and self.endex < self.startex:
            raise ValidationError({"endex": ENDEX_BEFORE_STARTEX})

    @property
    def title(self):
        return self.engagement.title

    @property
    def scenario(self):
        return localized(self, "scenario")

    @property
    def paused(self):
        return timedelta(seconds=self.paused_seconds)

    def get_absolute_url(self):
        return reverse("exercises:detail", args=[self.pk])


class ExerciseObjective(MarkedModel):
    """What the exercise sets out to test, mapped to core capabilities and to the partnership's
    objectives. Evaluators rate it (HSEEP's P/S/M/U) after play."""
    MARKING_PARENTS = ("exercise",)
    MARKING_FOLLOWS = "exercise"

    class Rating(models.TextChoices):
        PERFORMED = "P", pgettext_lazy("objective rating", "Performed without challenges")
        SOME_CHALLENGES = "S", pgettext_lazy("objective rating",
                                             "Performed with some challenges")
        MAJOR_CHALLENGES = "M", pgettext_lazy("objective rating",
                                              "Performed with major challenges")
        UNABLE = "U", pgettext_lazy("objective rating", "Unable to be performed")

    # The ratings that count as the objective met.
    MET = frozenset({Rating.PERFORMED, Rating.SOME_CHALLENGES})

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="objectives",
                                 verbose_name=_("exercise"))
    number = models.PositiveSmallIntegerField(_("number"))
    text_en = LongTextField(_("objective (English)"))
    text_es = LongTextField(_("objective (Spanish)"))
    capabilities = models.ManyToManyField(CoreCapability, blank=True, related_name="objectives",
                                          verbose_name=_("core capabilities"))
    partnership_objectives = models.ManyToManyField(
        "partnerships.Objective", blank=True, related_name="exercise_objectives",
        verbose_name=_("partnership objectives"))
    rating = models.CharField(_("rating"), max_length=1, choices=Rating.choices, blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+", verbose_name=_("rated by"))
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)

    class Meta:
        ordering = ["exercise", "number", "pk"]
        verbose_name = _("exercise objective")
        verbose_name_plural = _("exercise objectives")
        permissions = marking_permissions("exerciseobjective")
        constraints = [models.UniqueConstraint(fields=["exercise", "number"],
                                               name="one_objective_number_per_exercise")]

    def __str__(self):
        return f"{self.number}. {self.text}"

    @property
    def text(self):
        return localized(self, "text")

    @property
    def met(self):
        return self.rating in self.MET


class Inject(MarkedModel):
    """A row of the Master Scenario Events List: what is sent to which players, when (minutes
    after STARTEX), and what they are expected to do. The job queue delivers it at its time
    during conduct; a controller may skip it. It may stand for a border event flagged as an
    exercise (border.BorderEvent.is_exercise)."""
    MARKING_PARENTS = ("exercise",)
    MARKING_FOLLOWS = "exercise"

    class SenderRole(models.TextChoices):
        SIMCELL = "simcell", pgettext_lazy("inject sender", "Simulation cell (SimCell)")
        CONTROLLER = "controller", pgettext_lazy("inject sender", "Controller")
        ORGANIZATION = "organization", pgettext_lazy("inject sender", "Organization")

    class State(models.TextChoices):
        SCHEDULED = "scheduled", pgettext_lazy("inject state", "Scheduled")
        DELIVERED = "delivered", pgettext_lazy("inject state", "Delivered")
        SKIPPED = "skipped", pgettext_lazy("inject state", "Skipped")

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="injects",
                                 verbose_name=_("exercise"))
    number = models.PositiveIntegerField(_("number"))
    offset_minutes = models.PositiveIntegerField(
        _("minutes after STARTEX"), validators=[MaxValueValidator(MAX_OFFSET_MINUTES)])
    sender_role = models.CharField(_("sender"), max_length=12, choices=SenderRole.choices,
                                   default=SenderRole.SIMCELL)
    sender_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("sending organization"),
        help_text=_("When the inject comes from a named organization."))
    receivers = models.ManyToManyField("accounts.Organization", related_name="+",
                                       verbose_name=_("receiving players"))
    text_en = LongTextField(_("inject (English)"))
    text_es = LongTextField(_("inject (Spanish)"))
    expected_action_en = LongTextField(_("expected action (English)"))
    expected_action_es = LongTextField(_("expected action (Spanish)"))
    objectives = models.ManyToManyField(ExerciseObjective, blank=True, related_name="injects",
                                        verbose_name=_("objectives addressed"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.SCHEDULED)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    skipped_at = models.DateTimeField(_("skipped"), null=True, blank=True)
    skipped_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("skipped by"))
    skip_reason = LongTextField(_("reason skipped"), max_length=REASON, blank=True)
    added_during_conduct = models.BooleanField(_("added during conduct"), default=False)
    border_event = models.ForeignKey(
        "border.BorderEvent", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="injects", limit_choices_to={"is_exercise": True},
        verbose_name=_("exercise border event"),
        help_text=_("A border event flagged as an exercise that this inject stands for."))

    class Meta:
        ordering = ["exercise", "offset_minutes", "number", "pk"]
        verbose_name = _("inject")
        verbose_name_plural = _("injects")
        permissions = marking_permissions("inject")
        constraints = [models.UniqueConstraint(fields=["exercise", "number"],
                                               name="one_inject_number_per_exercise")]
        indexes = [models.Index(fields=["state", "exercise"])]

    def __str__(self):
        return f"{self.number}. {self.text[:60]}"

    @property
    def text(self):
        return localized(self, "text")

    @property
    def expected_action(self):
        return localized(self, "expected_action")

    def get_absolute_url(self):
        return reverse("exercises:inject", args=[self.exercise_id, self.pk])


class PlayerResponse(MarkedModel):
    """What a receiving organization's player did about a delivered inject, in the writer's
    language. Released exactly like the inject."""
    MARKING_PARENTS = ("inject",)
    MARKING_FOLLOWS = "inject"

    inject = models.ForeignKey(Inject, on_delete=models.CASCADE, related_name="responses",
                               verbose_name=_("inject"))
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organization"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("author"))
    text = LongTextField(_("response"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    at = models.DateTimeField(_("time"), validators=[validate_year])

    class Meta:
        ordering = ["inject", "at", "pk"]
        verbose_name = _("player response")
        verbose_name_plural = _("player responses")
        permissions = marking_permissions("playerresponse")

    def __str__(self):
        return self.text[:60]


class EvaluatorObservation(MarkedModel):
    """An evaluator's observation against an objective: a strength or an area for
    improvement."""
    MARKING_PARENTS = ("exercise",)
    MARKING_FOLLOWS = "exercise"

    class Kind(models.TextChoices):
        STRENGTH = "strength", pgettext_lazy("evaluator observation kind", "Strength")
        IMPROVEMENT = "improvement", pgettext_lazy("evaluator observation kind",
                                                   "Area for improvement")

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE,
                                 related_name="observations", verbose_name=_("exercise"))
    objective = models.ForeignKey(ExerciseObjective, on_delete=models.PROTECT,
                                  related_name="observations", verbose_name=_("objective"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text_en = LongTextField(_("observation (English)"))
    text_es = LongTextField(_("observation (Spanish)"))
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("evaluator"))
    at = models.DateTimeField(_("time"), validators=[validate_year])

    class Meta:
        ordering = ["exercise", "objective__number", "at", "pk"]
        verbose_name = _("evaluator observation")
        verbose_name_plural = _("evaluator observations")
        permissions = marking_permissions("evaluatorobservation")

    def __str__(self):
        return self.text[:60]

    @property
    def text(self):
        return localized(self, "text")


class ImprovementItem(MarkedModel):
    """An item of the improvement plan from the hotwash and after-action report: what to
    improve, which organization owns it, by when. It is written into the engagement's
    after-action report (`aar_observation`) and may feed a partnership indicator's
    measurement."""
    MARKING_PARENTS = ("exercise",)
    MARKING_FOLLOWS = "exercise"

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("improvement item state", "Open")
        IN_PROGRESS = "in_progress", pgettext_lazy("improvement item state", "In progress")
        DONE = "done", pgettext_lazy("improvement item state", "Done")
        CANCELLED = "cancelled", pgettext_lazy("improvement item state", "Cancelled")

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE,
                                 related_name="improvement_items", verbose_name=_("exercise"))
    observation = models.ForeignKey(EvaluatorObservation, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="improvement_items",
                                    verbose_name=_("observation"))
    text_en = LongTextField(_("corrective action (English)"))
    text_es = LongTextField(_("corrective action (Spanish)"))
    owner_organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                                           related_name="+",
                                           verbose_name=_("owner organization"))
    due_date = models.DateField(_("due date"), validators=[validate_year])
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.OPEN)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    after_action_report = models.ForeignKey(
        "engagements.AfterActionReport", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("after-action report"))
    aar_observation = models.ForeignKey(
        "engagements.Observation", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("after-action report observation"))
    indicator = models.ForeignKey(
        "partnerships.Indicator", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("indicator"))
    measurement = models.ForeignKey(
        "partnerships.Measurement", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("measurement"))

    class Meta:
        ordering = ["exercise", "due_date", "pk"]
        verbose_name = _("improvement item")
        verbose_name_plural = _("improvement items")
        permissions = [*marking_permissions("improvementitem"),
                       ("transition_improvementitem", "Can move improvement items through their "
                                                      "states")]

    def __str__(self):
        return self.text[:60]

    @property
    def text(self):
        return localized(self, "text")
