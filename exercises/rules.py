"""Who does what in an exercise, decided once for pages, the API, the job and the notices.

- Controllers run the exercise (plan its objectives and MSEL, start, pause, resume and end it,
  skip or add injects): users whose role may conduct exercises (exercises.conduct_exercise,
  coordinators and administrators), of the nation that owns it, who lead its engagement or
  belong to the organizing organization — the lead's organization, or the organization of whoever
  created the exercise when the engagement has no lead.
- Players are the users of an inject's receiving organizations who may see the inject; they
  respond to it once it is delivered (exercises.add_playerresponse).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from core.permissions import may, require


def organizing_organization_id(exercise):
    """The organization that runs the exercise: its engagement lead's, else its creator's."""
    engagement = exercise.engagement
    if engagement.lead_id is not None:
        return engagement.lead.organization_id
    return exercise.created_by.organization_id if exercise.created_by_id else None


def _controls(user, exercise):
    return (exercise.engagement.lead_id == user.pk
            or (user.organization_id is not None
                and user.organization_id == organizing_organization_id(exercise)))


def is_controller(user, exercise):
    """Whether `user` is one of the exercise's controllers (for buttons and forms)."""
    return may(user, exercise, "conduct") and _controls(user, exercise)


def require_controller(user, exercise):
    """Refuse unless `user` controls the exercise: 404 when they may not see it, else
    PermissionDenied saying why."""
    require(user, exercise, "conduct", nation_refusal=_(
        "Only the nation that owns the exercise controls it."))
    if not _controls(user, exercise):
        raise PermissionDenied(_("Only the exercise's controllers (its engagement lead and the "
                                 "organizing organization) may do this."))


def is_receiver(user, inject, receiver_ids=None):
    """Whether the user's organization is among the inject's receiving players."""
    if user.organization_id is None:
        return False
    ids = receiver_ids if receiver_ids is not None else {
        o.pk for o in inject.receivers.all()}
    return user.organization_id in ids


def is_player(user, inject):
    """Whether `user` may respond to the inject: a user of a receiving organization, whose
    role may respond, who may see it."""
    return (user.has_perm("exercises.add_playerresponse") and is_receiver(user, inject)
            and may(user, inject))


# ---- Evaluation and the improvement plan (helper C) ------------------------------------------
#
# - Evaluators record observations against the objectives and rate them: users named among the
#   exercise's evaluators (the controllers name them, of any nation the exercise is released
#   to), whose role may record observations (exercises.add_evaluatorobservation), who may see
#   the exercise.
# - Planners write the improvement plan after the hotwash: the exercise's controllers and
#   evaluators, whose role may add improvement items.
# - An item moves (in progress, done, cancelled, reopened) by a planner or by a user of the
#   organization that owns it, whose role may move improvement items.


def _named_evaluator(user, exercise):
    return exercise.evaluators.filter(pk=user.pk).exists()


def is_evaluator(user, exercise):
    """Whether `user` evaluates the exercise (for buttons and forms)."""
    return (user.has_perm("exercises.add_evaluatorobservation") and may(user, exercise)
            and _named_evaluator(user, exercise))


def require_evaluator(user, exercise):
    """Refuse unless `user` evaluates the exercise: 404 when they may not see it."""
    require(user, exercise, "view")
    if not user.has_perm("exercises.add_evaluatorobservation"):
        raise PermissionDenied(_("Your role does not allow this action."))
    if not _named_evaluator(user, exercise):
        raise PermissionDenied(_("Only the exercise's evaluators record observations and "
                                 "rate its objectives."))


def is_planner(user, exercise):
    """Whether `user` writes the exercise's improvement plan (for buttons and forms)."""
    return (user.has_perm("exercises.add_improvementitem") and may(user, exercise)
            and (_named_evaluator(user, exercise) or is_controller(user, exercise)))


def require_planner(user, exercise):
    """Refuse unless `user` writes the exercise's improvement plan: 404 when they may not see
    it."""
    require(user, exercise, "view")
    if not user.has_perm("exercises.add_improvementitem"):
        raise PermissionDenied(_("Your role does not allow this action."))
    if not (_named_evaluator(user, exercise) or is_controller(user, exercise)):
        raise PermissionDenied(_("Only the exercise's controllers and evaluators write its "
                                 "improvement plan."))


def _works_item(user, item):
    return (user.organization_id is not None
            and user.organization_id == item.owner_organization_id) or (
        _named_evaluator(user, item.exercise) or is_controller(user, item.exercise))


def may_move_item(user, item):
    """Whether `user` may move the improvement item along (for buttons)."""
    return (user.has_perm("exercises.transition_improvementitem") and may(user, item)
            and _works_item(user, item))


def require_item_mover(user, item):
    """Refuse unless `user` may move the item: 404 when they may not see it."""
    require(user, item, "view")
    if not user.has_perm("exercises.transition_improvementitem"):
        raise PermissionDenied(_("Your role does not allow this action."))
    if not _works_item(user, item):
        raise PermissionDenied(_("Only the owner organization and the exercise's controllers "
                                 "and evaluators move an improvement item along."))


def may_move_items(user, exercise, items):
    """{item id: whether `user` may move it} for items of `exercise` the user sees: the rule of
    `may_move_item`, asked once for the whole plan rather than once per item."""
    items = list(items)
    if not items or not user.has_perm("exercises.transition_improvementitem"):
        return dict.fromkeys((i.pk for i in items), False)
    planner = _named_evaluator(user, exercise) or is_controller(user, exercise)
    return {i.pk: planner or (user.organization_id is not None
                              and user.organization_id == i.owner_organization_id)
            for i in items}
