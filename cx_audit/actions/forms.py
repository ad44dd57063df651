"""Forms of the corrective-action pages: the store's answer and HQ's decision.

They check only the shape of the input; the services decide what is allowed and say why, and the
views put a service's refusal back on the field it names (`scorecards.forms.add_service_errors`).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cx_audit.actions.services import MAX_NOTE


class RespondForm(forms.Form):
    note = forms.CharField(
        label=_("What was done to fix it?"),
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photo = forms.FileField(
        label=_("Photo of the fix (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("A JPEG, PNG or WebP photo."),
    )


class ActionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept the fix")), ("send_back", _("Send it back to the store"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (shown to the store; required to send back)"),
        max_length=MAX_NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
