"""The health check (database, broker, object storage, virus scanner: core.health),
Prometheus's metrics, the language menu, and the bench's floor: what any signed-in request costs
before its own work."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.i18n import set_language

from core import health, ratelimits
from core import metrics as portal_metrics
from core.ratelimits import rate_limited


@login_not_required
@never_cache
@rate_limited("healthz", ratelimits.PUBLIC, answer=ratelimits.too_many_requests_json)
@require_GET
def healthz(request):
    status = health.report(live="live" in request.GET)
    healthy = all(value in ("ok", "skipped") for value in status.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **status}, status=200 if healthy else 503
    )


def _metrics_refused(request):
    """Over the rate limit: 429 for Prometheus, the same 404 as always for anyone else."""
    if not portal_metrics.request_may_scrape(request):
        raise Http404
    return HttpResponse("rate limited", status=429, content_type="text/plain")


@login_not_required
@never_cache
@rate_limited("metrics", ratelimits.PUBLIC, answer=_metrics_refused)
def metrics(request):
    """Prometheus metrics (core.metrics). Anyone without the token or an allowed address gets
    the 404 of an unknown URL, whatever the method: the endpoint is not advertised."""
    if not portal_metrics.request_may_scrape(request):
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    body = portal_metrics.exposition()
    return HttpResponse(body, content_type=portal_metrics.CONTENT_TYPE_LATEST)


@login_not_required
@rate_limited("set_language", *ratelimits.SET_LANGUAGE)
def language_set(request):
    """Django's set_language, remembering a signed-in person's choice for their e-mails."""
    response = set_language(request)
    code = request.POST.get("language", "")
    chosen = request.method == "POST" and code in dict(settings.LANGUAGES)
    if chosen and request.user.is_authenticated:
        get_user_model().objects.filter(pk=request.user.pk).update(language=code)
    return response


@require_GET
def floor_view(request):
    """The full middleware and nothing else (served only with ZI_BENCH_FLOOR)."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def floor_layout(request):
    """The layout every page shares (menu, bell, footer) with no content of its own."""
    return render(request, "base.html")
