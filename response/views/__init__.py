"""Mutual-aid pages, one module per capability (incidents and units, requests/offers/agreements,
deployments and accountability, the map); each module ends with its `urlpatterns`."""
