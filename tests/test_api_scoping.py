"""Every router resource against every role (issue #11): the generic scoped-API cases, as one table.

Each of the twenty-three resources of the API router is a row of `RESOURCES`, checked by
`tests.generic.ScopedResourceTests` for the superuser, an HQ admin, an HQ analyst, an auditor (of
North with North-East, and of LY-102 by assignment), F1's franchisee, an HQ admin of the other
brand, a user without membership and an anonymous client: the list holds exactly what the role
sees, each detail (and each extra GET route of it) is 200 or 404, and every unsafe route, custom
actions included, succeeds for the roles that may use it and is refused to everyone else (403 if
they see the object, 404 or 400 if not, 401 anonymous) without changing anything.
`test_every_router_resource_is_in_the_table` keeps the table whole as resources are added; the
unsafe routes of each are checked against its viewset, so a new action needs a row too.

The chain and framework resources also keep their `tests.generic.ScopedAPITests` subclasses
(tests/locations/test_api.py, tests/journeys/test_api.py).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cx_audit.actions.models import CorrectiveAction
from cx_audit.actions.services import action_respond
from cx_audit.audits.choices import AuditKind
from cx_audit.audits.models.results import ItemResult
from cx_audit.audits.services import answers_upsert, audit_create, evidence_add
from cx_audit.core.choices import Role
from cx_audit.disputes.models import Dispute
from cx_audit.disputes.services import dispute_raise
from cx_audit.reports.models import JobStatus, ScorecardJob
from cx_audit.reports.services import scorecard_job_create
from cx_audit.scorecards.sharing import share_link_create
from journeys.services import framework_publish
from locations.models import Membership
from tests.cx_audit.audit_helpers import png_bytes
from tests.cx_audit.scorecard_helpers import audit_at, failing_answers, passing_answers, scorecard_framework
from tests.factories import (
    AuditPlanFactory,
    BrandFactory,
    DimensionFactory,
    FrameworkFactory,
    FranchiseeFactory,
    ItemFactory,
    JourneyFactory,
    LocationFactory,
    RegionFactory,
    RoutingRuleFactory,
    SectionFactory,
    StageFactory,
    TouchpointFactory,
    complete_framework,
)
from tests.generic import (
    NO_ADMIN_BRAND,
    SIGNED_IN,
    Resource,
    Scene,
    ScopedResourceTests,
    Write,
    as_read,
    visibility,
)
from tests.voice.test_ingest_api import FEEDBACK, LEXICON_TERMS, RECOVERY_ACTIONS

ADMINS = frozenset({"superuser", "hq_admin"})
MEMBERS_OF_A = frozenset({"superuser", "hq_admin", "hq_analyst", "auditor", "franchisee"})
# Who sees GZ-101 (F1's, in the South): HQ and F1, not the auditor; Beijing Flagship (North): HQ and
# the auditor; the franchisee F1: HQ, F1 and the auditor too, through LY-102.
SEE_F1_SOUTH = frozenset({"superuser", "hq_admin", "hq_analyst", "franchisee"})
SEE_DIRECT_NORTH = frozenset({"superuser", "hq_admin", "hq_analyst", "auditor"})
SEE_F1 = SEE_F1_SOUTH | {"auditor"}


def brand_admin_writes(
    target: str,
    create: dict | Any,
    patch: dict,
    *,
    seen_by_create: frozenset[str] = MEMBERS_OF_A,
    bugs: Mapping[str, Mapping[str, str]] | None = None,
) -> tuple[Write, ...]:
    """The four routes of a `ScopedModelViewSet`: HQ admins of the brand (and the superuser) write.

    Roles that administer no brand are refused an add before anything is looked up (403). A write to
    one object looks it up first: 403 for a role that sees it, 404 for one that does not (the other
    brand's admin, or an outsider), as for an id that never existed; the other brand's admin gets
    400 for a body naming brand A.
    """
    writes = (
        Write(
            "create",
            "create",
            payload=create,
            ok=201,
            seen_by=seen_by_create,
            hidden=400,
            allowed=ADMINS,
            gated=NO_ADMIN_BRAND,
        ),
        Write("update", "update", target, payload=as_read(**patch), allowed=ADMINS),
        Write("partial-update", "partial_update", target, payload=patch, allowed=ADMINS),
        Write("destroy", "destroy", target, ok=204, allowed=ADMINS),
    )
    return tuple(replace(w, bugs=(bugs or {}).get(w.name, {})) for w in writes)


# --- brands and memberships ------------------------------------------------------------------


def brands(s: Scene) -> dict[str, Any]:
    """Aurora (A), Zenith (B) and Nova, a brand nobody is a member of yet (the one deleted)."""
    return {"A": s.chain.brand, "B": s.chain.other_brand, "nova": BrandFactory(name="Nova", slug="nova")}


BRANDS = Resource(
    "brands",
    brands,
    visibility(
        superuser="A B nova",
        hq_admin="A",
        hq_analyst="A",
        auditor="A",
        franchisee="A",
        other_admin="B",
    ),
    writes=(
        # Only the platform operator creates brands: everyone else 403, before any lookup.
        Write(
            "create",
            "create",
            payload={"name": "Orion", "slug": "orion"},
            allowed=frozenset({"superuser"}),
            ok=201,
            gated=SIGNED_IN - {"superuser"},
        ),
        Write(
            "update",
            "update",
            "A",
            payload=as_read(name="Aurora Mobile"),
            allowed=ADMINS,
        ),
        Write(
            "partial-update",
            "partial_update",
            "A",
            payload={"direct_max_city_tier": 2},
            allowed=ADMINS,
        ),
        # Nova has no member: only the superuser sees it, everyone else is answered 404.
        Write("destroy", "destroy", "nova", ok=204, allowed=frozenset({"superuser"})),
    ),
)


def memberships(s: Scene) -> dict[str, Any]:
    """The membership of each role user (the superuser and the outsider have none)."""
    return {
        f"m_{role}": Membership.objects.get(user=s.users[role])
        for role in ("hq_admin", "hq_analyst", "auditor", "franchisee", "other_admin")
    }


MEMBERSHIPS = Resource(
    "memberships",
    memberships,
    # Your own memberships; HQ admins every membership of their brands.
    visibility(
        superuser="m_hq_admin m_hq_analyst m_auditor m_franchisee m_other_admin",
        hq_admin="m_hq_admin m_hq_analyst m_auditor m_franchisee",
        hq_analyst="m_hq_analyst",
        auditor="m_auditor",
        franchisee="m_franchisee",
        other_admin="m_other_admin",
    ),
)


# --- the chain: regions, franchisees, locations ----------------------------------------------


def regions(s: Scene) -> dict[str, Any]:
    """The chain's three regions, West (no location: it can be deleted) and one of Zenith's."""
    c = s.chain
    return {
        "north": c.north,
        "north_east": c.north_east,
        "south": c.south,
        "west": RegionFactory(brand=c.brand, code="W", name="West"),
        "region_B": RegionFactory(brand=c.other_brand, code="B-N", name="Zenith North"),
    }


REGIONS = Resource(
    "regions",
    regions,
    # Everyone in a brand reads its regions.
    visibility(
        superuser="north north_east south west region_B",
        **dict.fromkeys(MEMBERS_OF_A - {"superuser"}, "north north_east south west"),
        other_admin="region_B",
    ),
    writes=brand_admin_writes(
        "west",
        lambda s, objs, url: {"brand": s.chain.brand.pk, "code": "E", "name": "East"},
        {"name": "Far West"},
    ),
)


def franchisees(s: Scene) -> dict[str, Any]:
    """F1 and F2, F3 (no location yet: it can be deleted) and a partner of Zenith's."""
    c = s.chain
    return {
        "f1": c.f1,
        "f2": c.f2,
        "f3": FranchiseeFactory(brand=c.brand, code="F3", name="Third Partner"),
        "fb": FranchiseeFactory(brand=c.other_brand, code="ZF1"),
    }


FRANCHISEES = Resource(
    "franchisees",
    franchisees,
    # HQ all of the brand; the auditor those running a store they audit (F2 in North-East, F1 at
    # LY-102); a franchisee itself.
    visibility(
        superuser="f1 f2 f3 fb",
        hq_admin="f1 f2 f3",
        hq_analyst="f1 f2 f3",
        auditor="f1 f2",
        franchisee="f1",
        other_admin="fb",
    ),
    writes=brand_admin_writes(
        "f3",
        lambda s, objs, url: {"brand": s.chain.brand.pk, "code": "F9", "name": "Ninth Partner"},
        {"name": "Third Partner Ltd."},
    ),
)

LOCATIONS = visibility(
    superuser="direct_north f1_south f2_north_east f1_tier3 other",
    hq_admin="direct_north f1_south f2_north_east f1_tier3",
    hq_analyst="direct_north f1_south f2_north_east f1_tier3",
    auditor="direct_north f2_north_east f1_tier3",
    franchisee="f1_south f1_tier3",
    other_admin="other",
)
"""HQ the brand's stores; the auditor North's (with North-East) and LY-102; F1 the stores it runs."""


def locations(s: Scene) -> dict[str, Any]:
    """The chain's five stores."""
    return {name: getattr(s.chain, name) for name in LOCATIONS["superuser"]}


IMPORT_CSV = (
    "code,name,outlet_type,franchisee,region,address,city,country,latitude,longitude,city_tier,status\n"
    "SH-100,Shanghai Dealer,authorized,F1,S,300 Nanjing Road,Shanghai,CN,31.2304,121.4737,1,open\n"
)


def location_file(s: Scene, objs: dict[str, Any], url: str) -> dict:
    """A one-row CSV with coordinates (nothing to geocode)."""
    upload = SimpleUploadedFile("stores.csv", IMPORT_CSV.encode(), content_type="text/csv")
    return {"brand": s.chain.brand.pk, "file": upload}


def new_location(s: Scene, objs: dict[str, Any], url: str) -> dict:
    return {
        "brand": s.chain.brand.pk,
        "code": "NEW-1",
        "name": "New Store",
        "outlet_type": "direct",
        "city": "Shanghai",
        "city_tier": 1,
        "latitude": "31.2",
        "longitude": "121.4",
    }


LOCATIONS_RESOURCE = Resource(
    "locations",
    locations,
    LOCATIONS,
    writes=(
        *brand_admin_writes("direct_north", new_location, {"name": "Beijing Flagship Store"}),
        Write(
            "import",
            "import_file",
            payload=location_file,
            format="multipart",
            allowed=ADMINS,
            ok=201,
            seen_by=MEMBERS_OF_A,
            hidden=400,  # the scoped brand field
            gated=NO_ADMIN_BRAND,
        ),
    ),
)


# --- the framework: versions and their parts ---------------------------------------------------


def frameworks(s: Scene) -> dict[str, Any]:
    """Aurora's current version and a publishable draft; a draft of Zenith's."""
    c = s.chain
    return {
        "published": framework_publish(framework=complete_framework(brand=c.brand)),
        "draft": complete_framework(brand=c.brand),
        "fw_B": FrameworkFactory(brand=c.other_brand),
    }


FRAMEWORK_PARTS_SEEN = visibility(
    superuser="part_A part_B",
    **dict.fromkeys(MEMBERS_OF_A - {"superuser"}, "part_A"),
    other_admin="part_B",
)
"""Everyone in a brand reads its framework, parts included."""

FRAMEWORKS = Resource(
    "frameworks",
    frameworks,
    visibility(
        superuser="published draft fw_B",
        **dict.fromkeys(MEMBERS_OF_A - {"superuser"}, "published draft"),
        other_admin="fw_B",
    ),
    writes=(
        *brand_admin_writes(
            "draft",
            lambda s, objs, url: {"brand": s.chain.brand.pk, "name": "2027 standard"},
            {"name": "2026 draft"},
        ),
        Write("publish", "publish", "draft", allowed=ADMINS),
        # Allowed, but the only published version is never retired on its own (finding 10): 409.
        Write("retire", "retire", "published", ok=409, allowed=ADMINS),
        Write(
            "new-version",
            "new_version",
            "published",
            payload={},
            allowed=ADMINS,
            ok=201,
        ),
    ),
)


def framework_parts(
    make: Callable[[Any], Any], parent: Callable[[Any], Any]
) -> Callable[[Scene], dict[str, Any]]:
    """``part_A`` in a draft of Aurora's, ``part_B`` in one of Zenith's. ``parent`` makes what a part
    hangs on (the draft itself, or a journey, stage or section of it); a new part of Aurora's is
    created under ``parent``, the one ``part_A`` hangs on."""

    def build(s: Scene) -> dict[str, Any]:
        ours = parent(FrameworkFactory(brand=s.chain.brand))
        theirs = parent(FrameworkFactory(brand=s.chain.other_brand))
        return {"part_A": make(ours), "part_B": make(theirs), "parent": ours}

    return build


def part_payload(parent_field: str, **fields: Any) -> Callable[[Scene, dict[str, Any], str], dict]:
    return lambda s, objs, url: {parent_field: objs["parent"].pk, **fields}


def part_resource(
    name: str, make: Callable[[Any], Any], parent: Callable[[Any], Any], create: Any, patch: dict
) -> Resource:
    """A framework part's resource: seen by everyone in the brand, written by its HQ admins."""
    return Resource(
        name,
        framework_parts(make, parent),
        FRAMEWORK_PARTS_SEEN,
        writes=brand_admin_writes("part_A", create, patch),
    )


DIMENSIONS = part_resource(
    "dimensions",
    lambda draft: DimensionFactory(framework=draft),
    lambda draft: draft,
    part_payload(
        "framework", code="convenience", name="Convenience", importance="6", expectation="7", ideal="8.5"
    ),
    {"name": "Ease"},
)
JOURNEYS = part_resource(
    "journeys",
    lambda draft: JourneyFactory(framework=draft),
    lambda draft: draft,
    part_payload("framework", code="repair", name="Get a repair"),
    {"name": "Buy online"},
)
STAGES = part_resource(
    "stages",
    lambda journey: StageFactory(journey=journey),
    lambda draft: JourneyFactory(framework=draft),
    part_payload("journey", name="Pay", phase="during"),
    {"name": "Leave"},
)
TOUCHPOINTS = part_resource(
    "touchpoints",
    lambda stage: TouchpointFactory(stage=stage),
    lambda draft: StageFactory(journey=JourneyFactory(framework=draft)),
    part_payload("stage", code="hotline", name="Hotline", channel="phone"),
    {"name": "Window"},
)
SECTIONS = part_resource(
    "sections",
    lambda draft: SectionFactory(framework=draft),
    lambda draft: draft,
    part_payload("framework", code="staffing", name="Staffing", weight="2"),
    {"name": "Lighting"},
)
ITEMS = part_resource(
    "items",
    lambda section: ItemFactory(section=section),
    lambda draft: SectionFactory(framework=draft),
    part_payload(
        "section",
        code="SIG-09",
        question="Authorized dealer mark shown?",
        answer_type="signage_text",
        applies_to_direct=False,
        forbidden_terms=["Flagship", "旗舰店"],
        required_terms=["Authorized Dealer"],
    ),
    {"question": "Is the sign lit?"},
)


# --- audits and audit plans ------------------------------------------------------------------


def audited(s: Scene) -> dict[str, Any]:
    """Both brands' frameworks published; F1's GZ-101 and LY-102 and F2's SY-201 (North-East) audited
    by the HQ admin, Zenith's SH-001 by its own admin, each failing SIG-03 (and SIG-01 at dealers)."""
    c, admin = s.chain, s.users["hq_admin"]
    scorecard_framework(c.brand)
    scorecard_framework(c.other_brand)
    return {
        "f1_submitted": audit_at(c.f1_south, admin, failing_answers(c.f1_south)),
        "t3_submitted": audit_at(c.f1_tier3, admin, failing_answers(c.f1_tier3)),
        "ne_submitted": audit_at(c.f2_north_east, admin, failing_answers(c.f2_north_east)),
        "b_submitted": audit_at(c.other, s.users["other_admin"], failing_answers(c.other)),
    }


def audits(s: Scene) -> dict[str, Any]:
    """Besides the submitted audits: the HQ admin's empty draft at GZ-101, F1's own self-assessment
    there (a draft), and the auditor's draft at Beijing Flagship (North), every item answered and a
    photo on SIG-02."""
    objs = audited(s)
    c, auditor = s.chain, s.users["auditor"]
    objs["f1_draft"], _ = audit_create(
        location=c.f1_south, user=s.users["hq_admin"], kind=AuditKind.SCHEDULED
    )
    objs["f1_self"], _ = audit_create(
        location=c.f1_south, user=s.users["franchisee"], kind=AuditKind.SELF_ASSESSMENT
    )
    draft, _ = audit_create(location=c.direct_north, user=auditor, kind=AuditKind.SCHEDULED)
    answers_upsert(audit=draft, user=auditor, answers=passing_answers(c.direct_north))
    objs["photo"], _ = evidence_add(
        audit=draft,
        user=auditor,
        item_code="SIG-02",
        upload=SimpleUploadedFile("p.png", png_bytes(colour="green")),
    )
    objs["north_draft"] = draft
    return objs


def photo_upload(s: Scene, objs: dict[str, Any], url: str) -> dict:
    """A new photo (not the one SIG-02 has: the same bytes again are answered 200, not 201)."""
    upload = SimpleUploadedFile("front.png", png_bytes(colour="blue"), content_type="image/png")
    return {"item": "SIG-02", "file": upload}


DRAFT_EDITORS = frozenset({"superuser", "hq_admin", "auditor"})  # the draft's auditor and HQ admins

AUDITS = Resource(
    "audits",
    audits,
    # HQ everything of the brand; the auditor the audits of North and LY-102, and their own; the
    # franchisee F1's submitted audits and its own self-assessment, never HQ's or an auditor's draft.
    visibility(
        superuser="f1_submitted t3_submitted ne_submitted b_submitted f1_draft f1_self north_draft",
        hq_admin="f1_submitted t3_submitted ne_submitted f1_draft f1_self north_draft",
        hq_analyst="f1_submitted t3_submitted ne_submitted f1_draft f1_self north_draft",
        auditor="t3_submitted ne_submitted north_draft",
        franchisee="f1_submitted t3_submitted f1_self",
        other_admin="b_submitted",
    ),
    writes=(
        Write(
            "create",
            "create",
            payload=lambda s, objs, url: {"location": s.chain.direct_north.pk, "kind": "scheduled"},
            allowed=frozenset({"superuser", "hq_admin", "auditor"}),
            ok=201,
            seen_by=SEE_DIRECT_NORTH,
            hidden=400,  # the scoped location field: "does not exist"
        ),
        Write(
            "create-self-assessment",
            "create",
            payload=lambda s, objs, url: {"location": s.chain.f1_south.pk, "kind": "self_assessment"},
            allowed=frozenset({"superuser", "franchisee"}),
            ok=201,
            seen_by=SEE_F1_SOUTH,
            hidden=400,
        ),
        Write(
            "answers",
            "answers",
            "north_draft",
            payload={"answers": [{"item": "SIG-02", "yes": False}]},
            allowed=DRAFT_EDITORS,
            method="post",
            touches=("cx_audit.Answer",),
        ),
        Write(
            "answers-self-assessment",
            "answers",
            "f1_self",
            payload={"answers": [{"item": "SIG-02", "yes": True}]},
            allowed=frozenset({"superuser", "hq_admin", "franchisee"}),  # its franchisee, HQ admins
            method="post",
            touches=("cx_audit.Answer",),
        ),
        Write(
            "clear-answer",
            "clear_answer",
            "north_draft",
            kwargs=lambda objs: {"item_code": "SIG-02"},
            allowed=DRAFT_EDITORS,
            ok=204,
            touches=("cx_audit.Answer",),
        ),
        Write(
            "evidence",
            "evidence",
            "north_draft",
            payload=photo_upload,
            format="multipart",
            allowed=DRAFT_EDITORS,
            ok=201,
            touches=("cx_audit.Evidence",),
        ),
        Write(
            "remove-evidence",
            "remove_evidence",
            "north_draft",
            kwargs=lambda objs: {"evidence_id": objs["photo"].pk},
            allowed=DRAFT_EDITORS,
            ok=204,
            touches=("cx_audit.Evidence",),
        ),
        Write("submit", "submit", "north_draft", allowed=DRAFT_EDITORS),
        # LY-102's audit: the analyst, the auditor (by assignment) and F1 all see it; only HQ admins void.
        Write("void", "void", "t3_submitted", payload={"reason": "Audited the wrong store."}, allowed=ADMINS),
    ),
)


def audit_plans(s: Scene) -> dict[str, Any]:
    return {
        "plan_A": AuditPlanFactory(brand=s.chain.brand),
        "plan_B": AuditPlanFactory(brand=s.chain.other_brand),
    }


AUDIT_PLANS = Resource(
    "audit-plans",
    audit_plans,
    visibility(
        superuser="plan_A plan_B",
        hq_admin="plan_A",
        hq_analyst="plan_A",
        auditor="plan_A",
        franchisee="plan_A",
        other_admin="plan_B",
    ),
    writes=brand_admin_writes(
        "plan_A",
        lambda s, objs, url: {
            "brand": s.chain.brand.pk,
            "outlet_type": "direct",
            "city_tier": 2,
            "interval_days": 30,
        },
        {"interval_days": 45},
    ),
)


# --- scorecards, disputes, share links and bulk jobs -----------------------------------------

SCORECARDS = Resource(
    "scorecards",
    locations,  # a scorecard per location
    LOCATIONS,
    row_id=lambda row: row["location"]["id"],
    unread={"pdf": "WeasyPrint takes a while; tests/cx_audit/test_scorecard_permissions.py reads the PDFs"},
)


def disputes(s: Scene) -> dict[str, Any]:
    """SIG-01 of GZ-101 disputed by F1 (with a photo), of SY-201 by F2, and SIG-03 of Zenith's audit."""
    objs = audited(s)
    f2_user = s.user_in(s.chain.brand, Role.FRANCHISEE, franchisee=s.chain.f2)
    note = "The sign was replaced on Monday."
    objs["d_f1"] = dispute_raise(
        audit=objs["f1_submitted"],
        user=s.users["franchisee"],
        item_code="SIG-01",
        note=note,
        photo=io.BytesIO(png_bytes()),
    )
    objs["d_ne"] = dispute_raise(audit=objs["ne_submitted"], user=f2_user, item_code="SIG-01", note=note)
    b_result = ItemResult.objects.get(audit=objs["b_submitted"], item_code="SIG-03")
    objs["d_b"] = Dispute.objects.create(
        audit=objs["b_submitted"],
        item=b_result.item,
        item_code="SIG-03",
        note=note,
        raised_by=s.users["other_admin"],
    )
    return objs


DECIDERS = ADMINS  # HQ admins of the brand decide disputes and corrective actions

DISPUTES = Resource(
    "disputes",
    disputes,
    # Seen with their audit.
    visibility(
        superuser="d_f1 d_ne d_b",
        hq_admin="d_f1 d_ne",
        hq_analyst="d_f1 d_ne",
        auditor="d_ne",
        franchisee="d_f1",
        other_admin="d_b",
    ),
    writes=(
        Write(
            "create",
            "create",
            payload=lambda s, objs, url: {
                "audit": objs["f1_submitted"].pk,
                "item": "SIG-03",
                "note": "The light box was being repaired.",
            },
            allowed=frozenset({"franchisee"}),  # only the outlet's franchisee, not even the superuser
            ok=201,
            seen_by=SEE_F1_SOUTH,  # who sees GZ-101's submitted audit
        ),
        Write("accept", "accept", "d_f1", payload={}, allowed=DECIDERS),
        Write(
            "reject", "reject", "d_ne", payload={"reason": "The photo shows the old sign."}, allowed=DECIDERS
        ),
    ),
)


def share_links(s: Scene) -> dict[str, Any]:
    c = s.chain
    return {
        "link_A": share_link_create(location=c.f1_south, user=s.users["hq_admin"]).link,
        "link_B": share_link_create(location=c.other, user=s.users["other_admin"]).link,
    }


SHARE_LINKS = Resource(
    "share-links",
    share_links,
    visibility(superuser="link_A link_B", hq_admin="link_A", hq_analyst="link_A", other_admin="link_B"),
    writes=(
        Write(
            "create",
            "create",
            payload=lambda s, objs, url: {"location": s.chain.f1_south.pk, "days": 7},
            allowed=ADMINS,
            ok=201,
            seen_by=SEE_F1_SOUTH,
        ),
        Write("revoke", "revoke", "link_A", allowed=ADMINS),
    ),
)


def scorecard_jobs(s: Scene) -> dict[str, Any]:
    """F1's locations exported by the HQ admin (failed) and by F1 itself (done: a ZIP to download);
    Zenith's dealer by its admin (queued).

    The tasks are queued on commit, which never comes in these tests: nothing reaches a broker.
    """
    c = s.chain
    by_admin = scorecard_job_create(user=s.users["hq_admin"], franchisee=c.f1)
    ScorecardJob.objects.filter(pk=by_admin.pk).update(
        status=JobStatus.FAILED, error="The worker died.", finished_at=timezone.now()
    )
    by_franchisee = scorecard_job_create(user=s.users["franchisee"], franchisee=c.f1)
    by_franchisee.file.save("scorecards.zip", ContentFile(b"PK\x05\x06" + bytes(18)), save=False)
    ScorecardJob.objects.filter(pk=by_franchisee.pk).update(
        status=JobStatus.DONE,
        done=by_franchisee.total,
        file=by_franchisee.file.name,
        finished_at=timezone.now(),
    )
    zenith_dealer = FranchiseeFactory(brand=c.other_brand)
    LocationFactory(brand=c.other_brand, franchisee=zenith_dealer)
    return {
        "job_admin": by_admin,
        "job_franchisee": by_franchisee,
        "job_b": scorecard_job_create(user=s.users["other_admin"], franchisee=zenith_dealer),
    }


SCORECARD_JOBS = Resource(
    "scorecard-jobs",
    scorecard_jobs,
    # A job is its requester's own: not even the brand's HQ admin sees another's.
    visibility(
        superuser="job_admin job_franchisee job_b",
        hq_admin="job_admin",
        franchisee="job_franchisee",
        other_admin="job_b",
    ),
    writes=(
        Write(
            "create",
            "create",
            payload=lambda s, objs, url: {"franchisee": s.chain.f1.pk},
            allowed=SEE_F1,  # whoever sees F1 may export the locations of it they see
            ok=202,
            seen_by=SEE_F1,
        ),
        Write("restart", "restart", "job_admin", allowed=ADMINS, ok=202),
    ),
)


# --- corrective actions and routing rules ----------------------------------------------------


def actions(s: Scene) -> dict[str, Any]:
    """The failed findings' actions; SIG-03 of GZ-101 answered by F1, of SY-201 by the HQ admin."""
    objs = audited(s)
    found = {(a.location_id, a.item_code): a for a in CorrectiveAction.objects.all()}
    c = s.chain
    objs |= {
        "f1_open": found[c.f1_south.pk, "SIG-01"],
        "f1_answered": found[c.f1_south.pk, "SIG-03"],
        "t3_sig01": found[c.f1_tier3.pk, "SIG-01"],
        "t3_sig03": found[c.f1_tier3.pk, "SIG-03"],
        "ne_open": found[c.f2_north_east.pk, "SIG-01"],
        "ne_answered": found[c.f2_north_east.pk, "SIG-03"],
        "b_open": found[c.other.pk, "SIG-03"],
    }
    action_respond(action=objs["f1_answered"], user=s.users["franchisee"], note="New light box.")
    action_respond(action=objs["ne_answered"], user=s.users["hq_admin"], note="New light box.")
    return objs


ACTIONS = Resource(
    "actions",
    actions,
    # HQ the brand's; the auditor those of North and LY-102; F1 those of the stores it runs.
    visibility(
        superuser="f1_open f1_answered t3_sig01 t3_sig03 ne_open ne_answered b_open",
        hq_admin="f1_open f1_answered t3_sig01 t3_sig03 ne_open ne_answered",
        hq_analyst="f1_open f1_answered t3_sig01 t3_sig03 ne_open ne_answered",
        auditor="t3_sig01 t3_sig03 ne_open ne_answered",
        franchisee="f1_open f1_answered t3_sig01 t3_sig03",
        other_admin="b_open",
    ),
    writes=(
        Write(
            "respond",
            "respond",
            "f1_open",
            payload={"note": "Replaced the sign."},
            allowed=frozenset({"superuser", "hq_admin", "franchisee"}),  # the outlet's franchisee, and HQ
        ),
        Write(
            "respond-north-east", "respond", "ne_open", payload={"note": "Replaced the sign."}, allowed=ADMINS
        ),
        Write("accept", "accept", "f1_answered", payload={}, allowed=DECIDERS),
        Write(
            "send-back",
            "send_back",
            "ne_answered",
            payload={"reason": "The photo is blurred."},
            allowed=DECIDERS,
        ),
    ),
)


def routing_rules(s: Scene) -> dict[str, Any]:
    return {
        "rule_A": RoutingRuleFactory(brand=s.chain.brand),
        "rule_B": RoutingRuleFactory(brand=s.chain.other_brand),
    }


ROUTING_RULES = Resource(
    "routing-rules",
    routing_rules,
    # HQ roles only (they are edited in the admin; the API reads them).
    visibility(superuser="rule_A rule_B", hq_admin="rule_A", hq_analyst="rule_A", other_admin="rule_B"),
)


RESOURCES = [
    # the chain
    BRANDS,
    REGIONS,
    FRANCHISEES,
    LOCATIONS_RESOURCE,
    MEMBERSHIPS,
    # the framework
    FRAMEWORKS,
    DIMENSIONS,
    JOURNEYS,
    STAGES,
    TOUCHPOINTS,
    SECTIONS,
    ITEMS,
    # audits and what follows them
    AUDITS,
    AUDIT_PLANS,
    SCORECARDS,
    DISPUTES,
    SHARE_LINKS,
    SCORECARD_JOBS,
    ACTIONS,
    ROUTING_RULES,
    # the customer's voice
    FEEDBACK,
    LEXICON_TERMS,
    RECOVERY_ACTIONS,
]


class TestScopedResources(ScopedResourceTests):
    resources = RESOURCES


def test_every_router_resource_is_in_the_table():
    from cx_audit.api_urls import router

    registered = [prefix for prefix, _viewset, _basename in router.registry]
    assert sorted(resource.name for resource in RESOURCES) == sorted(registered)
