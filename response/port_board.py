"""The port-of-entry status board as response reads it: the optimizer's closures and waits
(response.services.allocation), the ports layer's colours (response.api.geojson) and the map
legend's words (response.views.map).

The board is kept by border, which builds on response (its events open response's incidents,
its reports are about response's ports): response never imports it. `settings.PORT_STATUS_BOARD`
names the module that provides the board — one place, as WORKING_NATIONS names for accounts the
rule partnerships keep — and border.selectors.ports is that module. Without it every port keeps
its planning figures and the map shows no status.

The provider has `board_by_key(user)` ({port key: row}, the one read of the current board as
the user may see it), `planning_figures(row, planning_wait)` ((wait or None when the port is
left out, note or None)), `map_properties(row)` (a port feature's status properties) and
`status_labels()` ({status code: label in the active language})."""

from importlib import import_module

from django.conf import settings


def _provider():
    path = getattr(settings, "PORT_STATUS_BOARD", "")
    return import_module(path) if path else None


def board_by_key(user):
    """{port key: the port's row of the current board as `user` may see it}."""
    provider = _provider()
    return provider.board_by_key(user) if provider else {}


def planning_figures(row, planning_wait):
    """The optimizer's wait for a port from its row of the board (None: left out) and the note
    that says so (None: the planning figure stands)."""
    provider = _provider()
    return provider.planning_figures(row, planning_wait) if provider else (planning_wait, None)


def map_properties(row):
    """The status properties of a port's feature on the map (the worse side's status, each
    side's status and line of text)."""
    provider = _provider()
    if provider:
        return provider.map_properties(row)
    return {"status": None, "status_label": None, "board_url": None, "status_usa": None,
            "status_usa_text": "", "status_mex": None, "status_mex_text": ""}


def status_labels():
    """{status code: its word in the active language}, for the map's legend."""
    provider = _provider()
    return provider.status_labels() if provider else {}
