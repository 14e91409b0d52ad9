from django import template
from django.utils import timezone

from core import humanize
from core.history import action_label, readable_history
from core.models import localized
from core.related import shown

register = template.Library()


@register.filter
def tr(obj, field):
    """`{{ record|tr:"name" }}`: the field in the reader's language, falling back to the other."""
    return localized(obj, field)


@register.filter
def seen_by(record, user):
    """`{{ offer.incident|seen_by:user }}`: a related record's name and link, or "a record not
    released to you" when the reader may not see it (core.related)."""
    return shown(user, record)


@register.simple_tag
def readable(entries, user):
    """`{% readable history user as rows %}`: history entries as the reader reads them."""
    return readable_history(entries, user)


@register.filter(name="action_label")
def action_label_filter(entry):
    return action_label(entry)


@register.inclusion_tag("core/_marking.html")
def marking(record):
    return {"record": record, "rel_to": sorted(n.code for n in record.rel_to.all())}


@register.filter
def duration(minutes):
    """`{{ row.late_minutes|duration }}`: "5 d 5 h" in the reader's language."""
    return humanize.duration(minutes)


@register.filter
def grouped(number, decimals=None):
    """`{{ cost|grouped:2 }}`: the number with the reader's locale's separators."""
    return humanize.grouped(number, decimals)


@register.filter
def money(amount, currency):
    """`{{ cost.amount|money:cost.currency }}`: "84,000.00 USD" in the reader's format."""
    return humanize.money(amount, currency)


@register.simple_tag
def time_zone_name():
    """`{% time_zone_name %}`: the reader's time zone by the name they chose it by."""
    return humanize.time_zone_name(timezone.get_current_timezone_name())


@register.filter
def linked_as(item, text):
    """`{{ evidence.report|linked_as:_("after-action report") }}`: a related record shown through
    core.related (a Shown) as a link reading `text`, or the not-released text without it."""
    return item.html(text)
