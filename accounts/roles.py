"""The product's roles and the permissions each one carries.

Permissions are named `app_label.codename` and matched with shell patterns, so a domain app that
adds models (and their `view_`, `add_`, `change_`, `delete_` and marking permissions) is covered by
the roles without a migration: `sync_roles` runs after every migrate. A pattern that starts with
`!` takes matching permissions away again.
"""

from fnmatch import fnmatch

from django.utils.translation import gettext_noop

ENLACE_APPS = ("accounts", "core", "partnerships", "personnel", "engagements", "response",
               "border", "exercises", "interop")

# (code, English name, Spanish name, permission patterns)
# Passport data is for the personnel officer (and administrators) alone.
NO_PASSPORTS = "!*.view_passport_*"

ROLES = [
    ("administrator", gettext_noop("Administrator"), "Administrador", ["*"]),
    ("coordinator", gettext_noop("Partnership coordinator"), "Coordinador de la asociación",
     ["*.view_*", "partnerships.*", "engagements.*", "response.*", "border.*", "exercises.*",
      "interop.*", NO_PASSPORTS]),
    ("duty_officer", gettext_noop("Duty officer"), "Oficial de guardia",
     # An exercise's players include the duty officers who receive its injects.
     ["*.view_*", "response.*", "border.*", "interop.*", "exercises.add_playerresponse",
      NO_PASSPORTS]),
    ("personnel_officer", gettext_noop("Personnel officer"), "Oficial de personal",
     ["*.view_*", "personnel.*"]),
    # A partner's liaison registers its own nation's participants and writes after-action
    # reports with us; approving, recording and markings stay with the owning nation's roles,
    # and so does the partnership program (least privilege: a liaison reads it, the
    # coordinator writes it).
    ("liaison", gettext_noop("Liaison officer"), "Oficial de enlace",
     ["*.view_*",
      "engagements.add_person", "engagements.change_person", "engagements.add_participation",
      "engagements.change_participation",
      "engagements.change_afteractionreport", "engagements.add_attendance",
      "engagements.add_observation", "engagements.add_followonproposal",
      # Mutual aid: a partner's liaison asks for help when its nation is hit, offers help,
      # signs for its organization and reports on teams its nation hosts. In a disaster it is
      # also who releases its own nation's new requests, incidents and units to the partner.
      "response.review_disclosure_*", "response.add_aidagreement",
      "response.add_incident", "response.change_incident", "response.add_resourcerequest",
      "response.change_resourcerequest", "response.transition_resourcerequest",
      "response.add_offer", "response.change_offer", "response.transition_offer",
      "response.add_unit", "response.change_unit", "response.sign_aidagreement",
      "response.add_deployment", "response.change_deployment",
      "response.transition_deployment", "response.report_deployment",
      "response.add_rostermember", "response.change_rostermember",
      "response.add_deploymentcost", "response.change_deploymentcost",
      "response.add_allocationproposal", "response.change_allocationproposal",
      # Border events: a liaison reports its own side's events, moves them along, writes on
      # any event's timeline it may see and releases its nation's events to the partner.
      "border.add_borderevent", "border.change_borderevent", "border.transition_borderevent",
      "border.add_timelineentry", "border.review_disclosure_*",
      # A notice sent to the liaison's organization is acknowledged by it.
      "border.acknowledge_notice",
      # Its own side's lanes on the port-of-entry status board.
      "border.add_portstatusreport",
      # Exercises: its organization's players respond to injects; a liaison named an
      # evaluator records observations, and its organization's improvement items are its own.
      "exercises.add_playerresponse", "exercises.add_evaluatorobservation",
      "exercises.add_improvementitem", "exercises.change_improvementitem",
      "exercises.transition_improvementitem",
      # CAP alerts its nation receives: it imports them and releases them to the partner.
      "interop.add_receivedalert", "interop.change_receivedalert",
      "interop.review_disclosure_*",
      "!*.change_marking_*", NO_PASSPORTS]),
    ("analyst", gettext_noop("Analyst"), "Analista", ["*.view_*", NO_PASSPORTS]),
    ("viewer", gettext_noop("Viewer"), "Consulta", ["*.view_*", NO_PASSPORTS]),
]


def permissions_for(patterns):
    from django.contrib.auth.models import Permission

    perms = Permission.objects.filter(content_type__app_label__in=ENLACE_APPS).select_related(
        "content_type"
    )
    include = [p for p in patterns if not p.startswith("!")]
    exclude = [p[1:] for p in patterns if p.startswith("!")]

    def wanted(name):
        return (any(fnmatch(name, pat) for pat in include)
                and not any(fnmatch(name, pat) for pat in exclude))

    return [p for p in perms if wanted(f"{p.content_type.app_label}.{p.codename}")]


def sync_roles():
    from accounts.models import Role

    for code, name_en, name_es, patterns in ROLES:
        role, _ = Role.objects.update_or_create(
            code=code, defaults={"name": code, "name_en": name_en, "name_es": name_es}
        )
        role.permissions.set(permissions_for(patterns))


def sync_roles_after_migrate(sender, **kwargs):
    # Each app's permissions exist only after its own post_migrate, so sync after each of ours.
    if sender.label in ENLACE_APPS:
        sync_roles()
