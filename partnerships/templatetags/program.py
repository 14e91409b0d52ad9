"""Progress of the partnership program on pages: an indicator's chart (SVG, built by
partnerships.charts with translated text), amounts and status labels."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from partnerships import charts
from partnerships.selectors import MET, NO_DATA, OFF_TRACK, ON_TRACK

register = template.Library()

STATUS_LABELS = {
    MET: gettext_lazy("Target met"),
    ON_TRACK: gettext_lazy("On track"),
    OFF_TRACK: gettext_lazy("Off track"),
    NO_DATA: gettext_lazy("No measurement yet"),
}
SIZES = {"small": (240, 90), "large": (560, 200)}


@register.filter
def amount(value):
    """A decimal value without trailing zeros, in the reader's number format: 12, 12.5."""
    return "—" if value is None else floatformat(value, "-2")


@register.filter
def percent(value):
    """A percent with at most one decimal: 42.5, 60."""
    return "—" if value is None else floatformat(value, -1)


@register.filter
def status_label(status):
    return STATUS_LABELS.get(status, "")


def _day(value):
    return date_format(value, "SHORT_DATE_FORMAT")


def describe(progress):
    """The chart's text alternative: baseline, target, latest value and how far it has come."""
    indicator, latest = progress.indicator, progress.latest
    parts = [_("Baseline %(baseline)s %(unit)s on %(baseline_date)s; target %(target)s by "
               "%(target_date)s (%(direction)s).") % {
        "baseline": amount(indicator.baseline_value), "unit": indicator.unit_label,
        "baseline_date": _day(indicator.baseline_date),
        "target": amount(indicator.target_value), "target_date": _day(indicator.target_date),
        "direction": indicator.get_direction_display().lower()}]
    count = len(progress.measurements)
    if latest is None:
        parts.append(_("No measurement yet."))
    else:
        parts.append(ngettext("%(count)d measurement; the latest is %(value)s on %(date)s.",
                              "%(count)d measurements; the latest is %(value)s on %(date)s.",
                              count) % {"count": count, "value": amount(latest.value),
                                        "date": _day(latest.as_of)})
        if progress.percent is not None:
            parts.append(_("%(percent)s%% of the way from baseline to target.")
                         % {"percent": percent(progress.percent)})
    parts.append(str(STATUS_LABELS[progress.status]) + ".")
    return " ".join(parts)


@register.simple_tag
def indicator_chart(progress, size="small"):
    """`{% indicator_chart progress "large" %}`: the indicator's measurements as a step line
    with its baseline and target."""
    indicator = progress.indicator
    width, height = SIZES.get(size, SIZES["small"])
    points = [charts.Point(m.as_of, float(m.value), _("%(value)s on %(date)s") % {
        "value": amount(m.value), "date": _day(m.as_of)}) for m in progress.measurements]
    # mark_safe: the chart escapes every text it holds.
    return mark_safe(charts.step_chart(
        points, baseline=indicator.baseline_value, target=indicator.target_value,
        start=indicator.baseline_date, end=indicator.target_date,
        chart_id=f"chart-{size}-{indicator.pk}", title=indicator.name,
        description=describe(progress),
        baseline_label=_("Baseline %(value)s") % {"value": amount(indicator.baseline_value)},
        target_label=_("Target %(value)s") % {"value": amount(indicator.target_value)},
        width=width, height=height, show_day=_day))
