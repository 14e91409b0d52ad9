"""Sign-in backends that load the signed-in user with what every request asks of it.

Each request loads its user once (the session's backend `get_user`); reading in the same query
whether the user's role requires MFA and whether an authenticator is set up spares the MFA
check (accounts.middleware) a query on every page, and still sees a role changed a moment ago.
"""

from allauth.account import auth_backends as allauth_backends
from allauth.mfa.models import Authenticator
from django.contrib.auth import backends as django_backends
from django.db.models import Exists, OuterRef

from accounts.models import Role, User


class _LoadsMFAState:
    def get_user(self, user_id):
        user = User._default_manager.annotate(
            role_requires_mfa=Exists(Role.objects.filter(user=OuterRef("pk"),
                                                         mfa_required=True)),
            has_authenticator=Exists(Authenticator.objects.filter(user=OuterRef("pk"))),
        ).filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_LoadsMFAState, django_backends.ModelBackend):
    pass


class AuthenticationBackend(_LoadsMFAState, allauth_backends.AuthenticationBackend):
    pass
