"""Pages anyone may read without signing in: the awarded units of each year (predicate, SK,
and whether it was revoked), as published by KemenPAN-RB and Kemenag; nothing else of a unit."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments.stages.awards import PublicAwardFilters, public_awards
from core import ratelimits
from core.cells import spreadsheet_row
from core.pagination import page_of
from core.ratelimits import rate_limited


@login_not_required
@rate_limited("public", ratelimits.PUBLIC)
@require_GET
def awards(request):
    filters = PublicAwardFilters.from_query(request.GET)
    context = {
        "filters": filters,
        "page": page_of(public_awards(filters), request.GET.get("page")),
        "choices": filters.choices(),
        "query": filters.query_string(),
    }
    return render(request, "assessments/public_awards.html", context)


@login_not_required
@rate_limited("public", ratelimits.PUBLIC)
@require_GET
def awards_csv(request):
    filters = PublicAwardFilters.from_query(request.GET)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="predikat-zi.csv"'
    response.write("\ufeff")  # spreadsheet programs read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(PublicAwardFilters.CSV_HEADER)
    for award in public_awards(filters).iterator(chunk_size=2000):
        writer.writerow(spreadsheet_row([
            award.year, award.unit.code, award.unit.name, award.unit.get_kind_display(),
            award.unit.province, award.predicate, award.sk_number,
            award.sk_date.isoformat() if award.sk_date else "",
            award.revoked_on.isoformat() if award.revoked_on else "",
        ]))  # fmt: skip
    return response
