"""The in-store survey's form: three optional scales and a comment, at least one of them given.

Only the shape of the answer is checked here; `cx_audit.voice.services.feedback_ingest` masks
the comment and stores it. Every message is translated (locale/zh_Hans), so a customer reading
the page in Chinese reads its errors in Chinese too.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_COMMENT = 1000


def _scale(low: int, high: int, question: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=question,
        choices=[(value, str(value)) for value in range(low, high + 1)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class SurveyForm(forms.Form):
    nps = _scale(0, 10, _("How likely are you to recommend us to a friend or colleague?"))
    csat = _scale(1, 5, _("How satisfied are you with your visit today?"))
    effort = _scale(1, 7, _("How much effort did it take to get what you came for?"))
    comment = forms.CharField(
        label=_("Anything you would like to tell us?"),
        help_text=_("Please do not write your phone number or e-mail address."),
        max_length=MAX_COMMENT,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    # What the ends of each scale mean, shown under its question.
    ends = {
        "nps": (_("0 = not at all likely"), _("10 = extremely likely")),
        "csat": (_("1 = very dissatisfied"), _("5 = very satisfied")),
        "effort": (_("1 = very little effort"), _("7 = a great deal of effort")),
    }

    def clean(self) -> dict[str, Any]:
        """At least one answer; a form already refused for a bad value is not told it is empty too."""
        data = super().clean()
        scales = [data.get(name) for name in ("nps", "csat", "effort")]
        if not self.errors and all(value is None for value in scales) and not data.get("comment"):
            raise forms.ValidationError(
                _("Please answer at least one question or write a comment."), code="empty"
            )
        return data

    def scales(self) -> list[dict[str, Any]]:
        """Each scale's field with the meaning of its ends, as the template lays them out."""
        return [{"field": self[name], "low": low, "high": high} for name, (low, high) in self.ends.items()]
