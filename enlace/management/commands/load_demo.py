from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import demo as accounts_demo
from accounts.reference import load_reference
from border import demo as border_demo
from engagements import demo as engagements_demo
from exercises import demo as exercises_demo
from partnerships import demo as partnerships_demo
from personnel import demo as personnel_demo
from response import demo as response_demo


class Command(BaseCommand):
    help = "Load the demo data (idempotent: running it again changes and duplicates nothing)."

    @transaction.atomic
    def handle(self, *args, **options):
        load_reference()
        users = accounts_demo.load()
        partnerships_demo.load(users)
        personnel_demo.load(users)
        engagements_demo.load(users)
        response_demo.load(users)
        border_demo.load(users)
        exercises_demo.load(users)
        if not options["verbosity"]:
            return
        self.stdout.write(f"Demo accounts (password: {accounts_demo.DEMO_PASSWORD}):")
        for username, *_rest, what in accounts_demo.DEMO_USERS:
            self.stdout.write(f"  {username:<16} {what}")
