"""The mutual-aid API under /api/v1/: one router, its endpoints in a module per capability."""

from ninja import Router

from response.api import aid, allocation, deployments, geojson, incidents

router = Router(tags=["mutual aid"])
for module in (incidents, aid, deployments, geojson, allocation):
    router.add_router("/", module.router)
