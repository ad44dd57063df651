"""One location's PDF scorecard, timed (``make bench``; target: under 2 s).

The location is a realistic one: a 60-standard framework (6 sections, 6 dimensions, Chinese and
English text), 8 audits of history, the latest failing 12 standards with 6 photos (1600×1200 JPEG
camera shots, as tablets upload them), and 30 other audited outlets for the benchmark. The first
render in a process also pays for importing WeasyPrint and loading the fonts; a worker pays that
once, so the figure that counts is the median of the renders after it.
"""

from __future__ import annotations

import io
import statistics
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

SECTIONS = ["signage", "display", "pricing", "staffing", "service", "facilities"]
DIMENSIONS = ["product", "service", "relationship", "price", "convenience", "brand_image"]
ITEMS = 60
FAILED = 12
PHOTOS = 6
HISTORY = 8
PEERS = 30
RUNS = 5


def _photo(seed: int) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1600, 1200), (30 + seed * 20 % 200, 90, 160))
    draw = ImageDraw.Draw(image)
    for n in range(0, 1600, 40):  # some detail, so the JPEG is camera-sized rather than flat
        draw.line([(n, 0), (1600 - n, 1200)], fill=(n % 255, 200, (n * 3) % 255), width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=88)
    return buffer.getvalue()


def _framework(brand: Any) -> Any:
    from journeys.models import AnswerType, Dimension, Framework, Item, Section
    from journeys.services import framework_publish

    framework = Framework.objects.create(brand=brand, version=1, name="Bench standard 门店标准")
    dimensions = [
        Dimension.objects.create(
            framework=framework,
            code=code,
            name=code.replace("_", " ").title(),
            importance=8,
            expectation=7,
            ideal=9,
        )
        for code in DIMENSIONS
    ]
    sections = [
        Section.objects.create(framework=framework, code=code, name=code.title(), order=n)
        for n, code in enumerate(SECTIONS)
    ]
    for n in range(ITEMS):
        Item.objects.create(
            framework=framework,
            section=sections[n % len(sections)],
            code=f"B-{n:03d}",
            question=f"标准 {n}: 门头灯箱完好明亮 — standard {n}, the sign box is lit and clean",
            answer_type=AnswerType.YES_NO,
            critical=n == 0,
            dimension=dimensions[n % len(dimensions)],
            order=n,
        )
    return framework_publish(framework=framework)


def _audit(location: Any, user: Any, *, fail: int, days_ago: int, photos: int = 0) -> None:
    from django.utils import timezone

    from cx_audit.audits.services import AnswerInput, answers_upsert, audit_create, audit_submit, evidence_add

    audit, _ = audit_create(location=location, user=user, kind="scheduled")
    answers = [
        AnswerInput(item=f"B-{n:03d}", yes=n >= fail, comment="灯箱不亮" if n < fail else "")
        for n in range(ITEMS)
    ]
    answers_upsert(audit=audit, user=user, answers=answers)
    for n in range(photos):
        evidence_add(audit=audit, user=user, item_code=f"B-{n:03d}", upload=io.BytesIO(_photo(n)))
    audit_submit(audit=audit, user=user, submitted_at=timezone.now() - timedelta(days=days_ago))


def _pages(pdf: bytes, folder: Path) -> str:
    """The page count as pdfinfo (poppler-utils) reads it, or "?" without it."""
    import shutil
    import subprocess

    if not shutil.which("pdfinfo"):
        return "?"
    path = folder / "bench.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=False).stdout
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


def bench_scorecard_pdf(media: Path) -> list[str]:
    """Build the data, then time the PDF of one location; lines to print."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    from cx_audit.core.choices import Role
    from cx_audit.core.models import User
    from cx_audit.scorecards.data import scorecard_audits
    from cx_audit.scorecards.pdf import scorecard_pdf
    from locations.models import Brand, Franchisee, Location, Membership, Region

    with override_settings(MEDIA_ROOT=media):
        brand = Brand.objects.create(name="PDF bench", slug="pdf-bench", colour="#b3261e")
        region = Region.objects.create(brand=brand, code="R", name="华南 South")
        partner = Franchisee.objects.create(brand=brand, code="P", name="华信通讯 Huaxin Telecom")
        admin = User.objects.create(username="pdf-bench-admin")
        Membership.objects.create(user=admin, brand=brand, role=Role.HQ_ADMIN)
        _framework(brand)
        locations = [
            Location.objects.create(
                brand=brand,
                code=f"PB-{n:03d}",
                name=f"极光数码授权店 {n}",
                outlet_type="authorized",
                franchisee=partner,
                region=region,
                city="广州 Guangzhou",
                city_tier=1,
            )
            for n in range(PEERS + 1)
        ]
        target, peers = locations[0], locations[1:]
        for days in range(HISTORY - 1, 0, -1):
            _audit(target, admin, fail=days % 5, days_ago=days * 30)
        _audit(target, admin, fail=FAILED, days_ago=0, photos=PHOTOS)
        for n, peer in enumerate(peers):
            _audit(peer, admin, fail=n % 9, days_ago=n % 60)
        audits = scorecard_audits(admin)
        started = time.perf_counter()
        first = scorecard_pdf(target, audits=audits, generated_for="bench")
        cold = time.perf_counter() - started
        times = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                pdf = scorecard_pdf(target, audits=audits, generated_for="bench")
                times.append(time.perf_counter() - started)
        pages = _pages(pdf, media)
    warm = statistics.median(times)
    return [
        f"one location ({ITEMS} standards, {FAILED} failed with {PHOTOS} photos, {HISTORY} audits, "
        f"{PEERS} peers): median {warm:.3f} s (min {min(times):.3f}, max {max(times):.3f}) "
        f"over {RUNS} renders, "
        f"{len(queries)} queries, {len(pdf) // 1024} KiB, {pages} A4 pages — target < 2 s "
        f"{'met' if warm < 2 else 'MISSED'}",
        f"first render in a fresh process (imports WeasyPrint, loads fonts): {cold:.3f} s, "
        f"{len(first) // 1024} KiB",
    ]
