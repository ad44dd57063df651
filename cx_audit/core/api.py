"""Base classes that make every API view see only what its user may see (STYLE §3)."""

from typing import Any

from django.db.models import QuerySet
from rest_framework import permissions, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import NotFound
from rest_framework.request import Request

from cx_audit.core.permissions import has_rule, may


class ScopedQuerysetMixin:
    """Restrict the view's queryset with the model's `visible_to(user)`.

    Someone else's object is then simply not found (404), never forbidden (403).
    """

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().visible_to(self.request.user)  # type: ignore[misc]


class MayWrite(permissions.BasePermission):
    """Reads for anyone who can see the object; writes as the model's rules decide (`may`).

    POST to the list adds ("add", asked of the model class); PUT and PATCH change, DELETE deletes;
    a POST to one object runs the view's action (``publish``) when the model has a rule by that
    name, and otherwise changes it. Before the object is found, the user must
    be allowed the action on some object of the model, so a user who may write nothing is told
    so (403) before anything is looked up.
    """

    message = "Only HQ admins of this brand may change it."
    actions = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        action = self.actions.get(request.method, "change")
        if action == "add" and getattr(view, "detail", False):
            action = "change"  # a POST to one object is an action on it
        return may(request.user, action, view.get_queryset().model)

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        action = "delete" if request.method == "DELETE" else "change"
        if request.method == "POST" and has_rule(getattr(view, "action", "") or "", obj):
            action = view.action
        return may(request.user, action, obj)


class ScopedModelViewSet(ScopedQuerysetMixin, viewsets.ModelViewSet):
    """A model API whose reads are scoped and whose writes follow the model's rules (`may`)."""

    permission_classes = [permissions.IsAuthenticated, MayWrite]


class ScopedReadOnlyModelViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """A read-only model API, scoped like every other."""


class ObtainTokenView(ObtainAuthToken):
    """Exchange a username and password for the API token of that user."""

    permission_classes = [permissions.AllowAny]


def visible_or_404(queryset: QuerySet, pk: int, field: str) -> Any:
    """The object ``pk`` among those the user sees, or a 404 naming the request's field."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound({field: ["Not found."]})
    return found
