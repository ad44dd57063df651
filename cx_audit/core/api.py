"""Base classes that make every API view see only what its user may see (STYLE §3)."""

from typing import Any

from django.db.models import QuerySet
from rest_framework import permissions, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request

from cx_audit.core.scope import access_scope


class ScopedQuerysetMixin:
    """Restrict the view's queryset with the model's `visible_to(user)`.

    Someone else's object is then simply not found (404), never forbidden (403).
    """

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().visible_to(self.request.user)  # type: ignore[misc]


class IsBrandAdminOrReadOnly(permissions.BasePermission):
    """Reads for anyone who can see the object; writes for the HQ admins of its brand."""

    message = "Only HQ admins of this brand may change it."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        scope = access_scope(request.user)
        return scope.is_superuser or bool(scope.admin_brand_ids)

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        scope = access_scope(request.user)
        return scope.is_superuser or view.brand_id_of(obj) in scope.admin_brand_ids


class ScopedModelViewSet(ScopedQuerysetMixin, viewsets.ModelViewSet):
    """A model API whose reads are scoped and whose writes belong to the brand's HQ admins."""

    permission_classes = [permissions.IsAuthenticated, IsBrandAdminOrReadOnly]
    brand_path = "brand_id"

    def brand_id_of(self, obj: Any) -> int:
        node = obj
        for attr in self.brand_path.split("__"):
            node = getattr(node, attr)
        return node


class ScopedReadOnlyModelViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """A read-only model API, scoped like every other."""


class ObtainTokenView(ObtainAuthToken):
    """Exchange a username and password for the API token of that user."""

    permission_classes = [permissions.AllowAny]
