from django import template

from border.selectors import notices as notice_selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def event_notices(context, event):
    """`{% event_notices event as notices %}`: what the event page shows of the event's
    notices to the reader (border.selectors.notices.event_notices)."""
    return notice_selectors.event_notices(context["request"].user, event)
