"""Every read of border coordination, through restrict(), one module per capability: events
(and the one rule for real against exercise events), counterpart notices, the port-of-entry
status board. Writes are in `border.services`."""
