# ---- Engagements, budget lines, people, participants, checklist -----------------------------


# ---- After-action reports, dashboards, calendar, exports ------------------------------------
