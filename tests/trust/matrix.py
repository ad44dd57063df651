"""The permission matrix's machinery: every URL the site answers, who may see what, and the leaks.

`routes()` walks the URL conf, so a new endpoint or page is in the matrix the day it is added; a
route whose object the matrix cannot work out from its view (`model_of`) or whose extra URL argument
it cannot fill (`ARGUMENTS`) fails the matrix until it is named here. `Territory` says, by hand and
independently of the code under test, which brands and stores each user's roles reach; an object
outside it must be answered exactly like an id that never existed, and no body may carry the
identifiers (`markers`) of a store outside it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver

from locations.models import Brand, Location

MISSING_PK = 987_654_321
COUNTS: Counter[str] = Counter()
"""Requests made, 5xx answers and leaks found by the matrix in this run (printed at the end)."""


@dataclass(frozen=True)
class Route:
    """One URL pattern: its reversible name, the arguments it takes and the view behind it."""

    name: str
    pattern: str
    params: tuple[str, ...]
    callback: Any

    @property
    def surface(self) -> str:
        if self.pattern.startswith("admin/"):
            return "admin"
        return "api" if self.pattern.startswith("api/") else "page"


def _params(pattern: Any) -> tuple[str, ...]:
    """The named arguments of a pattern, path() or re_path() alike (both compile to a regex)."""
    return tuple(pattern.regex.groupindex)


def _walk(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from (
                Route(r.name, r.pattern, _params(entry.pattern) + r.params, r.callback)
                for r in _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
            )
        elif isinstance(entry, URLPattern) and entry.name:
            yield Route(
                f"{namespace}{entry.name}",
                prefix + str(entry.pattern),
                _params(entry.pattern),
                entry.callback,
            )


def routes() -> list[Route]:
    """Every named route of the site, but the DRF format-suffix copies (`.json`) of the API's."""
    seen: dict[tuple[str, tuple[str, ...]], Route] = {}
    for route in _walk(get_resolver().url_patterns):
        if "format" not in route.params:
            seen.setdefault((route.name, route.params), route)
    return list(seen.values())


# --- what a route's object is --------------------------------------------------------------------

MODEL_OF: dict[str, str] = {
    # Pages and API views that find their object themselves (no `model` or `queryset` to read).
    "insights:location": "locations.Location",
    "insights-location": "locations.Location",
    "location-experience": "locations.Location",
    "scorecards:detail": "locations.Location",
    "scorecards:pdf": "locations.Location",
    "scorecards:dispute_create": "locations.Location",
    "scorecards:share_create": "locations.Location",
    "scorecards:logo": "locations.Brand",
    "scorecards:share_revoke": "cx_audit.ShareLink",
    "scorecards:dispute": "cx_audit.Dispute",
    "reports:job": "cx_audit.ScorecardJob",
    "reports:job_restart": "cx_audit.ScorecardJob",
    "scorecard-job-detail": "cx_audit.ScorecardJob",
    "scorecard-job-download": "cx_audit.ScorecardJob",
    "scorecard-job-restart": "cx_audit.ScorecardJob",
    "actions:detail": "cx_audit.CorrectiveAction",
    "actions:respond": "cx_audit.CorrectiveAction",
    "actions:decide": "cx_audit.CorrectiveAction",
    "item-example-photo": "journeys.Item",
    "admin:auth_user_password_change": "cx_audit.User",
    "evidence-file": "cx_audit.Evidence",
    "share:photo": "cx_audit.Evidence",
    "voice:survey_issue": "locations.Location",
    "voice:survey_revoke": "locations.Location",
    "voice:survey_sticker": "locations.Location",
    "voice:location": "locations.Location",
    "voice-location": "locations.Location",
    "voice:recovery_detail": "cx_audit.RecoveryAction",
    "voice:recovery_close": "cx_audit.RecoveryAction",
}


def model_of(route: Route) -> type[Model] | None:
    """The model whose id the route's ``pk`` (or the admin's ``object_id``) is."""
    if route.name in MODEL_OF:
        return apps.get_model(MODEL_OF[route.name])
    callback = route.callback
    if admin := getattr(callback, "model_admin", None):
        return admin.model
    view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    model = getattr(view, "model", None)
    queryset = getattr(view, "queryset", None)
    return model or (queryset.model if queryset is not None else None)


# --- who reaches what ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Tenant:
    """Where an object lives: its brand and, for a store's records, the store (None: brand-wide).

    ``public`` objects (a shared scorecard's link) are everyone's by design."""

    brand: int | None
    location: int | None = None
    public: bool = False


LOCATION_PATHS = (
    "location",
    "audit.location",
    "answer.audit.location",
    "action.location",
    "dispute.audit.location",
)


def _follow(obj: Any, path: str) -> Any:
    for attr in path.split("."):
        obj = getattr(obj, attr, None)
        if obj is None:
            return None
    return obj


def tenant_of(obj: Any) -> Tenant:
    """The brand and store of a record, read off its relations."""
    from cx_audit.core.permissions import brand_id_of

    if isinstance(obj, Location):
        return Tenant(obj.brand_id, obj.pk)
    if isinstance(obj, Brand):
        return Tenant(obj.pk)
    for path in LOCATION_PATHS:
        if isinstance(found := _follow(obj, path), Location):
            return Tenant(found.brand_id, found.pk)
    memberships = getattr(obj, "memberships", None)
    if memberships is not None and obj.__class__.__name__ == "User":
        first = memberships.order_by("pk").first()
        return Tenant(first.brand_id if first else None)
    return Tenant(brand_id_of(obj))


@dataclass(frozen=True)
class Territory:
    """The brands a user sees whole, and the stores it reaches in the brands it sees in part."""

    brands: frozenset[int] = frozenset()
    partial: frozenset[int] = frozenset()
    stores: frozenset[int] = frozenset()
    everything: bool = False

    def reaches(self, tenant: Tenant) -> bool:
        if self.everything or tenant.public:
            return True
        if tenant.brand in self.brands:
            return True
        if tenant.brand not in self.partial:
            return False
        return tenant.location is None or tenant.location in self.stores


# --- what must not be in a body ------------------------------------------------------------------


@dataclass
class Markers:
    """Strings that name one tenant's records (store codes and names, audit ids, link tokens)."""

    by_tenant: dict[str, Tenant] = field(default_factory=dict)

    def add(self, text: str, tenant: Tenant) -> None:
        assert len(text) >= 6, f"marker {text!r} is too short to be unambiguous"
        self.by_tenant[text] = tenant

    def leaked(self, body: str, territory: Territory, granted: Tenant | None = None) -> list[str]:
        """The markers in ``body`` of tenants outside the territory (``granted``'s store excepted)."""
        return [
            text
            for text, tenant in self.by_tenant.items()
            if text in body
            and not territory.reaches(tenant)
            and not (granted and granted.public and granted.location and tenant.location == granted.location)
        ]


TEXT_TYPES = re.compile(r"^(text/|application/(json|javascript|xml|[\w.+-]*\+json))")


def body_text(response: Any) -> str:
    """The response's text when it is text (JSON, HTML, CSV); binary bodies (PDF, images, ZIP) give ''."""
    if getattr(response, "streaming", False):
        return ""
    if not TEXT_TYPES.match(response.get("Content-Type", "")):
        return ""
    return response.content.decode("utf-8", errors="replace")


Binder = Callable[[Any], list[tuple[dict[str, Any], Tenant]]]
"""Fills a route's further URL arguments from the scene: (kwargs, the tenant they reach)."""
