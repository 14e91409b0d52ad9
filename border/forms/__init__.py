"""Forms of the border coordination pages: events and their timeline, port status reports.
They shape input; the services decide what is allowed."""
