from django import template

from border import notice_selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def event_notices(context, event):
    """`{% event_notices event as notices %}`: what the event page shows of the event's
    notices to the reader (border.notice_selectors.event_notices)."""
    return notice_selectors.event_notices(context["request"].user, event)
