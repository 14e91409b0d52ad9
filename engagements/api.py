from ninja import Router

router = Router(tags=["engagements"])

# ---- Engagements, budget lines, people, participants, transitions ---------------------------


# ---- After-action reports, dashboards, exports ----------------------------------------------
