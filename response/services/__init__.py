"""Every write on mutual aid (validate → save → history → notify, in one transaction), one
module per capability: `incidents` (incidents and units), `requests` (resource requests),
`offers`, `agreements` (the three-part signed agreement), `deployments` (deployments, the
crossing, accountability, work/rest, costs) and `allocation` (the optimizer's proposals), with
what they share in `common`. Views, the API, jobs and the demo all come through here; reads are
in `response.selectors`."""
