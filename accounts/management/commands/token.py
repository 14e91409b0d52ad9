from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts import services
from accounts.models import APIToken, User


class Command(BaseCommand):
    help = "Create, list or revoke API tokens. `token create USERNAME` prints only the token."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token and print it (nothing else).")
        create.add_argument("username")
        create.add_argument("--write", action="store_true", help="Allow writes (default: read).")
        create.add_argument("--days", type=int, default=None, help="Days until it expires.")
        create.add_argument("--name", default="command line")
        listing = sub.add_parser("list", help="List a user's tokens.")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="Revoke a token by id.")
        revoke.add_argument("token_id", type=int)

    def _user(self, username):
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"No user named {username!r}.") from exc

    def handle(self, *args, action, **options):
        if action == "create":
            user = self._user(options["username"])
            try:
                _, key = services.create_token(user, name=options["name"],
                                               write=options["write"], days=options["days"])
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            self.stdout.write(key)
        elif action == "list":
            for token in self._user(options["username"]).api_tokens.all():
                state = "revoked" if token.revoked_at else ("active" if token.is_active
                                                             else "expired")
                access = "read-write" if token.write else "read-only"
                self.stdout.write(f"{token.pk}\t{token.hint}…\t{token.name}\t{access}\t"
                                  f"{token.expires_at:%Y-%m-%d}\t{state}")
        else:
            try:
                token = APIToken.objects.select_related("user").get(pk=options["token_id"])
            except APIToken.DoesNotExist as exc:
                raise CommandError(f"No token with id {options['token_id']}.") from exc
            services.revoke_token(token, actor=token.user)
            self.stdout.write(f"Revoked token {token.pk}.")
