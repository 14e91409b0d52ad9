from django import template

from border.models import BorderEvent, Side
from border.selectors import sitreps as selectors
from border.services.sitreps import WRITER_PERMISSION

register = template.Library()


@register.simple_tag(takes_context=True)
def event_sitreps(context, event):
    """`{% event_sitreps event as sitreps %}`: the event's situation reports the reader may see
    and whether the page offers a new one (the service decides again)."""
    user = context["request"].user
    return {"reports": list(selectors.reports_for(user, event)),
            "can_open": (user.has_perm(WRITER_PERMISSION)
                         and getattr(user.nation, "code", None) in Side.values
                         and event.state != BorderEvent.State.CLOSED)}
