"""Models of the audit service: users, audits with their answers and photos, and results."""

from .audits import Answer, AnswerKind, Audit, AuditKind, AuditStatus, Evidence
from .planning import AuditPlan
from .results import DimensionResult, ItemResult, Outcome, SectionResult
from .users import User

__all__ = [
    "Answer",
    "AnswerKind",
    "Audit",
    "AuditKind",
    "AuditPlan",
    "AuditStatus",
    "DimensionResult",
    "Evidence",
    "ItemResult",
    "Outcome",
    "SectionResult",
    "User",
]
