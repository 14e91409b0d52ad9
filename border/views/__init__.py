"""Border coordination pages, one module per capability: border events and their timeline
(events), the counterpart notices (notices) and the port-of-entry status board (ports)."""
