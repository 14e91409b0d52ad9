"""Guard members, their qualifications and duty-status periods, and the external orders that
change those periods. Personnel records never leave the owning nation: whatever a marking says,
no partner user sees them (RELEASABLE_TO_OTHER_NATIONS)."""

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.fields import EncryptedTextField
from core.models import MarkedModel, localized, marking_permissions


class DutyStatus(models.TextChoices):
    NONE = "none", pgettext_lazy("duty status", "No duty status")
    SAD = "sad", pgettext_lazy("duty status", "State Active Duty")
    T32_TRAINING = "t32_training", pgettext_lazy("duty status", "Title 32 training")
    T32_502F = "t32_502f", pgettext_lazy("duty status", "Title 32 502(f)")
    T10_ACTIVE = "t10_active", pgettext_lazy("duty status", "Title 10 active duty")
    T10_12406 = "t10_12406", pgettext_lazy("duty status", "Title 10 federalized (10 U.S.C. 12406)")
    AGR_T32 = "agr_t32", pgettext_lazy("duty status", "AGR Title 32")
    AGR_T10 = "agr_t10", pgettext_lazy("duty status", "AGR Title 10")


class Authority(models.TextChoices):
    GOVERNOR = "governor", pgettext_lazy("controlling authority", "Governor (state control)")
    PRESIDENT = "president", pgettext_lazy("controlling authority", "President (federal control)")


# Title 10 in any form puts a member under the President; everything else stays the governor's.
FEDERAL_STATUSES = frozenset({DutyStatus.T10_ACTIVE, DutyStatus.T10_12406, DutyStatus.AGR_T10})


def authority_of(status):
    return Authority.PRESIDENT if status in FEDERAL_STATUSES else Authority.GOVERNOR


def authority_expression(field="status"):
    """The controlling authority as a SQL expression, for counting and filtering."""
    return Case(When(**{f"{field}__in": list(FEDERAL_STATUSES)}, then=Value(Authority.PRESIDENT)),
                default=Value(Authority.GOVERNOR), output_field=models.CharField())


