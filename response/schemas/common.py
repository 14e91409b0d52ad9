"""API types the mutual-aid schemas share: ids, organization acronyms and resource-kind codes
as clients send them, and the marking a new record takes."""

from typing import Annotated

from ninja import Field

from core.schemas import MarkingIn

# A database id: the databases take a signed 64-bit integer.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
KindCode = Annotated[str, Field(min_length=1, max_length=32, examples=["CREW-HAND-T2"])]
Acronym = Annotated[str, Field(min_length=1, max_length=32, examples=["CONAFOR"])]
# Who may see a new record; by default only its owner's nation.
NewMarking = Annotated[MarkingIn, Field(default_factory=MarkingIn)]


def attribute(path):
    """A resolver reading the dotted `path` off the record ("organization.acronym"); None
    where a link on the way is empty."""
    names = path.split(".")

    def read(obj):
        for name in names:
            if obj is None:
                return None
            obj = getattr(obj, name)
        return obj

    return staticmethod(read)
