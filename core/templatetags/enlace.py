from django import template

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
