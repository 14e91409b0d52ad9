"""API schemas of border coordination: events and their timeline, counterpart notices."""
