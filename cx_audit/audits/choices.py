"""The vocabulary of audits, defined once: kinds, statuses, answers, outcomes and what counts.

The outcome values are the scoring engine's own (`cx_audit.audits.scoring.Outcome`), labelled
here for people; the failed set is the engine's too, so "failed" means the same thing in
scoring, repeat findings, corrective actions, disputes, insights and scorecards.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cx_audit.audits import scoring


class AuditKind(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled (announced)")
    UNANNOUNCED = "unannounced", _("Unannounced / mystery")
    SELF_ASSESSMENT = "self_assessment", _("Franchisee self-assessment")


# Audits that rank a location, count for repeat findings and open corrective actions: the
# brand's own visits. A franchisee's self-assessment is kept apart (DESIGN §3).
COUNTED_KINDS = (AuditKind.SCHEDULED, AuditKind.UNANNOUNCED)


class AuditStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VOIDED = "voided", _("Voided")


class AnswerKind(models.TextChoices):
    VALUE = scoring.AnswerKind.VALUE.value, _("Answered")
    NA = scoring.AnswerKind.NA.value, _("N/A")
    CANNOT_CHECK = scoring.AnswerKind.CANNOT_CHECK.value, _("Cannot check")


class Outcome(models.TextChoices):
    PASS = scoring.Outcome.PASS.value, _("Pass")
    PARTIAL = scoring.Outcome.PARTIAL.value, _("Partial")
    FAIL = scoring.Outcome.FAIL.value, _("Fail")
    NA = scoring.Outcome.NA.value, _("N/A")
    CANNOT_CHECK = scoring.Outcome.CANNOT_CHECK.value, _("Cannot check")
    NOT_APPLICABLE = scoring.Outcome.NOT_APPLICABLE.value, _("Does not apply")
    UNSCORED = scoring.Outcome.UNSCORED.value, _("Not scored")
    MISSING = scoring.Outcome.MISSING.value, _("Missing")


# Failed wholly or partly: a finding (repeat findings, corrective actions, disputes, gaps).
FAILED_OUTCOMES: tuple[str, ...] = tuple(sorted(scoring.FAILED))
