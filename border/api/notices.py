"""The counterpart notices under /api/v1/border/notices: the list (yours, or every notice you
may see), one notice, and acknowledging it for your organization."""

from ninja import Query, Router
from ninja.pagination import paginate

from border.schemas.notices import NoticeFilter, NoticeOut
from border.selectors import notices as selectors
from border.services import notices as services
from core.api import Pagination, error_responses
from core.views import get_one

router = Router(tags=["border"])


def _notice(request, notice_id):
    return get_one(selectors.notices_for(request.user), notice_id)


@router.get("/border/notices", response={200: list[NoticeOut], **error_responses(422)})
@paginate(Pagination)
def list_notices(request, filters: Query[NoticeFilter]):
    """Notices about border events you may see, newest first; `mine=true` keeps those sent to
    your organization, `waiting=true` those nobody has acknowledged yet."""
    values = filters.dict()
    mine = values.pop("mine")
    notices = selectors.notices_for(request.user, **values)
    if mine:
        notices = notices.filter(organization_id=request.user.organization_id)
    return notices


@router.get("/border/notices/{notice_id}",
            response={200: NoticeOut, **error_responses(404, 422)})
def get_notice(request, notice_id: int):
    return _notice(request, notice_id)


@router.post("/border/notices/{notice_id}/acknowledge",
             response={200: NoticeOut, **error_responses(403, 404, 422)})
def acknowledge_notice(request, notice_id: int):
    """Acknowledge a notice sent to your organization (once; a notice that escalated may still
    be acknowledged, late). A user of another organization is refused (403)."""
    services.acknowledge(request.user, _notice(request, notice_id))
    return _notice(request, notice_id)
