# ---- Engagements, budget lines, people, participants ----------------------------------------


# ---- After-action reports -------------------------------------------------------------------
