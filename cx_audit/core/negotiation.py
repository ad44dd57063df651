"""Content negotiation whose unknown ``?format=`` is bad input (issue 12, finding 12).

DRF answers ``?format=xml`` on an endpoint without an XML renderer with 404 "Not found", as if
the object were missing. Here it is a 400 naming ``format`` and the formats the endpoint offers.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation


class FormatContentNegotiation(DefaultContentNegotiation):
    def filter_renderers(self, renderers: list[Any], format: str) -> list[Any]:
        try:
            return super().filter_renderers(renderers, format)
        except Http404:
            offered = ", ".join(sorted({renderer.format for renderer in renderers}))
            message = _("Unknown format; this endpoint answers: %(formats)s.") % {"formats": offered}
            raise ValidationError({self.settings.URL_FORMAT_OVERRIDE: [message]}) from None
