"""Audits: the visit and its answers, what it came to (results) and how often one is due (plans)."""

from cx_audit.audits.choices import AnswerKind, AuditKind, AuditStatus, Outcome
from cx_audit.audits.models.amendments import Amendment, Ruling
from cx_audit.audits.models.audits import Answer, Audit, Evidence
from cx_audit.audits.models.planning import AuditPlan
from cx_audit.audits.models.results import DimensionResult, ItemResult, SectionResult

__all__ = [
    "Amendment",
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
    "Ruling",
    "SectionResult",
]
