"""Models of the audit service: users, audits with their answers and photos, and results."""

from .audits import Answer, AnswerKind, Audit, AuditKind, AuditStatus, Evidence
from .disputes import Amendment, Dispute, DisputeStatus, Ruling
from .planning import AuditPlan
from .reports import JobStatus, ScorecardJob
from .results import DimensionResult, ItemResult, Outcome, SectionResult
from .sharing import ShareLink
from .users import User

__all__ = [
    "Amendment",
    "Answer",
    "AnswerKind",
    "Audit",
    "AuditKind",
    "AuditPlan",
    "AuditStatus",
    "DimensionResult",
    "Dispute",
    "DisputeStatus",
    "Evidence",
    "ItemResult",
    "JobStatus",
    "Outcome",
    "Ruling",
    "ScorecardJob",
    "SectionResult",
    "ShareLink",
    "User",
]
