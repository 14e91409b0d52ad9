"""Settings for the processes the fault tests start (tests/faults): production's
(enlace.settings, DEBUG off) with a job queue, cache and mail folder of the test run's own, so
runs never share a queue, and the solving lease's margin from the environment (short, so a
dead worker's claim lapses within a test)."""

import os

from enlace.settings import *  # noqa: F403
from enlace.settings import REDIS_URL

_NAME = os.environ["ENLACE_HUEY_NAME"]
HUEY = {"huey_class": "huey.RedisHuey", "name": _NAME, "url": REDIS_URL, "immediate": False}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                      "LOCATION": REDIS_URL, "KEY_PREFIX": _NAME}}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["ENLACE_MAIL_DIR"]
ALLOCATION_LEASE_MARGIN = float(os.environ.get("ALLOCATION_LEASE_MARGIN", "120"))
