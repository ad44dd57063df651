"""Serializer building blocks shared by every app's API."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from rest_framework import serializers


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A writable foreign key whose choices are what the requesting user may see.

    `scope` names the queryset method to apply (``visible_to`` or ``managed_by``), so an id
    the user may not see is answered "does not exist", exactly like an id that never existed.
    """

    def __init__(self, *, scope: str = "visible_to", **kwargs: Any) -> None:
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        request = self.context.get("request")
        return getattr(super().get_queryset(), self.scope)(getattr(request, "user", None))


class ModelCleanMixin:
    """Run the model's own validation (clean, unique and check constraints) on API writes.

    The model is the one place that knows its cross-field rules; the API reports them per
    field, just as the admin does.
    """

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)  # type: ignore[misc]
        model = self.Meta.model  # type: ignore[attr-defined]
        many_to_many = {f.name for f in model._meta.many_to_many}
        # Validate a copy, so a refused change leaves the instance being updated untouched.
        instance = model.objects.get(pk=self.instance.pk) if self.instance else model()  # type: ignore[attr-defined]
        for name, value in attrs.items():
            if name not in many_to_many:
                setattr(instance, name, value)
        self.check_candidate(instance)
        try:
            instance.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        return attrs

    def check_candidate(self, instance: Any) -> None:
        """Hook run on the would-be row before validation, e.g. to refuse frozen parents."""
