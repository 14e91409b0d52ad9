"""Joint situation reports: every write (validate → save → history → notify, in one transaction).

A report covers one operational period of a border event; its periods are numbered 1, 2, 3…
per event and never overlap. It has a section for each border nation (the United States and
Mexico), and each section is written — situation, actions taken, resources committed, needs,
next period, every one in English and in Spanish — only by users of that nation whose role
reports border events (`border.add_borderevent`, as for the events themselves), then submitted.
The report goes draft → partly submitted → published when both sections are in; a published
report is read-only, and each submission tells the other side. The report and its sections
carry the event's marking (MARKING_FOLLOWS, core.services.apply_parent_marking), so whoever
may not see the event sees none of them. Reads are in `border.selectors.sitreps`."""

import zoneinfo

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Nation, User
from border.models import (
    SITREP_FIELDS,
    BorderEvent,
    Side,
    SitrepSection,
    SituationReport,
    exercise_banner,
)
from core.audit import acting_as
from core.humanize import when
from core.permissions import require, require_role
from core.services import apply_parent_marking, model_errors, notify
from response.services.common import moment

RS = SituationReport.State
WRITER_PERMISSION = "border.add_borderevent"  # the role that reports border events
SECTION_FIELDS = tuple(f"{name}_{language}" for name in SITREP_FIELDS for language in ("en", "es"))


def border_nations():
    """The nations that write a joint report: those of the two sides of the line."""
    return list(Nation.objects.filter(code__in=Side.values).order_by("-code"))  # USA, MEX


def _check_writer(user, event):
    """A user of a border nation whose role reports border events; the event must be seen."""
    require(user, event, "view")
    require_role(user, WRITER_PERMISSION)
    if user.nation.code not in Side.values:
        raise PermissionDenied(_("Only the United States and Mexico write joint situation "
                                 "reports."))


def _check_released_to_both(event, nations):
    hidden = [n for n in nations if n.pk != event.owner_nation_id
              and not BorderEvent.objects.released_to(n.pk).filter(pk=event.pk).exists()]
    if hidden:
        raise ValidationError({"event": _(
            "The event is not released to %(nations)s with foreign disclosure approved: both "
            "nations must see it to write a joint report.") % {
                "nations": ", ".join(n.name for n in hidden)}})


def _check_period(errors, event, start, end, exclude=None):
    if start is None:
        errors["period_start"] = _("This field is required.")
    if end is None:
        errors["period_end"] = _("This field is required.")
    if errors:
        return
    if end <= start:
        errors["period_end"] = _("The operational period must end after it starts.")
        return
    if start < event.started_at:
        errors["period_start"] = _("The operational period cannot start before the event "
                                   "started (%(started)s).") % {"started": when(event.started_at)}
        return
    others = SituationReport.objects.filter(event=event, period_start__lt=end,
                                            period_end__gt=start)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    overlapping = others.order_by("number").first()
    if overlapping is not None:
        errors["period_start"] = _(
            "The period overlaps report %(number)s (%(start)s – %(end)s): operational periods "
            "of an event never overlap.") % {"number": overlapping.number,
                                             "start": when(overlapping.period_start),
                                             "end": when(overlapping.period_end)}


@transaction.atomic
def open_report(user, event, *, period_start, period_end):
    """A new situation report of the event for an operational period, numbered next, with an
    empty section for each border nation; it carries the event's marking. Either nation's
    reporting role may open it, once the event is released to both, until the event is
    closed (its open reports may still be written and submitted)."""
    _check_writer(user, event)
    event = BorderEvent.objects.select_for_update().get(pk=event.pk)  # numbers in turn
    if event.state == BorderEvent.State.CLOSED:
        raise ValidationError({"event": _("The event is closed: open no new situation report "
                                          "for it.")})
    errors = {}
    start, end = (moment(period_start, "period_start") if period_start is not None else None,
                  moment(period_end, "period_end") if period_end is not None else None)
    _check_period(errors, event, start, end)
    if errors:
        raise ValidationError(errors)
    nations = border_nations()
    _check_released_to_both(event, nations)
    number = (SituationReport.objects.filter(event=event).aggregate(n=Max("number"))["n"]
              or 0) + 1
    report = SituationReport(event=event, number=number, period_start=start, period_end=end,
                             owner_nation_id=event.owner_nation_id, created_by=user)
    with acting_as(user):
        apply_parent_marking(report)
        for nation in nations:
            apply_parent_marking(SitrepSection(report=report, nation=nation,
                                               owner_nation_id=event.owner_nation_id,
                                               created_by=user))
    return report


