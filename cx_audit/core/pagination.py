"""Page-numbered lists that refuse a page or page size they cannot read (issue 12, finding 12).

DRF's `PageNumberPagination` answers ``?page=0`` or ``?page=0.5`` with 404 "Invalid page" and
quietly ignores a ``page_size`` it cannot read. Here, as in the insights API, a value that is not
a whole number in range is bad input (400 naming the parameter); 404 stays for a page past the
end. The OpenAPI document gives both parameters their bounds.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request


def whole(raw: str) -> int | None:
    """``raw`` as a whole number of ASCII digits, else None ("²" is a digit to Python, not to int)."""
    return int(raw) if raw.isascii() and raw.isdigit() else None


class StandardPagination(PageNumberPagination):
    """Page-numbered lists; clients may ask for up to 500 rows a page."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        size = whole(raw)
        if size is None or not 1 <= size <= self.max_page_size:
            message = _("A whole number from 1 to %(n)s.") % {"n": self.max_page_size}
            raise ValidationError({self.page_size_query_param: [message]})
        return size

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        return super().get_page_number(request, paginator) or 1  # "?page=" is the first page

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        raw = request.query_params.get(self.page_query_param, "")
        if raw and raw not in self.last_page_strings and not (whole(raw) or 0) >= 1:
            raise ValidationError({self.page_query_param: [_("A whole number from 1, or 'last'.")]})
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        for parameter in parameters:
            parameter["schema"] = {**parameter["schema"], **bounds.get(parameter["name"], {})}
        return parameters
