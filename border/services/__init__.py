"""Every write of the border app, one module per concern: `events` (border events, their
lifecycle, timelines and the mutual-aid incident an event opens)."""
