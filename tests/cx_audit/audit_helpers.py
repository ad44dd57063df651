"""Building published frameworks and filled audits for the audit tests."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from PIL import Image

from cx_audit.audits.choices import AuditKind
from cx_audit.audits.models.audits import Audit
from cx_audit.audits.services import AnswerInput, answers_upsert, audit_create, audit_submit
from journeys.models import AnswerType, Framework
from journeys.services import framework_publish
from locations.models import Brand, Location
from tests.factories import (
    DimensionFactory,
    FrameworkFactory,
    ItemFactory,
    SectionFactory,
    complete_framework,
)


def published_framework(brand: Brand) -> Framework:
    """The small framework of every answer type (tests.factories.complete_framework), published."""
    return framework_publish(framework=complete_framework(brand=brand))


def yes_no_framework(brand: Brand, items: int, sections: int = 6) -> Framework:
    """A published framework of ``items`` yes/no items spread over ``sections`` sections."""
    framework = FrameworkFactory(brand=brand)
    dimension = DimensionFactory(framework=framework, code="service")
    parts = [SectionFactory(framework=framework, code=f"s{n}", order=n) for n in range(sections)]
    for n in range(items):
        ItemFactory(section=parts[n % sections], code=f"Y{n:03d}", order=n, dimension=dimension)
    return framework_publish(framework=framework)


# Answers to complete_framework() that pass everything at an authorized outlet.
PASSING = [
    AnswerInput(item="SIG-01", text="Huaxin Telecom — Aurora Authorized Dealer"),
    AnswerInput(item="SIG-02", yes=True),
    AnswerInput(item="DIS-01", number=Decimal("6")),
    AnswerInput(item="DIS-02", number=Decimal("95"), list_price=Decimal("100")),
    AnswerInput(item="DIS-03", number=Decimal("5")),
]


def answers_for(location: Location, **changes: AnswerInput) -> list[AnswerInput]:
    """The passing answers, some replaced, without items that do not apply to the outlet."""
    passing = PASSING
    if location.outlet_type == "direct":  # no signage item; direct targets: 12 units, list price
        passing = [a for a in PASSING if a.item != "SIG-01"]
        passing[1:3] = [
            AnswerInput(item="DIS-01", number=Decimal("12")),
            AnswerInput(item="DIS-02", number=Decimal("100"), list_price=Decimal("100")),
        ]
    return [changes.get(a.item.replace("-", "_"), a) for a in passing]


def submitted_audit(location: Location, user: Any, answers: list[AnswerInput] | None = None) -> Audit:
    audit, _ = audit_create(location=location, user=user, kind=AuditKind.SCHEDULED)
    answers_upsert(audit=audit, user=user, answers=answers if answers is not None else answers_for(location))
    return audit_submit(audit=audit, user=user)


def png_bytes(size: tuple[int, int] = (8, 6), colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def yes_answers(framework: Framework, yes: bool = True) -> list[AnswerInput]:
    codes = framework.items.filter(answer_type=AnswerType.YES_NO).values_list("code", flat=True)
    return [AnswerInput(item=code, yes=yes) for code in codes]
