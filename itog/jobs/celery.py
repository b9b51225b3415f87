"""The Celery application of Itog (production job engine; broker: Redis at ``ITOG_REDIS_URL``).

Configured from the Django settings ``CELERY_*`` (itog/settings.py). Started by ``itog worker`` (and
``itog worker --beat`` / ``itog beat`` for the schedule); ``celery -A itog.jobs.celery worker`` works too.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itog.settings")

app = Celery("itog", include=["itog.jobs.tasks"])
app.config_from_object("django.conf:settings", namespace="CELERY")
