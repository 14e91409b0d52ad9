"""The exercises' demo: the binational tabletop exercise "wildfire crossing the line at
Tecate" (exercises.demo.tecate), conducted, evaluated and with its improvement plan.
Idempotent: running it again makes nothing."""

from exercises.demo import tecate
from exercises.models import CoreCapability
from exercises.reference import load_core_capabilities


def load(users):
    load_core_capabilities(CoreCapability)  # with the migrations; a flushed database lacks them
    tecate.load(users)
