"""Forms of the scorecard pages: dispute a finding, decide a dispute, share a link, export in bulk.

They only check the shape of the input; the services decide what is allowed and say why, and the
views put a service's refusal back on the field it names.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cx_audit.audits.models.amendments import Ruling
from cx_audit.scorecards.sharing import DEFAULT_DAYS, MAX_DAYS


class DisputeForm(forms.Form):
    item = forms.CharField(max_length=40, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Why is this finding wrong?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photo = forms.FileField(label=_("Photo (optional)"), required=False)

    def __init__(self, *args: Any, item_code: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"dispute-{item_code}-%s" if item_code else "id_%s")
        super().__init__(*args, **kwargs)
        if item_code:
            self.fields["item"].initial = item_code


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept: rescore the item")), ("reject", _("Reject: the finding stands"))],
        widget=forms.RadioSelect,
    )
    ruling = forms.ChoiceField(
        label=_("If accepted, the item counts as"),
        choices=Ruling.choices,
        initial=Ruling.PASS,
        widget=forms.RadioSelect,
        required=False,
    )
    fraction = forms.DecimalField(
        label=_("Share of the points (partly met only)"),
        min_value=0,
        max_value=1,
        max_digits=5,
        decimal_places=4,
        required=False,
        help_text=_("Between 0 and 1, e.g. 0.5 for half the points."),
    )
    reason = forms.CharField(
        label=_("Reason (shown to the franchisee; required to reject)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ShareLinkForm(forms.Form):
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS
    )
    note = forms.CharField(label=_("For whom (optional)"), max_length=200, required=False)
