"""Every form that creates a marked record asks for its marking in the one fieldset
(core/_marking_fieldset.html with core.forms.MarkingForm): the shared record form, the new
order and the new unsolicited offer read the same legend and fields, in Spanish too."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

PAGES = [("response:request_create", "duty_officer"),
         ("personnel:order_create", "personnel_officer"),
         ("response:offer_create", "duty_officer")]


@pytest.mark.parametrize(("page", "role"), PAGES)
def test_a_new_marked_record_asks_its_marking_in_the_one_fieldset(client_for, persona_of, page,
                                                                   role):
    client = client_for(persona_of(role), HTTP_ACCEPT_LANGUAGE="es")
    with translation.override("es"):
        html = client.get(reverse(page)).content.decode()
    # Its fields up to the submit button: the marking is the form's last part.
    (fieldset,) = re.findall(r"<fieldset><legend>Marca de divulgación</legend>(.*?)<button",
                             html, re.S)
    for name in ("m-rel_to", "m-disclosure", "m-tlp"):
        assert f'name="{name}"' in fieldset, name
