"""No text a user types is unlimited: every text field of the domain models has a length its
form shows and `full_clean` enforces (core.bounds.LongTextField), save the texts Enlace composes
itself."""

from django.apps import apps
from django.core.validators import MaxLengthValidator
from django.db import models

# Written by Enlace, not typed: the agreed text of an agreement, a solver's error, a notice.
COMPOSED = {("response", "aidagreement", "text_en"), ("response", "aidagreement", "text_es"),
            ("response", "allocationproposal", "error"), ("core", "notification", "message_en"),
            ("core", "notification", "message_es")}


def test_every_text_a_user_types_is_bounded():
    unbounded = []
    for model in apps.get_models():
        if model._meta.app_label not in ("core", "accounts", "partnerships", "engagements",
                                         "personnel", "response"):
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, models.TextField) or not field.editable:
                continue
            key = (model._meta.app_label, model._meta.model_name, field.name)
            if key in COMPOSED or type(field).__name__ == "EncryptedTextField":
                continue
            if not (field.max_length and any(isinstance(v, MaxLengthValidator)
                                             for v in field.validators)):
                unbounded.append(".".join(key))
    assert not unbounded
