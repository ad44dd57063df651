"""What `seed_demo` reports: the chain, the framework, the history and what changed on this run."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Count

from cx_audit.core.choices import Role
from cx_audit.demo import data
from cx_audit.demo import history as demo_history
from cx_audit.demo.seeding import Changes, SeedResult
from locations.models import Brand, Franchisee, Location, LocationStatus, OutletType, Region


def summary_lines(result: SeedResult) -> list[str]:
    """What the demo holds now, what this run changed, and how to sign in."""
    return [
        *_chain_lines(result.brand),
        _framework_line(result),
        *demo_history.summary_lines(result.history),
        _changes_line(result.changes),
        f"Demo logins (password for all: {data.DEMO_PASSWORD}):",
        *(f"  {spec.username:<18} {_role_label(spec.role)} — {spec.note}" for spec in data.USERS),
    ]


def _chain_lines(brand: Brand) -> list[str]:
    locations = Location.objects.filter(brand=brand)
    by_type = _count_by(locations, "outlet_type")
    by_status = _count_by(locations, "status")
    cities_by_tier = dict(
        locations.order_by().values_list("city_tier").annotate(n=Count("city", distinct=True))
    )
    exceptions = locations.policy_exceptions()
    types = ", ".join(f"{by_type.get(t, 0)} {t.label.lower()}" for t in OutletType)
    statuses = ", ".join(f"{by_status[s]} {s.label.lower()}" for s in LocationStatus if s in by_status)
    tiers = ", ".join(f"tier {tier}: {n}" for tier, n in sorted(cities_by_tier.items()))
    cities = locations.values("city").distinct().count()
    regions = Region.objects.filter(brand=brand).count()
    franchisees = Franchisee.objects.filter(brand=brand).count()
    listed = ", ".join(f"{loc.code} {loc.name} ({loc.city}, tier {loc.city_tier})" for loc in exceptions)
    return [
        f"{brand.name} ({brand.slug}): {locations.count()} locations — {types}",
        f"  status: {statuses}",
        f"  {cities} cities ({tiers}), {regions} regions, {franchisees} franchisees",
        f"  policy exceptions: {exceptions.count()} — {listed or 'none'}",
    ]


def _count_by(queryset: models.QuerySet, field_name: str) -> dict[Any, int]:
    return dict(queryset.order_by().values_list(field_name).annotate(n=Count("pk")))


def _framework_line(result: SeedResult) -> str:
    framework = result.framework
    counts = {
        "dimensions": framework.dimensions.count(),
        "journeys": framework.journeys.count(),
        "sections": framework.sections.count(),
        "items": framework.items.count(),
    }
    state = "published now" if result.framework_published else "unchanged"
    parts = ", ".join(f"{n} {name}" for name, n in counts.items())
    return f"Framework: {framework.name} v{framework.version} ({state}) — {parts}"


def _changes_line(changes: Changes) -> str:
    created = ", ".join(_rows(model, n) for model, n in changes.created.items() if n)
    updated = ", ".join(_rows(model, n) for model, n in changes.updated.items() if n)
    done = [f"created {created}" if created else "", f"updated {updated}" if updated else ""]
    return "This run " + ("; ".join(part for part in done if part) or "changed nothing") + "."


def _rows(model: type[models.Model], n: int) -> str:
    meta = model._meta
    return f"{n} {meta.verbose_name if n == 1 else meta.verbose_name_plural}"


def _role_label(role: str) -> str:
    if role == data.SUPERUSER:
        return "superuser"
    return str(Role(role).label)
