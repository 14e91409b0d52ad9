"""Demo accounts. Created only by `enlace load_demo`; never by migrations or reference data."""

from accounts.models import Organization, Role, User

DEMO_PASSWORD = "enlace-demo"

# (username, first, last, organization, role, time zone, what they do)
DEMO_USERS = [
    ("us.coordinator", "Dana", "Reyes", "CalGuard", "coordinator", "America/Los_Angeles",
     "CalGuard state partnership coordinator"),
    ("us.duty", "Marcus", "Lee", "CalGuard", "duty_officer", "America/Los_Angeles",
     "CalGuard Joint Operations Center duty officer"),
    ("us.j1", "Priya", "Nair", "CalGuard", "personnel_officer", "America/Los_Angeles",
     "CalGuard personnel officer (J1)"),
    ("us.caloes", "Erin", "Walsh", "CalOES", "coordinator", "America/Los_Angeles",
     "Cal OES planner"),
    ("mx.liaison", "Alejandra", "Morales", "DEFENSA", "liaison", "America/Tijuana",
     "DEFENSA liaison officer"),
    ("mx.bc", "Jorge", "Castillo", "PC-BC", "liaison", "America/Tijuana",
     "Baja California state civil protection"),
    ("mx.bcs", "Lucía", "Amador", "PC-BCS", "liaison", "America/Mazatlan",
     "Baja California Sur state civil protection"),
    ("admin", "Platform", "Administrator", "CalGuard", "administrator", "America/Los_Angeles",
     "platform administrator"),
]


def load():
    users = {}
    for username, first, last, org, role, tz, _what in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@enlace.example"
        user.organization = Organization.objects.get(acronym=org)
        user.time_zone = tz
        user.is_staff = user.is_superuser = role == "administrator"
        if created:
            user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Role.objects.get(code=role)])
        users[username] = user
    return users
