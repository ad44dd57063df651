"""Every model that keeps a change history, under the short name the filters and links use.

A model gets its history by declaring ``history = TrackedHistory()``; it must also be listed here
to be readable, and tests/trust/test_f10_history.py fails when the two lists disagree, so no model
is tracked unseen or listed untracked. ``parts`` are the records that belong to an object and are
shown with it (``?object=framework:7`` lists the framework and its dimensions, journeys, sections
and items; ``?object=audit:9`` the audit and its answers).

Not tracked, on purpose: scores and results (derived at submission, recomputed from the answers),
evidence photos (content-addressed, never changed), corrective actions and disputes (each keeps
its own event log of who did what), report jobs and share links (operational), and customers'
feedback and its tags (never edited: re-sent records are ignored, re-tagging is recorded by its command).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import models

from cx_audit.actions.models import ActionPolicy, RoutingRule
from cx_audit.audits.models import Answer, Audit, AuditPlan
from cx_audit.voice.models import LexiconTerm, VoicePolicy
from journeys.models import Dimension, Framework, Item, Journey, Section, Stage, Touchpoint
from locations.models import Brand, Franchisee, Location, Membership, Region


@dataclass(frozen=True)
class Tracked:
    key: str
    model: type[models.Model]
    parent: tuple[str, str] | None = None  # (key of the owner, this model's field naming it)

    @property
    def history(self) -> type[models.Model]:
        return self.model.history.model

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)


TRACKED: tuple[Tracked, ...] = (
    Tracked("brand", Brand),
    Tracked("region", Region, ("brand", "brand_id")),
    Tracked("franchisee", Franchisee, ("brand", "brand_id")),
    Tracked("location", Location, ("brand", "brand_id")),
    Tracked("membership", Membership, ("brand", "brand_id")),
    Tracked("user", get_user_model()),
    Tracked("framework", Framework, ("brand", "brand_id")),
    Tracked("dimension", Dimension, ("framework", "framework_id")),
    Tracked("journey", Journey, ("framework", "framework_id")),
    Tracked("stage", Stage, ("journey", "journey_id")),
    Tracked("touchpoint", Touchpoint, ("stage", "stage_id")),
    Tracked("section", Section, ("framework", "framework_id")),
    Tracked("item", Item, ("framework", "framework_id")),
    Tracked("audit", Audit, ("location", "location_id")),
    Tracked("answer", Answer, ("audit", "audit_id")),
    Tracked("auditplan", AuditPlan, ("brand", "brand_id")),
    Tracked("routingrule", RoutingRule, ("brand", "brand_id")),
    Tracked("actionpolicy", ActionPolicy, ("brand", "brand_id")),
    Tracked("voicepolicy", VoicePolicy, ("brand", "brand_id")),
    Tracked("lexiconterm", LexiconTerm, ("brand", "brand_id")),
)
BY_KEY = {tracked.key: tracked for tracked in TRACKED}
# Fields never shown as a change: they move with every save and say nothing of their own.
QUIET_FIELDS = frozenset({"updated_at", "revision"})


def shown_fields(tracked: Tracked) -> list[str]:
    """The fields a change lists, by attribute name (``brand_id``), in the model's order."""
    names = [field.attname for field in tracked.history._meta.fields]
    return [n for n in names if not n.startswith("history_") and n not in QUIET_FIELDS and n != "id"]
