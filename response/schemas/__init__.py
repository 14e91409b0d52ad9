"""API schemas of mutual aid, one module per capability (incidents and units, requests, offers
and agreements, deployments) and the types they share in `common`."""
