from django.core.management.base import BaseCommand

from border.contact_matrix import load_contact_matrix


class Command(BaseCommand):
    help = ("Load or refresh the binational contact matrix (who on the other side of the line is "
            "told of each kind of border event) from border/data/contact_matrix.csv. Run after "
            "load_reference.")

    def handle(self, *args, **options):
        count = load_contact_matrix()
        self.stdout.write(f"Contact matrix loaded: {count} rows.")
