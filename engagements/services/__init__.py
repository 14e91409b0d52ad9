"""Every write on engagements, one module per concern: `engagements` (engagements, budget
lines, people, participants and their gates), `readiness`, `lifecycle`, `after_action` and
`feeds` (calendar feeds). Views, the API and jobs all come through these."""
