"""Where Django's admin finds the ``cx_audit`` app's admin: each feature registers its own models."""

from cx_audit.actions import admin as actions
from cx_audit.audits import admin as audits
from cx_audit.core import admin as core
from cx_audit.disputes import admin as disputes
from cx_audit.reports import admin as reports
from cx_audit.scorecards import admin as scorecards
from cx_audit.voice import admin as voice

__all__ = ["actions", "audits", "core", "disputes", "reports", "scorecards", "voice"]
