"""Admin for authoring a framework. Published and retired versions are read-only here too.

Every save goes through `journeys.services`, so the admin cannot change a frozen version even
when a form is submitted by hand; the read-only screens are only the friendly half of that.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cx_audit.core.admin import ScopedModelAdmin, ScopedTabularInline
from cx_audit.core.permissions import may
from journeys.models import Dimension, Framework, Item, Journey, Section, Stage, Touchpoint
from journeys.services import (
    FrameworkFrozen,
    LastPublishedFramework,
    framework_create,
    framework_new_version,
    framework_of,
    framework_part_delete,
    framework_part_save,
    framework_publish,
    framework_retire,
    framework_update,
)


class TermsField(forms.CharField):
    """A list of words edited as one word or phrase per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, list):
            return "\n".join(value)
        return value or ""

    def to_python(self, value: Any) -> list[str]:
        text = super().to_python(value) or ""
        return [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]


class ItemForm(forms.ModelForm):
    required_terms = TermsField(required=False, help_text=_("One word or phrase per line."))
    forbidden_terms = TermsField(
        required=False, help_text=_("One word or phrase per line, e.g. Store, 专卖店.")
    )

    class Meta:
        model = Item
        exclude: list[str] = []


class FrozenAwareMixin:
    """Parts of a published or retired version can be looked at but not changed."""

    def _framework(self, obj: Any) -> Framework | None:
        if obj is None:
            return None
        return obj if isinstance(obj, Framework) else framework_of(obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        framework = self._framework(obj)
        if framework is not None and not framework.is_draft:
            return False
        return super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        framework = self._framework(obj)
        if framework is not None and not framework.is_draft:
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        framework = self._framework(obj)
        if framework is not None and not framework.is_draft:
            return False
        return super().has_add_permission(request, obj)  # type: ignore[misc]


class PartInline(FrozenAwareMixin, ScopedTabularInline):
    extra = 0
    show_change_link = True


class DimensionInline(PartInline):
    model = Dimension
    fields = ["order", "code", "name", "importance", "expectation", "ideal"]


class JourneyInline(PartInline):
    model = Journey
    fields = ["order", "code", "name"]


class SectionInline(PartInline):
    model = Section
    fields = ["order", "code", "name", "weight"]


class PartAdminMixin(FrozenAwareMixin):
    """Route saves and deletes of parts and their inlines through the framework services."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        framework_part_save(part=obj)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        framework_part_delete(part=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            framework_part_delete(part=obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for obj in formset.save(commit=False):
            framework_part_save(part=obj)
        for obj in formset.deleted_objects:
            framework_part_delete(part=obj)
        formset.save_m2m()

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().changeform_view(request, *args, **kwargs)  # type: ignore[misc]
        except FrameworkFrozen as error:
            messages.error(request, str(error))
            from django.shortcuts import redirect

            return redirect(request.path)


@admin.register(Framework)
class FrameworkAdmin(PartAdminMixin, ScopedModelAdmin):
    list_display = ["brand", "version", "name", "status", "published_at"]
    list_filter = ["brand", "status"]
    search_fields = ["name", "description"]
    readonly_fields = ["version", "status", "based_on", "published_at", "published_by", "retired_at"]
    fields = ["brand", "name", "description", *readonly_fields]
    inlines = [DimensionInline, JourneyInline, SectionInline]
    actions = ["publish", "new_version", "retire"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*self.readonly_fields, "brand"] if obj else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Framework, form: Any, change: bool) -> None:
        if change:
            framework_update(framework=obj, name=obj.name, description=obj.description)
        else:
            created = framework_create(brand=obj.brand, name=obj.name, description=obj.description)
            obj.pk, obj.version = created.pk, created.version

    def delete_model(self, request: HttpRequest, obj: Framework) -> None:
        from journeys.services import framework_delete

        framework_delete(framework=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def _each(self, request: HttpRequest, queryset: QuerySet, service: Any, done: str, action: str) -> None:
        for framework in queryset:
            if not may(request.user, action, framework):
                continue
            try:
                result = service(framework=framework)
            except (ValidationError, FrameworkFrozen, LastPublishedFramework) as error:
                messages.error(request, f"{framework}: {'; '.join(getattr(error, 'messages', [str(error)]))}")
            else:
                messages.success(request, f"{result}: {done}")

    @admin.action(description=_("Publish the selected drafts"))
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(
            request,
            queryset,
            lambda framework: framework_publish(framework=framework, user=request.user),
            str(_("published")),
            "publish",
        )

    @admin.action(description=_("Start a new draft version from the selected"))
    def new_version(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset, framework_new_version, str(_("draft created")), "new_version")

    @admin.action(description=_("Retire the selected published versions"))
    def retire(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset, framework_retire, str(_("retired")), "retire")


class StageInline(PartInline):
    model = Stage
    fields = ["order", "name", "phase"]


class TouchpointInline(PartInline):
    model = Touchpoint
    fields = ["order", "code", "name", "channel"]


class ItemInline(PartInline):
    model = Item
    form = ItemForm
    fields = [
        "order",
        "code",
        "question",
        "answer_type",
        "weight",
        "critical",
        "applies_to_direct",
        "applies_to_authorized",
    ]


class ItemInSectionInline(ItemInline):
    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        section = obj

        class SectionItems(formset):  # type: ignore[valid-type, misc]
            def save_new(self, form: Any, commit: bool = True) -> Any:
                item = super().save_new(form, commit=False)
                item.framework_id = section.framework_id
                return item

        return SectionItems

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["framework"]


@admin.register(Dimension)
class DimensionAdmin(PartAdminMixin, ScopedModelAdmin):
    list_display = ["name", "code", "importance", "expectation", "ideal", "framework"]
    list_filter = ["framework__brand", "framework"]
    search_fields = ["name", "code"]


@admin.register(Journey)
class JourneyAdmin(PartAdminMixin, ScopedModelAdmin):
    list_display = ["name", "code", "framework", "order"]
    list_filter = ["framework__brand", "framework"]
    search_fields = ["name", "code"]
    inlines = [StageInline]


@admin.register(Stage)
class StageAdmin(PartAdminMixin, ScopedModelAdmin):
    list_display = ["name", "phase", "journey", "order"]
    list_filter = ["phase", "journey__framework"]
    search_fields = ["name"]
    inlines = [TouchpointInline]


@admin.register(Touchpoint)
class TouchpointAdmin(PartAdminMixin, ScopedModelAdmin):
    list_display = ["name", "code", "channel", "stage"]
    list_filter = ["channel", "stage__journey__framework"]
    search_fields = ["name", "code"]


@admin.register(Section)
class SectionAdmin(PartAdminMixin, ScopedModelAdmin):
    list_display = ["name", "code", "weight", "framework", "order"]
    list_filter = ["framework__brand", "framework"]
    search_fields = ["name", "code"]
    inlines = [ItemInSectionInline]


@admin.register(Item)
class ItemAdmin(PartAdminMixin, ScopedModelAdmin):
    form = ItemForm
    list_display = [
        "code",
        "question",
        "section",
        "answer_type",
        "weight",
        "critical",
        "applies_to_direct",
        "applies_to_authorized",
    ]
    list_filter = [
        "framework",
        "section__code",
        "answer_type",
        "critical",
        "applies_to_direct",
        "applies_to_authorized",
    ]
    search_fields = ["code", "question"]
    list_select_related = ["section", "framework"]
    autocomplete_fields = ["touchpoint", "dimension"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "framework",
                    "section",
                    "order",
                    "code",
                    "question",
                    "guidance",
                    "answer_type",
                    "weight",
                ]
            },
        ),
        (
            _("Scoring"),
            {"fields": ["critical", "photo_required", "na_allowed", "cannot_check_allowed", "pass_fail"]},
        ),
        (
            _("Outlet types"),
            {
                "fields": [
                    "applies_to_direct",
                    "applies_to_authorized",
                    "target_direct",
                    "target_authorized",
                    "price_min_pct_direct",
                    "price_max_pct_direct",
                    "price_min_pct_authorized",
                    "price_max_pct_authorized",
                ]
            },
        ),
        (_("Signage text"), {"fields": ["required_terms", "forbidden_terms"]}),
        (_("Maps to"), {"fields": ["touchpoint", "dimension"]}),
    ]
