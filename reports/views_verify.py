"""The public verification page of an issued document (its QR code and short URL lead here):
what the document is and whether it still stands, and whether an uploaded PDF is exactly the
issued file. No login; nothing else of the unit's data; unknown codes are a plain 404."""

from __future__ import annotations

import hashlib

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from assessments.evidence.views import SizeCapUploadHandler
from assessments.models import Layer
from core import ratelimits
from core.ratelimits import rate_limited
from reports.issuing import verification_of


class CompareForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Berkas PDF yang ingin diperiksa"))


def _digest(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


@login_not_required
@never_cache
@csrf_exempt  # only to install the size cap first: _verify checks the CSRF token itself
@rate_limited("document_verify", *ratelimits.DOCUMENT_VERIFY)
@require_http_methods(["GET", "POST"])
def verify(request, code: str):
    # The evidence upload's cap: a file past the upload limit is dropped as it arrives, never
    # kept in memory or written in full (the CSRF middleware would parse the body first).
    cap = SizeCapUploadHandler(request)
    request.upload_handlers.insert(0, cap)
    return _verify(request, code=code, cap=cap)


@csrf_protect
def _verify(request, *, code: str, cap: SizeCapUploadHandler):
    found = verification_of(code)
    if found is None:
        raise Http404
    form, matches, refused = CompareForm(), None, ""
    if request.method == "POST":
        form = CompareForm(request.POST, request.FILES)
        if cap.oversized:
            refused = _("Berkas terlalu besar untuk diperiksa.")
        elif not form.is_valid():
            refused = " ".join(str(e) for errors in form.errors.values() for e in errors)
        else:
            matches = _digest(form.cleaned_data["file"]) == found.document.sha256
        form = CompareForm()  # the page offers a fresh form after every check
    assessment = found.document.assessment
    return render(
        request,
        "reports/verify.html",
        {
            "found": found,
            "document": found.document,
            "unit": assessment.unit,
            "period": assessment.period,
            "layer_label": Layer(found.document.layer).label if found.document.layer else "",
            "form": form,
            "matches": matches,
            "refused": refused,
        },
        status=400 if refused else 200,
    )
