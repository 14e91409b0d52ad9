"""Every write on engagements: validate, save, history, in one transaction. Views, the API and
jobs all come through here."""

# ---- Engagements, budget lines, people, participants and their gates; the lifecycle ---------


# ---- After-action reports -------------------------------------------------------------------
