"""Form helpers every feature's pages share."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the fields it names (others on the form itself)."""
    messages = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for name, texts in messages.items():
        target = name if name in form.fields else None
        for text in texts:
            form.add_error(target, text)
