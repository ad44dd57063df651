"""The cx_audit project package: project plumbing at the root, one package per feature below.

Nothing is imported here on purpose: pure rule modules (``cx_audit.audits.scoring`` and the like)
must import without Django settings or Celery. The Celery app is loaded by ``CxAuditConfig.ready``
(web processes) and by ``celery -A cx_audit.celery`` (workers).
"""
