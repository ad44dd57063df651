"""Base classes that make every API view see only what its user may see (STYLE §3)."""

from typing import Any

from django.db.models import QuerySet
from rest_framework import permissions, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request

from cx_audit.core.permissions import has_rule, may


class ScopedQuerysetMixin:
    """Restrict the view's queryset with the model's `visible_to(user)`.

    Someone else's object is then simply not found (404), never forbidden (403). Ids are integers:
    a detail URL with anything else in its place (``/null/``, ``/4.5/``) matches no route and is a
    404 too, instead of reaching the database as a bad value (a 500).
    """

    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().visible_to(self.request.user)  # type: ignore[misc]


class MayWrite(permissions.BasePermission):
    """Reads for anyone who can see the object; writes as the model's rules decide (`may`).

    POST to the list adds ("add", asked of the model class: 403 for a user who may add none); PUT
    and PATCH change, DELETE deletes; a POST to one object runs the view's action (``publish``)
    when the model has a rule by that name, and otherwise changes it.

    A write to one object looks the object up first, through the scoped queryset: someone else's
    object is then a 404, exactly like an id that never existed (the README's promise), and only a
    user who sees the object but may not change it is told so (403).
    """

    message = "Only HQ admins of this brand may change it."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if not hasattr(view, request.method.lower()):
            return True  # a method the route does not answer: DRF's 405, whatever the id
        if getattr(view, "detail", False):
            # 404 unless visible, then `has_object_permission` (403), before the action runs, so
            # no action can skip the check by never calling `get_object` itself.
            view.get_object()
            return True
        return may(request.user, "add", view.get_queryset().model)

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


def visible_or_404(queryset: QuerySet, pk: int, field: str) -> Any:
    """The object ``pk`` among those the user sees, or a 404 naming the request's field."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound({field: ["Not found."]})
    return found
