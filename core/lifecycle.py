"""Lifecycles: the states a record moves through, declared once per model and used by every app.

A `Lifecycle` lists its `Transition`s: the states each is taken from, the state it leads to, its
button label (lazily translated, so it reads in the reader's language) and its guards. Pages and
the API ask `options(user, record)` for the buttons; services call `move(user, record, name)`,
which refuses a step the state does not allow, a missing reason and every unmet guard, then
saves the new state with history. Who may act stays with the service's permission check: it runs
before `move`, and the lifecycle's `may` asks the same check for the buttons."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import acting_as

EVERYWHERE = "__all__"  # the field of a reason that concerns the whole record


@dataclass(frozen=True)
class Transition:
    """One step. Each guard is called as `guard(record, **context)` and returns the reasons it
    is unmet now, as (field, message) pairs in the reader's language; none means it allows."""

    name: str  # how pages, the API and services name the step
    sources: tuple  # the states it may be taken from
    target: str  # the state it leads to
    label: object  # the button: gettext_lazy / pgettext_lazy
    guards: tuple = ()
    fields: tuple = ()  # what it accepts besides its name
    needs_reason: bool = False


@dataclass(frozen=True)
class TransitionOption:
    """A step as a page or the API offers it to one user now."""

    name: str
    label: str
    refusal: str = ""  # why a guard refuses it now; empty when it may be taken
    fields: tuple = ()
    needs_reason: bool = False

    @property
    def allowed(self):
        return not self.refusal


def refused_by_state(message):
    """A `refused` for `Lifecycle`: `message` with the record's kind, its state, and the step's
    label and target state (%(record)s, %(state)s, %(action)s, %(target)s; all but the label in
    lower case), on the whole record."""
    def refused(record, step):
        target = type(record).State(step.target).label
        return EVERYWHERE, message % {"record": record._meta.verbose_name,
                                      "state": record.get_state_display().lower(),
                                      "action": step.label, "target": str(target).lower()}
    return refused


class Lifecycle:
    """The transitions of one model whose `state` field holds its TextChoices.

    `may(user, record, step)` says whether the user's role and nation may take `step` (the
    service's own permission check); `refused(record, step)` words the refusal of a step the
    record's state does not allow, as (field, message); `reason_field`, when given, keeps the
    reason given with each step (empty when none). With `also_saves` (say "updated_at"), a
    move writes only the fields it changes and those: a record others write at the same time
    (a checklist, a job's progress) keeps their changes."""

    def __init__(self, *transitions, may, refused, reason_field=None, field="name",
                 also_saves=None):
        self.transitions = {t.name: t for t in transitions}
        self.may = may
        self.refused = refused
        self.reason_field = reason_field
        self.also_saves = also_saves
        self.field = field  # the argument that names the step, for an unknown name

    def __iter__(self):
        return iter(self.transitions.values())

    def __contains__(self, name):
        return name in self.transitions

    @property
    def names(self):
        return tuple(self.transitions)

    def step(self, name):
        """The transition called `name`; an unknown name is a validation error."""
        if name not in self.transitions:
            raise ValidationError({self.field: _("Unknown step %(name)s: choose one of "
                                                 "%(names)s.") % {
                "name": name, "names": ", ".join(self.transitions)}})
        return self.transitions[name]

    def reasons(self, record, step, **context):
        """Every guard of `step` unmet now: (field, message) pairs."""
        return [reason for guard in step.guards for reason in guard(record, **context)]

    def allows(self, record, name, **context):
        """Whether the record's state and every guard allow step `name` now (whoever asks)."""
        step = self.step(name)
        return record.state in step.sources and not self.reasons(record, step, **context)

    def options(self, user, record, **context):
        """The steps the user may take from the record's state, each with the guards' refusal
        now (a reason about a field the step accepts is left out: it may be given with it)."""
        options = []
        for step in self:
            if record.state not in step.sources or not self.may(user, record, step):
                continue
            refusals = [str(message) for field, message in self.reasons(record, step, **context)
                        if field not in step.fields]
            options.append(TransitionOption(step.name, str(step.label), " ".join(refusals),
                                            step.fields, step.needs_reason))
        return options

    def check_state(self, record, name):
        """The transition `name` if the record's state allows it; else the state's refusal."""
        step = self.step(name)
        if record.state not in step.sources:
            field, message = self.refused(record, step)
            raise ValidationError({field: message} if field != EVERYWHERE else message)
        return step

    def check(self, record, name, *, reason="", **context):
        """The transition `name` if the record may take it now; else a validation error: the
        state's refusal, a missing reason, or every unmet guard by field."""
        step = self.check_state(record, name)
        if step.needs_reason and not (reason or "").strip():
            raise ValidationError({"reason": _("Give the reason.")})
        errors = {}
        for field, message in self.reasons(record, step, reason=reason, **context):
            errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)
        return step

    @transaction.atomic
    def move(self, user, record, name, *, reason="", changes=None, **context):
        """Check the step (`check`), then put the record (locked by the caller) in its target
        state with `changes` (field → value) and save it, with history in the user's name.
        Returns the transition taken."""
        step = self.check(record, name, reason=reason, **context)
        changes = {"state": step.target, **(changes or {})}
        if self.reason_field:
            changes[self.reason_field] = (reason or "").strip()
        for field, value in changes.items():
            setattr(record, field, value)
        with acting_as(user):
            if self.also_saves is None:
                record.save()
            else:
                record.save(update_fields=[*changes, *self.also_saves])
        return step
