"""Every write on mutual aid (validate → save → history → notify, in one transaction), one
module per capability: `incidents` (incidents and units), `aid` (requests, offers, the signed
agreement), `deployments` (deployments, the crossing, accountability, work/rest, costs). Views,
the API, jobs and the demo all come through here."""