def _locked_section(user, section):
    """The section, locked with its report, once the user may write it: 404 if the report is
    not seen; refused to another nation's users, on a published report or a submitted
    section."""
    require(user, section, "view")
    report = SituationReport.objects.select_for_update().select_related(
        "event__kind", "event__owner_nation").get(pk=section.report_id)
    _check_writer(user, report.event)
    locked = SitrepSection.objects.select_for_update().select_related("nation").get(
        pk=section.pk)
    locked.report = report
    if user.nation_id != locked.nation_id:
        raise PermissionDenied(_("Only a user of %(nation)s may write or submit its section.")
                               % {"nation": locked.nation.name})
    if report.state == RS.PUBLISHED:
        raise ValidationError(_("The report is published: it can no longer change."))
    if locked.submitted:
        raise ValidationError(_("This section was submitted: it can no longer change."))
    return locked


@transaction.atomic
def write_section(user, section, **fields):
    """Change the fields given of the user's own nation's section (both languages may be
    written over several sittings; submitting asks for all of them)."""
    unknown = set(fields) - set(SECTION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    locked = _locked_section(user, section)
    for name, value in fields.items():
        setattr(locked, name, (value or "").strip())
    errors = {}
    model_errors(locked, errors, exclude=["report", "nation", "organization", "written_by",
                                          "submitted_by"])
    if errors:
        raise ValidationError(errors)
    locked.written_by = user
    locked.organization = user.organization
    with acting_as(user):
        locked.save()
    return locked


@transaction.atomic
def submit_section(user, section, **fields):
    """Submit the user's own nation's section (with any fields given written first): every
    field in both languages. When the other nation's section is in too the report is
    published (read-only); either way the other side is told."""
    locked = write_section(user, section, **fields) if fields else _locked_section(user, section)
    missing = {name: _("Required in English and in Spanish before the section is submitted.")
               for name in SECTION_FIELDS if not getattr(locked, name).strip()}
    if missing:
        raise ValidationError(missing)
    now = timezone.now()
    report = locked.report
    locked.submitted_at, locked.submitted_by = now, user
    locked.written_by, locked.organization = user, user.organization
    pending = SitrepSection.objects.filter(report=report, submitted_at__isnull=True) \
        .exclude(pk=locked.pk).exists()
    report.state = RS.PARTLY_SUBMITTED if pending else RS.PUBLISHED
    report.published_at = None if pending else now
    with acting_as(user):
        locked.save()
        report.save(update_fields=["state", "published_at", "updated_at"])
        _tell_other_side(report, locked)
    return locked


# ---- Telling the other side -------------------------------------------------------------------

def writers_of(nation_ids):
    """Active users of these nations whose role reports border events (who write sections)."""
    permission = Permission.objects.filter(content_type__app_label="border",
                                           codename="add_borderevent")
    has = (Q(groups__permissions__in=permission) | Q(user_permissions__in=permission))
    return (User.objects.filter(has, is_active=True, organization__nation_id__in=nation_ids)
            .select_related("organization").distinct().order_by("pk"))


def _in(language, user, render, event):
    zone = zoneinfo.ZoneInfo(user.time_zone) if getattr(user, "time_zone", "") else None
    with translation.override(language), timezone.override(zone):
        text = str(render())
    return f"{exercise_banner(language)} — {text}" if event.is_exercise else text


def _tell_other_side(report, section):
    """The other nations' writers who may see the report learn that `section` was submitted
    and, when it is, that the report is published (core.services.notify checks that each may
    see it)."""
    event = report.event
    others = [n.pk for n in border_nations() if n.pk != section.nation_id]

    def render():
        values = {"number": report.number, "event": event,
                  "nation": section.nation.name, "start": when(report.period_start),
                  "end": when(report.period_end)}
        if report.state == RS.PUBLISHED:
            return _("Situation report %(number)s of %(event)s (%(start)s – %(end)s) is "
                     "published: %(nation)s submitted the last section.") % values
        return _("%(nation)s submitted its section of situation report %(number)s of "
                 "%(event)s (%(start)s – %(end)s): your nation's section is awaited.") % values

    key = f"border:sitrep:{report.pk}:{report.state}:{section.nation_id}"
    for user in writers_of(others):
        notify([user], report, _in("en", user, render, event), _in("es", user, render, event),
               report.get_absolute_url(), key=key)
