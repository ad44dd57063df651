"""Where Django finds the models of the ``cx_audit`` app; each model lives in its feature package.

The audit service is one Django app (one migration history, one app label) split into feature
packages (docs/architecture.md). Django imports ``<app>.models`` to register an app's models, so
this module imports each feature's models and nothing else. Code never imports a model from
here: it imports it from the feature that owns it, so the dependency rule can see the edge.
"""

from cx_audit.actions import models as actions
from cx_audit.audits import models as audits
from cx_audit.core import models as core
from cx_audit.disputes import models as disputes
from cx_audit.reports import models as reports
from cx_audit.scorecards import models as scorecards
from cx_audit.voice import models as voice

__all__ = ["actions", "audits", "core", "disputes", "reports", "scorecards", "voice"]
