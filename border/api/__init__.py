"""The border coordination API under /api/v1/border/, one module per capability: events (and
their map layer), counterpart notices, the port-of-entry status board."""
