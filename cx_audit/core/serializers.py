"""Serializer building blocks shared by every app's API."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from rest_framework import serializers


class WholeIdRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key given by its id, which must be a whole number: ``4`` or ``"4"``.

    DRF hands the value to the database lookup as it came, and the lookup rounds a JSON ``4.5``
    down to 4 (and takes ``true`` as 1): a typo would silently name another record. Anything but
    an integer or a string of digits is a 400 naming the field instead.
    """

    default_error_messages = {"not_an_id": "“{value}” is not an id: ids are whole numbers."}

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int | str):
            if isinstance(data, float):
                self.fail("not_an_id", value=data)
            self.fail("incorrect_type", data_type=type(data).__name__)
        if isinstance(data, str) and not (data.isascii() and data.isdigit()):
            self.fail("not_an_id", value=data)
        return super().to_internal_value(data)


class ScopedRelatedField(WholeIdRelatedField):
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


def _name_unique_field(error: DjangoValidationError) -> dict[str, list[str]]:
    """Report "code already exists in this brand" on the field a person would fix (the last one)."""
    messages: dict[str, list[str]] = {}
    for field, errors in error.error_dict.items():
        for item in errors:
            target = field
            if field == NON_FIELD_ERRORS and item.code == "unique_together":
                target = item.params["unique_check"][-1]
            messages.setdefault(target, []).extend(item.messages)
    return messages


class ModelCleanMixin:
    """Run the model's own validation (clean, unique and check constraints) on API writes.

    The model is the one place that knows its cross-field rules; the API reports them per
    field, just as the admin does. Foreign keys the serializer builds itself take whole ids only.
    """

    serializer_related_field = WholeIdRelatedField

    def get_validators(self) -> list:
        """Unique-together rules are checked by the model's validation below, per field."""
        return []

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
            raise serializers.ValidationError(_name_unique_field(error)) from error
        return attrs

    def check_candidate(self, instance: Any) -> None:
        """Hook run on the would-be row before validation, e.g. to refuse frozen parents."""
