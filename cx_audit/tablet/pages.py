"""The auditor's tablet app: one page (an app shell rendered in the browser) and its service worker.

Everything the auditor sees on /tablet/ is drawn by cx_audit/static/cx_audit/tablet/app.js from
the API and IndexedDB, so the page keeps working with no connection once it was opened online.
The service worker must be served from /tablet/ (not /static/) for its scope to cover the page,
and must never be cached by HTTP, or a fixed bug would reach tablets only days later.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

TABLET_STATIC = "cx_audit/tablet"
# What the app needs to start with no connection: the page's own stylesheet and scripts.
SHELL_ASSETS = [
    "cx_audit/site.css",
    "cx_audit/site.js",
    f"{TABLET_STATIC}/tablet.css",
    f"{TABLET_STATIC}/app.js",
    f"{TABLET_STATIC}/api.js",
    f"{TABLET_STATIC}/checklist.js",
    f"{TABLET_STATIC}/geo.js",
    f"{TABLET_STATIC}/score.js",
    f"{TABLET_STATIC}/store.js",
    f"{TABLET_STATIC}/sync.js",
    f"{TABLET_STATIC}/ui.js",
]
SERVICE_WORKER = f"{TABLET_STATIC}/sw.js"


class TabletView(LoginRequiredMixin, TemplateView):
    """The app shell; its views (my audits, checklist, score) are drawn client-side."""

    template_name = "cx_audit/tablet.html"

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        context["app_config"] = {
            "userId": self.request.user.pk,
            "api": reverse("api-root"),
            "serviceWorker": reverse("tablet_sw"),
            "scope": reverse("tablet"),
            "loginUrl": f"{reverse('login')}?next={reverse('tablet')}",
        }
        return context


def _asset_urls(name: str) -> list[str]:
    """The URLs a browser may ask for this file by: the storage's (hashed in production) and the
    plain one, which the ES module imports use."""
    plain = f"{settings.STATIC_URL.rstrip('/')}/{name}"
    if not plain.startswith("/"):
        plain = "/" + plain
    hashed = static(name)
    return list(dict.fromkeys([hashed, plain]))


def _worker_source() -> str:
    """sw.js with the list of files to precache and a version that changes with any of them."""
    source = Path(finders.find(SERVICE_WORKER)).read_text(encoding="utf-8")
    digest = hashlib.sha256(source.encode())
    urls: list[str] = []
    for name in SHELL_ASSETS:
        path = finders.find(name)
        if path:
            digest.update(Path(path).read_bytes())
        urls.extend(_asset_urls(name))
    config = {"version": digest.hexdigest()[:12], "shell": [reverse("tablet"), *urls]}
    return f"const SHELL = {json.dumps(config)};\n{source}"


# Files do not change under a running production server; in DEBUG an edited script must reach
# the tablet on the next page load, so there the worker is rebuilt on every request.
_cached_worker_source = lru_cache(maxsize=1)(_worker_source)


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The tablet's service worker, scoped to /tablet/; public, like any script."""
    source = _worker_source() if settings.DEBUG else _cached_worker_source()
    response = HttpResponse(source, content_type="application/javascript")
    response["Service-Worker-Allowed"] = reverse("tablet")
    response["Cache-Control"] = "no-cache"
    return response
