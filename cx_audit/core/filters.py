"""Date filters with a sane range, shared by every filterset (API, pages and exports alike).

A date filter's value is used in arithmetic (the day after ``date_to``) and converted to UTC for
the database; near the ends of Python's calendar (``9999-12-31``, ``0001-01-01``) either
overflows, which was a 500. Dates outside `EARLIEST` … `LATEST` are now a 400 naming the filter.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def check_in_range(day: date | None) -> None:
    """Refuse a day outside the range any audit can have (a clear 400, not an overflow)."""
    if day is not None and not EARLIEST <= day <= LATEST:
        raise forms.ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="out_of_range",
            params={"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
        )


class BoundedDateField(forms.DateField):
    """A date between `EARLIEST` and `LATEST`."""

    def clean(self, value: Any) -> date | None:
        day = super().clean(value)
        check_in_range(day)
        return day


class BoundedIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date and time whose day lies between `EARLIEST` and `LATEST`."""

    def clean(self, value: Any) -> datetime | None:
        moment = super().clean(value)
        check_in_range(moment.date() if moment is not None else None)
        return moment


class BoundedDateFilter(django_filters.DateFilter):
    field_class = BoundedDateField


class BoundedIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = BoundedIsoDateTimeField
