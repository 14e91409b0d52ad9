from django import template

from personnel.models import Authority, DutyStatus, authority_of

register = template.Library()


@register.filter
def status_label(value):
    """`{{ member.status_at|status_label }}`: a duty status code in the reader's language."""
    try:
        return DutyStatus(value).label
    except ValueError:
        return value


@register.filter
def authority_label(value):
    try:
        return Authority(value).label
    except ValueError:
        return value


@register.filter
def authority_of_status(value):
    """The controlling authority's code for a duty status code."""
    return str(authority_of(value))


@register.filter
def days_overdue(remaining):
    """Whole days past a deadline, for a negative time remaining."""
    return (-remaining).days
