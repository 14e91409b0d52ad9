"""The REST API: /api/v1/, OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

from ninja import NinjaAPI

from accounts.api import BearerTokenAuth, for_users
from accounts.api import router as accounts_router
from border.api.events import map_router as border_map_router
from border.api.events import router as border_router
from border.api.notices import router as border_notices_router
from border.api.ports import router as border_ports_router
from border.api.sitreps import router as border_sitreps_router
from core.api import BrowserSessionAuth, RequestParser, install_error_handlers
from engagements.api import router as engagements_router
from exercises.api.evaluation import router as exercises_evaluation_router
from exercises.api.exercises import router as exercises_router
from interop.api import router as interop_router
from partnerships.api import router as partnerships_router
from personnel.api import router as personnel_router
from response.api import router as response_router

api = NinjaAPI(
    title="Enlace API",
    version="1",
    description=(
        "Enlace, the operations platform of the California–Mexico State Partnership Program. "
        "Authenticate with the browser session (CSRF token on writes) or "
        "`Authorization: Bearer <token>`. Every list is paginated with `limit` and `offset`. "
        "Errors share one shape: `{\"detail\": ..., \"errors\": [{\"field\", \"message\"}]}`. "
        "A record not releasable to your nation answers 404."
    ),
    urls_namespace="api",
    # Bearer first: a session check that fails CSRF would otherwise end the attempt.
    auth=[BearerTokenAuth(), BrowserSessionAuth(csrf=True)],
    parser=RequestParser(),
    docs_decorator=for_users,
)
install_error_handlers(api)
api.add_router("/", accounts_router)
api.add_router("/", partnerships_router)
api.add_router("/", engagements_router)
api.add_router("/", personnel_router)
api.add_router("/", response_router)
api.add_router("/", border_router)
api.add_router("/", border_map_router)
api.add_router("/", border_notices_router)
api.add_router("/", border_ports_router)
api.add_router("/", exercises_router)
api.add_router("/", exercises_evaluation_router)
api.add_router("/", interop_router)
api.add_router("/", border_sitreps_router)
