"""The bulk export form: a franchisee or a region, among those the user sees."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from locations.models import Franchisee, Region


class BulkJobForm(forms.Form):
    franchisee = forms.ModelChoiceField(
        queryset=Franchisee.objects.none(), label=_("All locations of the franchisee"), required=False
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(), label=_("or all locations of the region"), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["franchisee"].queryset = Franchisee.objects.visible_to(user).order_by("name")
        self.fields["region"].queryset = Region.objects.visible_to(user).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and (data.get("franchisee") is None) == (data.get("region") is None):
            self.add_error("franchisee", _("Choose a franchisee or a region (one of them)."))
        return data
