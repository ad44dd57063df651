"""What a share link opens, without signing in: one location's scorecard, its PDF and its photos.

Read-only and narrow: the link's location only, its current operator's audits only (as that
operator would see them signed in), photos only of the audit the scorecard shows. An unknown,
expired or revoked token is a plain 404. The token is in the path, so these answers are never
cached and tell the browser not to pass the address on as a referrer. Each address is held to a rate
per link (the "share", "share-pdf" and "share-file" rates: a PDF costs seconds of a worker), counted
before the token is looked up, so a loop on an unknown token is refused (429) as cheaply as on a
real one.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views import View

from cx_audit.audits.models.audits import Evidence
from cx_audit.core.throttles import rate_limited
from cx_audit.scorecards.data import scorecard_for, shared_audits
from cx_audit.scorecards.models import ShareLink
from cx_audit.scorecards.pdf import pdf_filename, scorecard_pdf
from cx_audit.scorecards.sharing import share_link_open
from cx_audit.scorecards.views import logo_response, logo_version, pdf_response


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _per_link(request: HttpRequest, token: str = "", **kwargs: object) -> str:
    return token


def _link(token: str, *, count: bool = True) -> ShareLink:
    link = share_link_open(token, count=count)
    if link is None:
        raise Http404("No such link.")
    return link


class SharedScorecardView(View):
    @rate_limited("share", per=_per_link)
    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        link = _link(token)
        card = scorecard_for(
            link.location,
            audits=shared_audits(link.location),
            photo_url=lambda photo: reverse("share:photo", args=[token, photo.pk]),
            logo_url=lambda brand: reverse("share:logo", args=[token]) + f"?v={logo_version(brand)}",
            shared=True,
        )
        context = {"card": card, "mode": "share", "link": link, "token": token}
        return _private(render(request, "cx_audit/scorecards/share.html", context))


class SharedPdfView(View):
    @rate_limited("share-pdf", per=_per_link)
    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        link = _link(token)
        content = scorecard_pdf(
            link.location, audits=shared_audits(link.location), generated_for=link.note, shared=True
        )
        return _private(pdf_response(content, pdf_filename(link.location)))


class SharedPhotoView(View):
    """A photo of the audit the shared scorecard shows; any other photo is not found."""

    @rate_limited("share-file", per=_per_link)
    def get(self, request: HttpRequest, token: str, pk: int) -> HttpResponse:
        link = _link(token, count=False)
        latest = shared_audits(link.location).order_by("-submitted_at", "-pk").values("pk")[:1]
        photo = get_object_or_404(Evidence.objects.filter(answer__audit_id__in=latest), pk=pk)
        stored = photo.display_file or photo.file
        content_type = "image/jpeg" if photo.display_file else photo.content_type
        response = FileResponse(stored.open("rb"), content_type=content_type)
        response["X-Content-Type-Options"] = "nosniff"
        return _private(response)


class SharedLogoView(View):
    """The logo of the shared scorecard's brand (a share link's page has no session to read it by)."""

    @rate_limited("share-file", per=_per_link)
    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        link = _link(token, count=False)
        return _private(logo_response(link.location.brand))