class Unit(MarkedModel):
    RELEASABLE_TO_OTHER_NATIONS = False

    code = models.CharField(_("unit code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    station = models.CharField(_("home station"), max_length=200, blank=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name=_("parent unit"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        permissions = marking_permissions("unit")

    def __str__(self):
        return f"{self.code} {self.name}"


class Member(MarkedModel):
    RELEASABLE_TO_OTHER_NATIONS = False

    class Component(models.TextChoices):
        ARMY = "army", pgettext_lazy("member component", "Army National Guard")
        AIR = "air", pgettext_lazy("member component", "Air National Guard")
        STATE = "state", pgettext_lazy("member component", "State Guard")

    service_number = models.CharField(
        _("service number"), max_length=20, unique=True,
        help_text=_("The member's identifier in the personnel system; links imports."))
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    grade = models.CharField(_("grade"), max_length=8, help_text=_("For example E-5, O-3, W-2."))
    component = models.CharField(_("component"), max_length=8, choices=Component.choices,
                                 default=Component.ARMY)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="members",
                             verbose_name=_("unit"))
    specialty = models.CharField(_("specialty code"), max_length=16, blank=True,
                                 help_text=_("MOS or AFSC, for example 12B or 3E7X1."))
    languages = models.CharField(_("languages"), max_length=64, blank=True,
                                 help_text=_("ISO 639-1 codes separated by commas, e.g. en,es."))
    passport_number = EncryptedTextField(_("passport number"), blank=True)
    passport_expires = models.DateField(_("passport expires"), null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "service_number"]
        verbose_name = _("Guard member")
        verbose_name_plural = _("Guard members")
        permissions = [*marking_permissions("member"),
                       ("view_passport_member", "Can see members' passport data")]

    def __str__(self):
        return f"{self.grade} {self.last_name}, {self.first_name}"

    def get_absolute_url(self):
        return reverse("personnel:member", args=[self.pk])

    @property
    def language_list(self):
        return [code.strip() for code in self.languages.split(",") if code.strip()]


class Qualification(models.Model):
    class Kind(models.TextChoices):
        WILDLAND_FF = "wildland_ff", pgettext_lazy("qualification kind",
                                                   "Wildland firefighter (FFT2)")
        WILDLAND_CREW_BOSS = "wildland_crew_boss", pgettext_lazy("qualification kind",
                                                                 "Wildland crew boss (CRWB)")
        EMT = "emt", pgettext_lazy("qualification kind", "Emergency medical technician")
        PARAMEDIC = "paramedic", pgettext_lazy("qualification kind", "Paramedic")
        DRIVER = "driver", pgettext_lazy("qualification kind", "Driver licence")
        CDL = "cdl", pgettext_lazy("qualification kind", "Commercial driver licence")
        HELICOPTER_CREW = "helicopter_crew", pgettext_lazy("qualification kind",
                                                           "Helicopter aircrew")
        INTERPRETER = "interpreter", pgettext_lazy("qualification kind",
                                                   "Interpreter (Spanish–English)")
        OTHER = "other", pgettext_lazy("qualification kind", "Other")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="qualifications",
                               verbose_name=_("member"))
    kind = models.CharField(_("qualification"), max_length=32, choices=Kind.choices)
    reference = models.CharField(_("certificate or licence number"), max_length=64, blank=True)
    issued_on = models.DateField(_("issued"), null=True, blank=True)
    expires_on = models.DateField(_("expires"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "expires_on"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")

    def __str__(self):
        return self.get_kind_display()

    def is_current(self, on):
        return self.expires_on is None or self.expires_on >= on


class Order(MarkedModel):
    """An external order that changes members' duty status on an effective date: a
    federalization, a release, a court order, or a stay of an earlier order."""

    RELEASABLE_TO_OTHER_NATIONS = False

    class Kind(models.TextChoices):
        FEDERALIZATION = "federalization", pgettext_lazy("order kind", "Federalization order")
        RELEASE = "release", pgettext_lazy("order kind", "Release from federal service")
        STATE_ORDER = "state_order", pgettext_lazy("order kind", "State order")
        COURT_ORDER = "court_order", pgettext_lazy("order kind", "Court order")
        STAY = "stay", pgettext_lazy("order kind", "Stay of an earlier order")

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("order state", "Draft")
        APPLIED = "applied", pgettext_lazy("order state", "Applied")
        STAYED = "stayed", pgettext_lazy("order state", "Stayed")
        REVERSED = "reversed", pgettext_lazy("order state", "Reversed")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200)
    reference = models.CharField(_("reference"), max_length=100, blank=True,
                                 help_text=_("Order number or court case number."))
    issued_by = models.CharField(_("issued by"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    effective_at = models.DateTimeField(_("effective"))
    target_status = models.CharField(
        _("new duty status"), max_length=16, choices=DutyStatus.choices, blank=True,
        help_text=_("The status the members move to. Empty only for a stay."))
    deadline = models.DateTimeField(
        _("must return to state control by"), null=True, blank=True,
        help_text=_("For court orders: the date by which the members must be back under the "
                    "governor."))
    stays = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="stayed_by", verbose_name=_("stays order"))
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    members = models.ManyToManyField(Member, related_name="orders", blank=True,
                                     verbose_name=_("members covered"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices,
                             default=State.DRAFT)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        ordering = ["-effective_at", "-pk"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        permissions = [*marking_permissions("order"),
                       ("apply_order", "Can apply and reverse orders")]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return localized(self, "title")

    def get_absolute_url(self):
        return reverse("personnel:order", args=[self.pk])


class DutyPeriodQuerySet(models.QuerySet):
    def at(self, moment):
        """Periods in effect at `moment` (start inclusive, end exclusive)."""
        return self.filter(start__lte=moment).filter(Q(end__isnull=True) | Q(end__gt=moment))

    def overlapping(self, start, end):
        """Periods that share any instant with [start, end); end None is open-ended."""
        qs = self.filter(Q(end__isnull=True) | Q(end__gt=start))
        return qs if end is None else qs.filter(start__lt=end)


class DutyPeriod(models.Model):
    """One member's duty status from `start` until `end` (open-ended when empty). A member's
    periods never overlap (see services.add_period and services.apply_order). Visible exactly
    when its member is."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="periods",
                               verbose_name=_("member"))
    status = models.CharField(_("duty status"), max_length=16, choices=DutyStatus.choices)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"), null=True, blank=True)
    pay_source = models.CharField(_("pay source"), max_length=64, blank=True)
    orders_reference = models.CharField(_("orders reference"), max_length=100, blank=True)
    mission = models.CharField(_("mission"), max_length=200, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    opened_by = models.ForeignKey(Order, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="opened_periods", verbose_name=_("opened by order"))

    objects = DutyPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["member", "start"]
        verbose_name = _("duty period")
        verbose_name_plural = _("duty periods")
        indexes = [models.Index(fields=["member", "start"]), models.Index(fields=["start", "end"])]
        constraints = [
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gt=F("start")),
                                   name="duty_period_ends_after_it_starts"),
            models.UniqueConstraint(fields=["member", "start"],
                                    name="one_duty_period_per_member_start"),
        ]

    def __str__(self):
        return f"{self.member}: {self.get_status_display()}"

    @property
    def authority(self):
        return authority_of(self.status)


class OrderEffect(models.Model):
    """What applying an order did to one member, so it can be shown and reversed exactly."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="effects")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="order_effects")
    from_status = models.CharField(max_length=16, choices=DutyStatus.choices)
    to_status = models.CharField(max_length=16, choices=DutyStatus.choices)
    closed_period = models.ForeignKey(DutyPeriod, on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="+")
    closed_period_end = models.DateTimeField(null=True, blank=True,
                                             help_text="The closed period's end before the order.")
    opened_period = models.ForeignKey(DutyPeriod, on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["order", "member"],
                                               name="one_effect_per_order_and_member")]

    def __str__(self):
        return f"{self.member_id}: {self.from_status} → {self.to_status}"
