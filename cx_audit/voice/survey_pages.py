"""The in-store survey: the customer's public page under /s/<token>/, and HQ's survey-link pages.

The public page needs no sign-in and holds back stuffing four ways: the link is signed (a made-up
or superseded token is "not found" before the database is asked), each address is held to a rate
per link and each location to a rate of answers ("survey", "survey-answer", "survey-location";
refused with 429 and Retry-After), an answer needs the device cookie the page set, and one device
answers a location once a day — the answer's external id is the same all day, so the feedback
table refuses a second one however two requests race (`cx_audit.voice.survey`).

The page speaks Chinese or English: ``?lang=zh-hans|en`` (the visible switch), else the browser's
Accept-Language. The form keeps the language through its POST, and so do its errors.

HQ's pages (HQ roles of the brand; anyone else gets 404, the anonymous a login) list the brand's
locations with their link's state, issue, re-issue and revoke links (HQ admins: `may(user,
"change", link)`), and print the stickers, per location or for a filtered list on A4 sheets.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from cx_audit.core.permissions import may
from cx_audit.core.scope import access_scope
from cx_audit.core.throttles import client_ip, take
from cx_audit.voice.choices import FeedbackChannel, FeedbackSource, Language
from cx_audit.voice.models import SurveyLink
from cx_audit.voice.services import FeedbackIn, IngestResult, feedback_ingest
from cx_audit.voice.sticker import sticker_filename, sticker_pdf, stickers_for
from cx_audit.voice.survey import (
    DEVICE_COOKIE,
    DEVICE_MAX_AGE,
    DEVICE_SALT,
    answer_external_id,
    link_for_token,
    new_device_id,
    survey_link_issue,
    survey_link_revoke,
    survey_links_ensure,
    survey_token,
)
from cx_audit.voice.survey_forms import SurveyForm
from locations.filtersets import LocationFilterSet
from locations.models import Location

clock: Callable[[], datetime] = timezone.now  # when an answer is received (a test may move the day)
T = "cx_audit/voice/survey/"
MAX_STICKERS = 200  # one PDF: 50 A4 sheets, printed in seconds; a bigger chain prints by region


# --- The customer's page -------------------------------------------------------------------------


def _language(request: HttpRequest) -> str:
    """The page's language: the switch's ``lang`` (query or form), else what the middleware chose
    from Accept-Language; activated for this response (and its Content-Language)."""
    code = request.POST.get("lang") or request.GET.get("lang") or ""
    try:
        language = translation.get_supported_language_variant(code) if code else translation.get_language()
    except LookupError:
        language = translation.get_language()
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return language


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """A survey page: the token is in its address and the form holds a CSRF token, so nothing keeps it."""
    language = translation.get_language()
    context = {"lang": language, "other_lang": "en" if language.startswith("zh") else "zh-hans", **context}
    response = render(request, T + template, context, status=status)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _refused(request: HttpRequest, status: int, heading: str, text: str, **extra: Any) -> HttpResponse:
    return _page(request, "message.html", {"heading": heading, "text": text, **extra}, status=status)


def _not_found(request: HttpRequest) -> HttpResponse:
    """The one answer for a made-up, tampered, revoked and superseded link alike."""
    return _refused(
        request,
        404,
        _("This survey link does not work"),
        _("The QR code may have been replaced. Please ask the store's staff for the current one."),
    )


def _too_many(request: HttpRequest, wait: int) -> HttpResponse:
    response = _refused(
        request,
        429,
        _("Too many answers right now"),
        _("Please try again in a few minutes. Thank you for your patience."),
    )
    response["Retry-After"] = str(wait)
    return response


def _device(request: HttpRequest) -> str | None:
    return request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)


def _remember_device(request: HttpRequest, response: HttpResponse, token: str) -> None:
    """Give a browser without a (genuine) device id one: random, signed, unreadable by scripts,
    sent only to the survey's pages."""
    if _device(request) is not None:
        return
    response.set_signed_cookie(
        DEVICE_COOKIE,
        new_device_id(),
        salt=DEVICE_SALT,
        max_age=DEVICE_MAX_AGE,
        path=request.path[: request.path.index(token)],
        secure=settings.SESSION_COOKIE_SECURE or request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def _store(link: SurveyLink, device: str, data: dict[str, Any], language: str) -> IngestResult:
    now = clock()
    comment = data.get("comment") or ""
    record = FeedbackIn(
        location_id=link.location_id,
        channel=FeedbackChannel.IN_STORE_SURVEY,
        external_id=answer_external_id(link.location_id, device, timezone.localdate(now)),
        received_at=now,
        nps=data.get("nps"),
        csat=data.get("csat"),
        effort=data.get("effort"),
        comment=comment,
        # The comment's own language is detected from it; without one, the page's.
        language="" if comment else (Language.ZH if language.startswith("zh") else Language.EN),
    )
    return feedback_ingest(brand=link.location.brand, records=[record], source=FeedbackSource.SURVEY)


class SurveyView(View):
    """The survey: GET shows it (and gives the browser its device id), POST stores the answer."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        _language(request)
        if (wait := take("survey", client_ip(request))) is not None:
            return _too_many(request, wait)
        link = link_for_token(token)
        if link is None:
            return _not_found(request)
        response = _page(
            request, "form.html", {"link": link, "location": link.location, "form": SurveyForm()}
        )
        _remember_device(request, response, token)
        return response

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        language = _language(request)
        if (wait := take("survey-answer", f"{client_ip(request)}:{token}")) is not None:
            return _too_many(request, wait)
        link = link_for_token(token)
        if link is None:
            return _not_found(request)
        device = _device(request)
        if device is None:
            return _refused(
                request,
                400,
                _("Please open the survey again"),
                _(
                    "We could not recognise this phone. "
                    "Scan the QR code or open the link again (cookies must be on)."
                ),
                again=reverse("survey:form", args=[token]),
            )
        form = SurveyForm(request.POST)
        if not form.is_valid():
            return _page(request, "form.html", {"link": link, "location": link.location, "form": form}, 400)
        if (wait := take("survey-location", str(link.location_id))) is not None:
            return _too_many(request, wait)
        if not _store(link, device, form.cleaned_data, language).created:
            return _refused(
                request,
                409,
                _("You already told us today — thank you"),
                _(
                    "One answer a day from each phone keeps the survey fair. "
                    "You are welcome to tell us again tomorrow."
                ),
            )
        return redirect(reverse("survey:thanks", args=[token]) + f"?lang={language}", permanent=False)


class SurveyThanksView(View):
    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        _language(request)
        if (wait := take("survey", client_ip(request))) is not None:
            return _too_many(request, wait)
        link = link_for_token(token)
        if link is None:
            return _not_found(request)
        return _page(request, "thanks.html", {"location": link.location})


# --- HQ's pages ----------------------------------------------------------------------------------


def hq_locations(user: Any) -> QuerySet:
    """The locations of the brands where the user holds an HQ role (every location for a superuser)."""
    scope = access_scope(user)
    locations = Location.objects.visible_to(user)
    return locations if scope.is_superuser else locations.filter(brand_id__in=scope.hq_brand_ids)


class HqOnlyMixin(LoginRequiredMixin):
    """Survey links are HQ's business: franchisees, auditors and members of no brand get 404."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scope = access_scope(request.user)
        if request.user.is_authenticated and not (scope.is_superuser or scope.hq_brand_ids):
            raise Http404("No survey links here.")
        return super().dispatch(request, *args, **kwargs)


def survey_url(request: HttpRequest, link: SurveyLink) -> str:
    return request.build_absolute_uri(reverse("survey:form", args=[survey_token(link)]))


def _filtered(request: HttpRequest) -> LocationFilterSet:
    queryset = hq_locations(request.user).select_related("brand", "region", "franchisee", "survey_link")
    return LocationFilterSet(
        request.GET or None, queryset=queryset.order_by("brand__name", "code"), request=request
    )


class SurveyLinkListView(HqOnlyMixin, ListView):
    """The brand's locations and their survey links, filtered like every location list."""

    template_name = T + "links.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet:
        self.filterset = _filtered(self.request)
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        rows = []
        for location in context["object_list"]:
            link = getattr(location, "survey_link", None)
            rows.append(
                {
                    "location": location,
                    "link": link,
                    "url": survey_url(self.request, link) if link and link.active else "",
                    "can_manage": _may_manage(user, location, link),
                }
            )
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            rows=rows,
            filterset=self.filterset,
            query_without_page=query.urlencode(),
            can_add=may(user, "add", SurveyLink),
            max_stickers=MAX_STICKERS,
        )
        return context


