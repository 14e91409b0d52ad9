"""Every read of engagements, through restrict()."""

# ---- Engagements, participants, readiness checklist -----------------------------------------


# ---- After-action reports, dashboards, calendar ---------------------------------------------
