"""One error shape for the API: DRF's field → messages mapping, also for model validation.

Errors the database or the ORM raise for a request that cannot succeed — a delete that other
records still refer to — become 4xx answers here, once, instead of a 500 in each view.

An error is always JSON, the one error format the OpenAPI document promises: also from a view
that renders a PDF or CSV (``json_errors``), and for a URL under /api/ that names nothing
(`ApiNotFoundView`, instead of Django's HTML "Page not found").
"""

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, ProtectedError, RestrictedError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from cx_audit.core.errors import StateConflict


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def referrers(objects: Iterable[Model]) -> dict[str, int]:
    """How many records of each kind hold the delete back, by plural name, most first."""
    counts = Counter(str(obj._meta.verbose_name_plural) for obj in objects)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def delete_blocked_message(target: Model | None, counts: dict[str, int]) -> str:
    """``Cannot delete region 'East': 12 locations, 3 audits still refer to it.``"""
    what = f"{target._meta.verbose_name} '{target}'" if target is not None else "this record"
    held = ", ".join(f"{count} {name}" for name, count in counts.items())
    return f"Cannot delete {what}: {held} still refer to it."


def _target(context: dict[str, Any]) -> Model | None:
    """The object the request was about (a delete to one object), if the view can say."""
    view = context.get("view")
    if not getattr(view, "detail", False) or not hasattr(view, "get_object"):
        return None
    try:
        return view.get_object()
    except Exception:  # only for the message: the 409 stands without a name
        return None


def _delete_blocked(exc: ProtectedError | RestrictedError, context: dict[str, Any]) -> Response:
    """409 naming the record and what still refers to it, by kind and count."""
    objects = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
    counts = referrers(objects)
    detail = delete_blocked_message(_target(context), counts)
    return Response({"detail": detail, "referenced_by": counts}, status=status.HTTP_409_CONFLICT)


# Renderers an error may keep: JSON, and the browsable API (JSON inside an HTML page).
ERROR_FORMATS = frozenset({"json", "api"})


def json_errors(request: Request | None) -> None:
    """Render the error as JSON even if the client asked for a PDF or CSV: an error body in
    ``application/pdf`` is neither a PDF nor what the schema says errors are."""
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is not None and renderer.format not in ERROR_FORMATS:
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn model and service errors into 4xx answers that name the field and the reason."""
    json_errors(context.get("request"))
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, StateConflict):
        exc = Conflict({exc.field: [str(exc)]})
    elif isinstance(exc, ProtectedError | RestrictedError):
        return _delete_blocked(exc, context)
    return drf_exception_handler(exc, context)


@extend_schema(exclude=True)
class ApiNotFoundView(APIView):
    """The last URL under /api/: any path no endpoint matches (``/api/actions/abc/``) is a JSON 404,
    after authentication like every endpoint (so an anonymous caller learns nothing: 401)."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound()