def _may_manage(user: Any, location: Location, link: SurveyLink | None) -> bool:
    """Whether the user may issue (a first link: "add") or re-issue and revoke ("change") here."""
    return may(user, "change", link) if link else may(user, "add", SurveyLink(location=location))


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the list the button was pressed on (its filters and page), never elsewhere."""
    target = request.POST.get("next", "")
    listing = reverse("voice:surveys")
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False)
    return redirect(target if safe and target.startswith(listing) else listing)


class SurveyLinkIssueView(HqOnlyMixin, View):
    """Issue a location's first link, or a new version that retires every sticker printed before."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        location = get_object_or_404(hq_locations(request.user), pk=pk)
        link = survey_link_issue(location=location, user=request.user)
        if link.version == 1:
            text = _("%(code)s has a survey link: print its sticker.")
        else:
            text = _(
                "%(code)s has a new survey link (version %(version)s): "
                "print a new sticker, the old one no longer opens."
            )
        messages.success(request, text % {"code": location.code, "version": link.version})
        return _back(request)


class SurveyLinkRevokeView(HqOnlyMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        location = get_object_or_404(hq_locations(request.user), pk=pk)
        link = get_object_or_404(SurveyLink.objects.visible_to(request.user), location=location)
        survey_link_revoke(link=link, user=request.user)
        messages.success(
            request,
            _("%(code)s's survey link was revoked: its sticker opens nothing.") % {"code": location.code},
        )
        return _back(request)


class SurveyLinksEnsureView(HqOnlyMixin, View):
    """A first link for every listed location without one (the list's filters apply)."""

    def post(self, request: HttpRequest) -> HttpResponse:
        if not may(request.user, "add", SurveyLink):
            raise PermissionDenied(_("Only HQ admins of the brand may issue survey links."))
        filterset = _filtered(request)
        if filterset.is_bound and not filterset.is_valid():
            return redirect("voice:surveys")
        made = survey_links_ensure(locations=filterset.qs, user=request.user)
        messages.success(request, _("Survey links issued: %(count)s.") % {"count": made})
        return _back(request)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


class StickerView(HqOnlyMixin, View):
    """One location's sticker (A6); a location without an active link has none to print."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        location = get_object_or_404(hq_locations(request.user).select_related("brand", "survey_link"), pk=pk)
        link = getattr(location, "survey_link", None)
        if link is None or not link.active:
            raise Http404("This location has no active survey link.")
        content = sticker_pdf(stickers_for([location], lambda loc: survey_url(request, loc.survey_link)))
        return _pdf(content, sticker_filename(location))


class StickerSheetView(HqOnlyMixin, View):
    """The stickers of the listed locations with an active link, four to an A4 sheet."""

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset = _filtered(request)
        if filterset.is_bound and not filterset.is_valid():
            return redirect("voice:surveys")
        locations = list(filterset.qs.filter(survey_link__active=True)[: MAX_STICKERS + 1])
        if not locations or len(locations) > MAX_STICKERS:
            messages.warning(
                request,
                _("Nothing to print: no listed location has an active survey link.")
                if not locations
                else _("Over %(max)s stickers: filter the list (by region, say) and print it in parts.")
                % {"max": MAX_STICKERS},
            )
            return redirect(reverse("voice:surveys") + (f"?{request.GET.urlencode()}" if request.GET else ""))
        content = sticker_pdf(
            stickers_for(locations, lambda loc: survey_url(request, loc.survey_link)), sheet=True
        )
        return _pdf(content, sticker_filename())
