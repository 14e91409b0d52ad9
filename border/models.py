"""Border coordination: events on the California–Baja California line that need both nations at
once (a wildfire crossing the line, sewage in the Tijuana River, a port closed…), their
timeline, and the counterpart notification protocol."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.bounds import REASON, LongTextField
from core.models import MarkedModel, localized, marking_permissions
from core.validators import validate_year
from response.models import LATITUDE, LONGITUDE, Incident


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
    # Derived from the point on every save (response.geo), stored so lists can filter by them.
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

        self.side = geo.side_of_boundary(self.latitude, self.longitude)
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
