"""Admin classes that respect the same visibility as the pages and the API.

HQ admins (staff users with the HQ admin role in a brand) author their brand's chain and
framework here; what they see and may change follows `visible_to` / `managed_by`, so the
admin is not a back door around the access rules.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth.admin import UserAdmin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from cx_audit.core.models import User
from cx_audit.core.permissions import may


def scoped_filter(model: type[Model], entry: Any) -> Any:
    """A filter on a relation lists only the related rows met in the user's own rows.

    Django's default relation filter offers every row of the related table — every brand,
    franchisee and region of the service — in the sidebar; `RelatedOnlyFieldListFilter` asks the
    admin's (scoped) queryset instead, so no other brand's names leak through a filter.
    """
    if isinstance(entry, str) and get_fields_from_path(model, entry)[-1].is_relation:
        return (entry, admin.RelatedOnlyFieldListFilter)
    return entry


class ScopedAdminMixin:
    """Limit rows and foreign-key choices to the user's brands; writes to its HQ admins."""

    managed_relations: tuple[str, ...] = ("brand", "framework", "section", "journey", "stage")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).visible_to(request.user)  # type: ignore[misc]

    def get_list_filter(self, request: HttpRequest) -> Any:
        filters = super().get_list_filter(request)  # type: ignore[misc]
        return [scoped_filter(self.model, entry) for entry in filters]  # type: ignore[attr-defined]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request, "change", None)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, "change", None)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._may(request, "add", None)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, "change", obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, "delete", obj)

    def _may(self, request: HttpRequest, action: str, obj: Any) -> bool:
        """Staff only, then the model's rule (`may`): on the object, or on its model to open a page."""
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return may(user, action, obj if obj is not None else self.model)  # type: ignore[attr-defined]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        queryset = db_field.related_model._default_manager.all()
        if db_field.name in self.managed_relations and hasattr(queryset, "managed_by"):
            kwargs["queryset"] = queryset.managed_by(request.user)
        elif hasattr(queryset, "visible_to"):
            kwargs["queryset"] = queryset.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        queryset = db_field.related_model._default_manager.all()
        if hasattr(queryset, "visible_to"):
            kwargs["queryset"] = queryset.visible_to(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


class ScopedModelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    pass


class RecordAdmin(ScopedModelAdmin):
    """A record (audits, amendments, actions, disputes…): shown, never added, edited or deleted
    through the admin; the services are the only way to change one."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ScopedTabularInline(ScopedAdminMixin, admin.TabularInline):
    pass


class ReadOnlyInline(admin.TabularInline):
    """Rows of an audit, shown but never edited here: audits change only through their services."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True  # the audit page itself is already scoped and gated

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.register(User, UserAdmin)


def operator_only(site: admin.AdminSite) -> None:
    """Admins that know no brand (users, sign-in logs) show their rows to superusers only.

    For anyone else such an admin finds no row, so a record there is answered exactly like an id
    that never existed (Django's history and change views would otherwise say 403 for a row that
    exists and redirect for one that does not). Called once every app has registered its admins.
    """
    for model_admin in site._registry.values():
        if isinstance(model_admin, ScopedAdminMixin) or getattr(model_admin, "_operator_only", False):
            continue
        rows = model_admin.get_queryset

        def get_queryset(request: HttpRequest, rows: Any = rows) -> QuerySet:
            found = rows(request)
            return found if request.user.is_superuser else found.none()

        model_admin.get_queryset = get_queryset
        model_admin._operator_only = True


admin.site.site_header = "cx_audit administration"
