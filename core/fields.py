"""An encrypted text field: the value is stored as a Fernet token (AES-128-CBC + HMAC-SHA256).

Keys come from FIELD_ENCRYPTION_KEYS (comma-separated Fernet keys, newest first, so keys can be
rotated); the demo and tests derive one from SECRET_KEY.
"""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet():
    keys = settings.FIELD_ENCRYPTION_KEYS or [
        base64.urlsafe_b64encode(hashlib.sha256(
            b"enlace-field-encryption:" + settings.SECRET_KEY.encode()).digest()).decode()
    ]
    return MultiFernet([Fernet(k) for k in keys])


class EncryptedTextField(models.TextField):
    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return _fernet().encrypt(value.encode()).decode()

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        try:
            return _fernet().decrypt(value.encode()).decode()
        except InvalidToken:
            # A value written under a key that is no longer configured: never show ciphertext.
            return None
