"""Models of the audit service: users, audits with their answers and photos, and results."""

from .actions import (
    LIVE_STATUSES,
    ActionEvent,
    ActionPolicy,
    ActionStatus,
    CorrectiveAction,
    Department,
    EventKind,
    RoutingRule,
    Severity,
)
from .audits import Answer, AnswerKind, Audit, AuditKind, AuditStatus, Evidence
from .disputes import Amendment, Dispute, DisputeStatus, Ruling
from .planning import AuditPlan
from .reports import JobStatus, ScorecardJob
from .results import DimensionResult, ItemResult, Outcome, SectionResult
from .sharing import ShareLink
from .users import User

__all__ = [
    "LIVE_STATUSES",
    "ActionEvent",
    "ActionPolicy",
    "ActionStatus",
    "Amendment",
    "Answer",
    "AnswerKind",
    "Audit",
    "AuditKind",
    "AuditPlan",
    "AuditStatus",
    "CorrectiveAction",
    "Department",
    "DimensionResult",
    "Dispute",
    "DisputeStatus",
    "EventKind",
    "Evidence",
    "ItemResult",
    "JobStatus",
    "Outcome",
    "RoutingRule",
    "Ruling",
    "ScorecardJob",
    "SectionResult",
    "Severity",
    "ShareLink",
    "User",
]
