"""Forms of the mutual-aid pages, one module per capability (incidents and units, requests
and offers, deployments, allocation) and what they share in `common`. They shape input; the
services decide what is allowed."""
