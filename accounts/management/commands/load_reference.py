from django.core.management.base import BaseCommand

from accounts.reference import load_reference


class Command(BaseCommand):
    help = "Load or refresh the nations and organizations every Enlace instance needs."

    def handle(self, *args, **options):
        nations = load_reference()
        self.stdout.write(f"Reference data loaded: {len(nations)} nations.")
