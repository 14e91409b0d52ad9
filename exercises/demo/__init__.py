"""The exercises' demo: the binational tabletop exercise "wildfire crossing the line at
Tecate" (exercises.demo.tecate), conducted, evaluated and with its improvement plan.
Idempotent: running it again makes nothing."""

from exercises.demo import tecate


def load(users):
    tecate.load(users)
