"""The API docs page (Swagger UI, served from this site), for signed-in users, under the site's CSP.

drf-spectacular's split view serves the page's start-up script as a file of its own
(``/api/docs/?script=``) instead of inline, and our template keeps its three style rules in a static
file, so the page needs no exception to the Content-Security-Policy (no 'unsafe-inline'). Who may
read it is the schema's rule (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]: signed in); a visitor who
is not signed in is sent to the sign-in page and back, rather than shown a bare 401.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseBase
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import exceptions


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI without inline script or style; anonymous visitors go to the sign-in page."""

    template_name = "cx_audit/api_docs.html"

    def handle_exception(self, exc: Exception) -> Any:
        signed_out = isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed)
        if signed_out and self.request.GET.get("script") is None:
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)

    def finalize_response(self, request: Any, response: HttpResponseBase, *args: Any, **kwargs: Any) -> Any:
        # A redirect is already a finished response: no renderer to negotiate for it.
        if response.status_code == 302:
            return response
        return super().finalize_response(request, response, *args, **kwargs)
