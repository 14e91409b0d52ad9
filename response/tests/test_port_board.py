"""response reads the port-of-entry status board through response.port_board, which
settings.PORT_STATUS_BOARD points at the app that keeps it (border): with it the optimizer and
the map take the board; without it (no board installed) every port keeps its planning figures
and shows no status."""

import pytest
from django.test import override_settings

from response import port_board

pytestmark = pytest.mark.django_db


def test_the_board_comes_from_the_provider_the_settings_name(persona_of):
    from border.selectors import ports

    user = persona_of("duty_officer", "USA")
    assert port_board.board_by_key(user).keys() == ports.board_by_key(user).keys()
    assert port_board.status_labels() == {"open": "Open", "restricted": "Restricted",
                                          "closed": "Closed"}


@override_settings(PORT_STATUS_BOARD="")
def test_without_a_board_ports_keep_their_planning_figures_and_show_no_status(persona_of):
    user = persona_of("duty_officer", "USA")
    assert port_board.board_by_key(user) == {}
    assert port_board.planning_figures(None, 45) == (45, None)
    assert port_board.map_properties(None)["status"] is None
    assert port_board.status_labels() == {}
