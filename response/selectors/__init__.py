"""Every read of mutual aid, through restrict(): the querysets and lookups the pages, the API,
the exports and the demo share, one module per capability. Writes are in `response.services`."""
