from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import AuthorizationError
from ninja.pagination import paginate
from ninja.security import HttpBearer

from accounts import services
from accounts.models import Nation
from accounts.schemas import MeOut, NationOut, OrganizationOut, TokenCreate, TokenCreated, TokenOut
from accounts.selectors import organizations_for
from core.api import Pagination, authentication_required_message, error_body, error_responses

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; read-only tokens may not write."""

    def authenticate(self, request, token):
        api_token = services.authenticate_token(token)
        if api_token is None:
            return None
        if request.method not in SAFE_METHODS and not api_token.write:
            raise AuthorizationError(message=_("This API token is read-only."))
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


def for_users(view):
    """The API's description and docs page (NinjaAPI's docs_decorator): for a signed-in user or
    a valid bearer token; anyone else is sent to sign in (the JSON document answers 401)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated or BearerTokenAuth()(request) is not None:
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            return JsonResponse(error_body(authentication_required_message()), status=401)
        return redirect_to_login(request.get_full_path())

    return wrapped


router = Router(tags=["accounts"])


@router.get("/me", response={200: MeOut, **error_responses()})
def me(request):
    user = request.user
    return {
        "username": user.username,
        "full_name": user.get_full_name(),
        "organization": user.organization.acronym if user.organization else None,
        "nation": user.nation.code if user.nation else None,
        "roles": [role.code for role in user.roles],
        "time_zone": user.time_zone,
    }


@router.get("/nations", response={200: list[NationOut], **error_responses(422)})
@paginate(Pagination)
def list_nations(request):
    return Nation.objects.all()


@router.get("/organizations",
            response={200: list[OrganizationOut], **error_responses(422)})
@paginate(Pagination)
def list_organizations(request, nation: str | None = None):
    qs = organizations_for(request.user)
    return qs.filter(nation__code=nation.upper()) if nation else qs


@router.get("/tokens", response={200: list[TokenOut], **error_responses(422)})
@paginate(Pagination)
def list_tokens(request):
    return request.user.api_tokens.all()


@router.post("/tokens", response={201: TokenCreated, **error_responses(403, 422)})
def create_token(request, payload: TokenCreate):
    """Only a signed-in session makes tokens: a token that could make more would outlive its own
    expiry and revocation."""
    if getattr(request, "api_token", None) is not None:
        raise PermissionDenied(_("An API token cannot make another token: sign in to make one."))
    token, key = services.create_token(request.user, name=payload.name, write=payload.write,
                                       days=payload.days)
    return Status(201, {**TokenOut.from_orm(token).dict(), "key": key})


@router.post("/tokens/{token_id}/revoke",
             response={200: TokenOut, **error_responses(403, 404, 422)})
def revoke_token(request, token_id: int):
    token = get_object_or_404(request.user.api_tokens, pk=token_id)
    return services.revoke_token(token, actor=request.user)
