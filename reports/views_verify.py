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
from django.views.decorators.http import require_http_methods

from assessments.evidence.limits import max_bytes
from assessments.models import Layer
from core import ratelimits
from core.ratelimits import rate_limited
from reports.issuing import verification_of

UPLOAD_OVERHEAD = 64 * 1024  # multipart headers and the CSRF field around the file


class CompareForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Berkas PDF yang ingin diperiksa"))


def _digest(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


@login_not_required
@never_cache
@rate_limited("document_verify", *ratelimits.DOCUMENT_VERIFY)
@require_http_methods(["GET", "POST"])
def verify(request, code: str):
    found = verification_of(code)
    if found is None:
        raise Http404
    form, matches, refused = CompareForm(), None, ""
    if request.method == "POST":
        limit = max_bytes()
        # Refused before the body is parsed: an oversized upload is never read.
        if int(request.META.get("CONTENT_LENGTH") or 0) > limit + UPLOAD_OVERHEAD:
            refused = _("Berkas terlalu besar untuk diperiksa.")
        else:
            form = CompareForm(request.POST, request.FILES)
            if not form.is_valid():
                refused = " ".join(str(e) for errors in form.errors.values() for e in errors)
            elif form.cleaned_data["file"].size > limit:
                refused = _("Berkas terlalu besar untuk diperiksa.")
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
