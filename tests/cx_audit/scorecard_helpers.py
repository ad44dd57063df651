"""A framework with a Chinese standard and audits with failed findings and photos, for scorecards.

At an authorized outlet, `failing_answers` fails the critical signage item SIG-01 (the forbidden
体验店 is on the sign) and SIG-03 (门头灯箱完好明亮 — the sign box is not lit), and passes the rest:

    signage  SIG-01 0/1, SIG-02 1/1, SIG-03 0/1  → 33.33
    display  DIS-01..03 all met                  → 100.00
    raw score (33.33 + 100) / 2 = 66.67, capped at 50.00 by the critical failure → 50.00 "Poor"

Accepting a dispute of SIG-01 as passed: signage 66.67, raw 83.33, no cap → 83.33 "Good".
"""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cx_audit.audits.choices import AuditKind
from cx_audit.audits.models.audits import Audit, Evidence
from cx_audit.audits.services import AnswerInput, answers_upsert, audit_create, audit_submit, evidence_add
from journeys.models import Framework
from journeys.services import framework_publish
from locations.models import Brand, Location
from tests.cx_audit.audit_helpers import answers_for, png_bytes
from tests.factories import ItemFactory, complete_framework

CHINESE_ITEM = "门头灯箱完好明亮"
BAD_SIGN = "极光数码体验店 Aurora Authorized Dealer"


def scorecard_framework(brand: Brand) -> Framework:
    """complete_framework() with a Chinese yes/no standard SIG-03 in signage, published."""
    framework = complete_framework(brand=brand, name="Aurora store standard")
    signage = framework.sections.get(code="signage")
    ItemFactory(section=signage, code="SIG-03", question=CHINESE_ITEM, order=3, dimension=None)
    return framework_publish(framework=framework)


def failing_answers(location: Location) -> list[AnswerInput]:
    answers = answers_for(location, SIG_01=AnswerInput(item="SIG-01", text=BAD_SIGN))
    return [*answers, AnswerInput(item="SIG-03", yes=False, comment="灯箱不亮 light box off")]


def passing_answers(location: Location) -> list[AnswerInput]:
    return [*answers_for(location), AnswerInput(item="SIG-03", yes=True)]


def audit_at(
    location: Location,
    user: Any,
    answers: list[AnswerInput],
    *,
    days_ago: float = 0,
    photo: bool = False,
    kind: str = AuditKind.SCHEDULED,
) -> Audit:
    """A submitted audit of ``location`` ``days_ago`` days ago, with a photo on SIG-01 if asked."""
    audit, _ = audit_create(location=location, user=user, kind=kind)
    answers_upsert(audit=audit, user=user, answers=answers)
    if photo:
        evidence_add(
            audit=audit, user=user, item_code="SIG-01", upload=io.BytesIO(png_bytes((40, 30), "blue"))
        )
    return audit_submit(audit=audit, user=user, submitted_at=timezone.now() - timedelta(days=days_ago))


def photo_of(audit: Audit) -> Evidence:
    return Evidence.objects.get(answer__audit=audit)


EXPECTED_SCORE = Decimal("50.00")
EXPECTED_RAW = Decimal("66.67")
AMENDED_SCORE = Decimal("83.33")
