"""The releasability rule, as a pure function.

A user sees a record only if the user's nation is in `rel_to` and, when that nation is not the
owner, foreign disclosure review is approved. `RestrictedQuerySet.restrict()` is the same rule in
SQL; this form serves single-object checks (notification fan-out, federation) and the property test
that keeps the two in step.
"""

from dataclasses import dataclass

NOT_REVIEWED = "not_reviewed"
IN_REVIEW = "in_review"
APPROVED = "approved"
DENIED = "denied"
DISCLOSURE_STATES = (NOT_REVIEWED, IN_REVIEW, APPROVED, DENIED)

TLP_LEVELS = ("clear", "green", "amber", "amber+strict", "red")


@dataclass(frozen=True)
class Marking:
    owner: str
    rel_to: frozenset[str]
    disclosure: str = NOT_REVIEWED
    tlp: str | None = None


def releasable_to(nation: str | None, marking: Marking) -> bool:
    if nation is None or nation not in marking.rel_to:
        return False
    return nation == marking.owner or marking.disclosure == APPROVED
