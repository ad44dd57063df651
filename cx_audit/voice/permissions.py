"""Who closes a customer-recovery action (`cx_audit.core.permissions.may`); the brand settings of
the voice (policy, lexicon, survey links) and feedback imports take the default: HQ admins."""

from __future__ import annotations

from cx_audit.actions.permissions import runs_the_outlet_still
from cx_audit.core.permissions import administers, register
from cx_audit.voice.models import RecoveryAction


def connect() -> None:
    """A recovery action carries its brand, franchisee and location as a corrective action does, so
    the same rule decides: the outlet's franchisee calls its own unhappy customers back while it
    still runs the store, and HQ admins may for any store."""
    register(RecoveryAction, close=administers | runs_the_outlet_still)
