"""Filters of share links, shared by the page and the API (STYLE §2)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from cx_audit.scorecards.models import ShareLink
from locations.filtersets import visible_locations


class ShareLinkFilterSet(django_filters.FilterSet):
    location = django_filters.ModelChoiceFilter(queryset=visible_locations, label=_("Location"))

    class Meta:
        model = ShareLink
        fields = ["location"]
