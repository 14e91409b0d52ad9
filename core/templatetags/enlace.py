from django import template

from core.history import describe_changes
from core.models import localized

register = template.Library()


@register.filter
def tr(obj, field):
    """`{{ record|tr:"name" }}`: the field in the reader's language, falling back to the other."""
    return localized(obj, field)


@register.filter
def changes(entry):
    return describe_changes(entry)


@register.inclusion_tag("core/_marking.html")
def marking(record):
    return {"record": record, "rel_to": sorted(n.code for n in record.rel_to.all())}
