"""The Celery application: long jobs (bulk PDF scorecards) run on workers fed through Redis.

Configured from Django's settings (the ``CELERY_*`` names, read from the environment in
settings.py): ``CELERY_BROKER_URL`` and ``CELERY_RESULT_BACKEND`` default to the local Redis.
Run a worker with ``celery -A cx_audit.celery worker`` (``make worker``).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cx_audit.settings")

app = Celery("cx_audit")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["cx_audit.reports", "cx_audit.actions", "locations"])
