"""How features plug into the layers below them without those layers importing them.

The dependency rule (docs/architecture.md) lets a feature import only what sits below it. Where a
lower layer must let a higher one act — the location page shows the audit history, submitting
an audit opens corrective actions — the lower layer offers a hook (a signal, a list of
providers) and this module connects the higher layer to it once, when the app is ready.
"""


def connect() -> None:
    """Connect every feature to the hooks of the layers below it (idempotent)."""
    from django.contrib import admin

    from cx_audit.actions import permissions as action_rules
    from cx_audit.actions import receivers as actions
    from cx_audit.audits import permissions as audit_rules
    from cx_audit.audits import signals
    from cx_audit.core import tokens
    from cx_audit.core.admin import operator_only
    from cx_audit.disputes import permissions as dispute_rules
    from cx_audit.scorecards import permissions as scorecard_rules
    from cx_audit.voice import permissions as voice_rules
    from journeys import permissions as framework_rules
    from locations import permissions as chain_rules

    for feature in (
        chain_rules,
        framework_rules,
        audit_rules,
        dispute_rules,
        scorecard_rules,
        action_rules,
        voice_rules,
    ):
        feature.connect()

    signals.audit_submitted.connect(actions.audit_submitted, dispatch_uid="actions.audit_submitted")
    signals.audit_voided.connect(actions.audit_voided, dispatch_uid="actions.audit_voided")
    signals.finding_ruled.connect(actions.finding_ruled, dispatch_uid="actions.finding_ruled")
    tokens.connect()  # a new password ends the user's API tokens
    operator_only(admin.site)  # admins that know no brand: superusers only
    _location_page()


def _location_page() -> None:
    """The location's page shows its audit history."""
    from cx_audit.audits.pages import location_audits
    from locations.views import LocationDetailView

    if location_audits not in LocationDetailView.context_providers:
        LocationDetailView.context_providers.append(location_audits)
