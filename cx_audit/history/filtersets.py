"""The history's filters, shared by the API and the page (STYLE §2).

The list spans one history table per tracked model, so each filter is a method that works on any
of them: the selector runs the same bound filterset over each table it reads. ``model`` picks the
tables; ``object`` is ``<model>:<id>`` (``framework:7``), the object and the records that belong to it.
"""

from __future__ import annotations

import re
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cx_audit.history.diff import CHANGED, CREATED, DELETED
from cx_audit.history.selectors import MODEL_CHOICES, for_brand, for_object, history_brand_ids
from cx_audit.history.tracked import BY_KEY
from locations.models import Brand

OBJECT = re.compile(r"^(?P<key>[a-z]+):(?P<pk>[0-9]{1,18})$")
KIND_CHOICES = [("created", _("Created")), ("changed", _("Changed")), ("deleted", _("Deleted"))]
KIND_CODES = {"created": CREATED, "changed": CHANGED, "deleted": DELETED}


def brand_choices(request: Any) -> QuerySet:
    """The brands whose history the user reads, to choose from."""
    user = getattr(request, "user", None)
    brands = history_brand_ids(user)
    return Brand.objects.all() if brands is None else Brand.objects.filter(pk__in=brands)


class ObjectField(forms.CharField):
    """``<model>:<id>``, e.g. ``framework:7``; a model that keeps no history is a 400 naming it."""

    def clean(self, value: Any) -> tuple[str, int] | None:
        value = super().clean(value)
        if not value:
            return None
        match = OBJECT.match(value.strip())
        if match is None or match["key"] not in BY_KEY:
            raise forms.ValidationError(
                _("Give the object as <model>:<id>, e.g. framework:7; models: %(models)s.")
                % {"models": ", ".join(BY_KEY)}
            )
        return match["key"], int(match["pk"])


class ObjectFilter(django_filters.Filter):
    field_class = ObjectField


class HistoryFilterSet(django_filters.FilterSet):
    """Brand, kind of object, kind of change, user, date range and object."""

    brand = django_filters.ModelChoiceFilter(queryset=brand_choices, method="filter_brand", label=_("Brand"))
    model = django_filters.ChoiceFilter(
        choices=MODEL_CHOICES, method="filter_nothing", label=_("Kind of record")
    )
    kind = django_filters.ChoiceFilter(choices=KIND_CHOICES, method="filter_kind", label=_("Change"))
    user = django_filters.CharFilter(method="filter_user", label=_("Changed by (user name)"), max_length=150)
    date_from = django_filters.DateFilter(method="filter_date_from", label=_("From"))
    date_to = django_filters.DateFilter(method="filter_date_to", label=_("To"))
    object = ObjectFilter(method="filter_object", label=_("Object (model:id)"))

    def tables(self) -> list[str]:
        """The tracked models to read: the chosen one, or every one."""
        chosen = self.form.cleaned_data.get("model")
        return [chosen] if chosen else list(BY_KEY)

    def filter_nothing(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset  # the selector reads only the chosen model's table (`tables`)

    def filter_brand(self, queryset: QuerySet, name: str, value: Brand) -> QuerySet:
        return for_brand(queryset, _tracked(queryset), value.pk)

    def filter_kind(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(history_type=KIND_CODES[value])

    def filter_user(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(history_user__username__iexact=value.strip())

    def filter_date_from(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset.filter(history_date__date__gte=value)

    def filter_date_to(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset.filter(history_date__date__lte=value)

    def filter_object(self, queryset: QuerySet, name: str, value: tuple[str, int]) -> QuerySet:
        key, pk = value
        return for_object(queryset, _tracked(queryset), key, pk)


def _tracked(queryset: QuerySet) -> Any:
    """The tracked model whose history table ``queryset`` reads."""
    original = queryset.model.instance_type
    return next(t for t in BY_KEY.values() if t.model is original)
