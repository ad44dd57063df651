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
# The site's own stylesheet and script, which the tablet page loads like every page.
SITE_ASSETS = ["cx_audit/site.css", "cx_audit/site.js"]
SHELL_SUFFIXES = (".css", ".js")
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


def shell_assets() -> list[str]:
    """What the app needs to start with no connection: the site's stylesheet and script, and every
    stylesheet and script of the tablet app but the worker itself.

    Listed from the folder, so a module added, split or renamed is precached without anyone
    remembering to list it here (tests/cx_audit/test_tablet_pages.py checks every import is)."""
    folder = Path(finders.find(SERVICE_WORKER)).parent
    names = sorted(
        path.name
        for path in folder.iterdir()
        if path.is_file() and path.suffix in SHELL_SUFFIXES and path.name != Path(SERVICE_WORKER).name
    )
    return [*SITE_ASSETS, *(f"{TABLET_STATIC}/{name}" for name in names)]


def shell_version(assets: list[str], urls: list[str]) -> str:
    """The version in the worker's cache names: it changes with the worker, the list of files it
    precaches (a file added, removed or renamed, even with the same bytes), every byte of them, and
    the URLs they are fetched by. A tablet in the field installs the new worker, which fills a new
    cache and deletes the old one, so it never mixes modules of two releases."""
    digest = hashlib.sha256()
    for name in [SERVICE_WORKER, *assets]:
        path = finders.find(name)
        content = Path(path).read_bytes() if path else b""
        # Length-prefixed, so no two lists of (name, content) hash the same.
        digest.update(f"{name}\0{len(content) if path else -1}\0".encode())
        digest.update(content)
    digest.update(json.dumps(urls).encode())
    return digest.hexdigest()[:12]


def _worker_source() -> str:
    """sw.js with the list of files to precache and a version that changes with any of them."""
    assets = shell_assets()
    urls = [reverse("tablet"), *(url for name in assets for url in _asset_urls(name))]
    config = {"version": shell_version(assets, urls), "shell": urls}
    source = Path(finders.find(SERVICE_WORKER)).read_text(encoding="utf-8")
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
