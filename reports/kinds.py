"""What each kind of report needs: who may ask for it, what identifies its input data (the
fingerprint: the content versions of what it shows, kept in the database and moved forward by
the services that change it), and how it is rendered into a file. The job runner knows nothing
more."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from areas.numbers import parse_id
from assessments import permissions as assessment_permissions
from assessments.models import Assessment, Layer, Period, Stage, Status
from assessments.selectors import assessments_visible_to, content_versions
from reports.models import Letterhead, ReportKind
from surveys import printing, report_export
from surveys.models import OneTimeCode, Service, Survey, SurveyResponse
from surveys.permissions import can_manage_surveys
from surveys.reporting import MIN_PER_SERVICE, survey_data_version
from surveys.selectors import batch_codes, surveys_visible_to
from units import permissions as unit_permissions
from units.models import Role, Unit, UnitKind

FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "zip": "application/zip",
}


PROVINCE_MAX = 64  # as many as a unit's province holds (units.models.Unit.province)


class ReportParamsError(ValueError):
    """Bad parameters for a report; the message is for the user."""


DEFAULT_SECONDS = 120  # a report's worker time limit, unless its kind says otherwise


@dataclass(frozen=True)
class Kind:
    # Validates params for a user and adds what that user may see of the subject (so a file is
    # reused only for someone who may see all of it); raises ReportParamsError.
    clean: Callable[[dict, object], dict]
    fingerprint: Callable[[dict], str]  # of the input data: equal => same file
    # (params, out, progress, reader, issued) -> (file name, content type); the reader is the
    # requester, `issued` the IssuedDocument the file is (when `issues`), else None.
    render: Callable[[dict, IO[bytes], Callable[[int], None], object, object], tuple[str, str]]
    issues: bool = False  # a document anyone can verify (reports.issuing)
    # The worker's soft time limit for one file (the hard limit is a minute more): a period's
    # ZIP of workbooks takes about 0.15 s per unit, so 900 s holds some 6,000 units.
    seconds: int = DEFAULT_SECONDS


def may_read(kind: str, params: dict, user) -> bool:
    """Whether `user` may read, now, a file made with `params`: the same check as asking for
    it again, and nothing in the file (a layer, a kind of evidence) beyond what they see."""
    try:
        allowed = KINDS[kind].clean(dict(params), user)
    except ReportParamsError:
        return False
    for key, value in params.items():
        if isinstance(value, list):
            if not set(value) <= set(allowed.get(key) or []):
                return False
        elif allowed.get(key) != value:
            return False
    return True


def _digest(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()


# --------------------------------------------------------------------------- LHE


def _assessment_for(params: dict, user) -> Assessment:
    pk = parse_id(params.get("assessment"))
    assessment = assessments_visible_to(user).filter(pk=pk).first() if pk else None
    if assessment is None:
        raise ReportParamsError(_("Penilaian tidak dikenal."))
    return assessment


def _clean_lhe(params: dict, user) -> dict:
    assessment = _assessment_for(params, user)
    layer = params.get("layer") or Layer.SELF
    if layer not in assessment_permissions.visible_layers(user, assessment):
        raise ReportParamsError(_("Lapisan %(layer)s tidak tersedia bagi Anda.") % {"layer": layer})
    return {"assessment": assessment.pk, "layer": layer, **_evidence_scope(user, assessment)}


def _evidence_scope(user, assessment: Assessment) -> dict:
    return {"evidence_kinds": assessment_permissions.readable_evidence_kinds(user, assessment)}


def _letterhead_version() -> list:
    """When the admin last changed the letterhead the formal documents print (one query)."""
    return list(Letterhead.objects.values_list("updated_at", flat=True))


def _fingerprint_lhe(params: dict) -> str:
    return _digest("lhe", params, content_versions(params["assessment"]), _letterhead_version())


def _render_lhe(params: dict, out: IO[bytes], progress, reader, issued=None) -> tuple[str, str]:
    from reports.lhe import lhe_filename, render_lhe

    assessment = Assessment.objects.select_related(
        "unit", "unit__parent", "period", "period__lke_version"
    ).get(pk=params["assessment"])
    out.write(
        render_lhe(
            assessment=assessment,
            reader=reader,
            layer=params["layer"],
            progress=progress,
            issued=issued,
        )
    )
    return lhe_filename(assessment, params["layer"]), FORMATS["pdf"]


# --------------------------------------------------------------------------- readiness


def _clean_readiness(params: dict, user) -> dict:
    if not unit_permissions.is_admin(user):
        raise ReportParamsError(_("Laporan kesiapan nasional hanya untuk Admin nasional."))
    year = parse_id(params.get("period"))
    period = Period.objects.filter(year=year).first() if year else None
    if period is None:
        raise ReportParamsError(_("Periode tidak dikenal."))
    fmt = params.get("format", "xlsx")
    if fmt not in ("pdf", "xlsx", "csv"):
        raise ReportParamsError(_("Format harus pdf, xlsx atau csv."))
    kind, stage = params.get("kind", ""), params.get("stage", "")
    province = (params.get("province") or "").strip()
    if len(province) > PROVINCE_MAX:
        raise ReportParamsError(
            _("Nama provinsi terlalu panjang (maksimum %(n)s karakter).") % {"n": PROVINCE_MAX}
        )
    if kind and kind not in UnitKind.values:
        raise ReportParamsError(_("Jenis unit tidak dikenal."))
    if stage and stage not in Stage.values:
        raise ReportParamsError(_("Tahap tidak dikenal."))
    return {
        "period": period.year,
        "format": fmt,
        "province": province,
        "kind": kind,
        "stage": stage,
    }


def _fingerprint_readiness(params: dict) -> str:
    # Versions only move forward, so a count and a sum change whenever any row changes.
    versions = {"n": Count("pk"), "sum": Sum("content_version")}
    return _digest(
        "readiness",
        params,
        Assessment.objects.filter(period__year=params["period"]).aggregate(**versions),
        Unit.objects.aggregate(**versions),  # names, provinces, kinds and groups of every row
    )


def _render_readiness(
    params: dict, out: IO[bytes], progress, reader, issued=None
) -> tuple[str, str]:
    from reports import readiness, readiness_export

    period = Period.objects.select_related("lke_version").get(year=params["period"])
    filters = readiness.ReadinessFilters(
        period=period, province=params["province"], kind=params["kind"], stage=params["stage"]
    )
    rows = readiness.readiness_rows(filters)
    progress(60)
    render = {
        "pdf": readiness_export.render_pdf,
        "xlsx": readiness_export.render_xlsx,
        "csv": readiness_export.render_csv,
    }
    out.write(render[params["format"]](rows, filters))
    return readiness_export.readiness_filename(filters, params["format"]), FORMATS[params["format"]]


# --------------------------------------------------------------------------- evidence ZIP


def _clean_evidence_zip(params: dict, user) -> dict:
    assessment = _assessment_for(params, user)
    return {"assessment": assessment.pk, **_evidence_scope(user, assessment)}


def _fingerprint_evidence_zip(params: dict) -> str:
    return _digest("evidence_zip", params, content_versions(params["assessment"]))


def _render_evidence_zip(
    params: dict, out: IO[bytes], progress, reader, issued=None
) -> tuple[str, str]:
    from reports.evidence_zip import evidence_zip_filename, write_evidence_zip

    assessment = Assessment.objects.select_related("unit", "period").get(pk=params["assessment"])
    write_evidence_zip(assessment=assessment, reader=reader, out=out, progress=progress)
    return evidence_zip_filename(assessment), FORMATS["zip"]


# --------------------------------------------------------------------------- LKE workbook


def _clean_lke_workbook(params: dict, user) -> dict:
    assessment = _assessment_for(params, user)
    layers = [str(layer) for layer in assessment_permissions.visible_layers(user, assessment)]
    return {"assessment": assessment.pk, "layers": layers, **_evidence_scope(user, assessment)}


def _fingerprint_lke_workbook(params: dict) -> str:
    return _digest("lke_workbook", params, content_versions(params["assessment"]))


def _render_lke_workbook(
    params: dict, out: IO[bytes], progress, reader, issued=None
) -> tuple[str, str]:
    from reports.lke_workbook import workbook_data, workbook_filename, write_workbook

    assessment = Assessment.objects.select_related(
        "unit", "unit__parent", "period", "period__lke_version"
    ).get(pk=params["assessment"])
    progress(10)
    data = workbook_data(assessment=assessment, reader=reader, layers=params["layers"])
    progress(50)
    write_workbook(out, data)
    return workbook_filename(assessment), FORMATS["xlsx"]


def _proposed_period(params: dict, user, refusal: str) -> dict:
    """The period whose proposed units a ZIP holds (the LKE workbooks, the PMPZI package): for
    the admin and TPN, once something was proposed; `refusal` tells anyone else why not."""
    from reports.lke_workbook.archive import proposed_for

    if unit_permissions.is_admin(user):
        scope = "admin"
    elif unit_permissions.has_role(user, Role.TPN):
        scope = "tpn"  # TPN reads the assessments proposed to it (assessments.policy)
    else:
        raise ReportParamsError(refusal)
    year = parse_id(params.get("period"))
    period = Period.objects.filter(year=year).first() if year else None
    if period is None:
        raise ReportParamsError(_("Periode tidak dikenal."))
    if not proposed_for(period, user).exists():
        raise ReportParamsError(_("Belum ada unit yang diusulkan ke TPN pada periode ini."))
    # The scope names what the file holds: TPN sees fewer assessments than the admin.
    return {"period": period.year, "scope": scope}


def _clean_lke_workbook_zip(params: dict, user) -> dict:
    return _proposed_period(
        params, user, _("Arsip LKE unit usulan hanya untuk Admin nasional dan TPN.")
    )


def _proposed_versions(year: int) -> list:
    """The content versions of a period's proposed assessments and of their units' names and
    parents (two queries): any change gives another value."""
    from assessments.stages.proposals import PROPOSED_STATUSES

    versions = {"n": Count("pk"), "sum": Sum("content_version")}
    proposed = Assessment.objects.filter(period__year=year, status__in=PROPOSED_STATUSES)
    return [
        proposed.aggregate(**versions),
        proposed.aggregate(  # names and parents on each workbook
            units=Sum("unit__content_version"), parents=Sum("unit__parent__content_version")
        ),
    ]


def _fingerprint_lke_workbook_zip(params: dict) -> str:
    return _digest("lke_workbook_zip", params, *_proposed_versions(params["period"]))


def _render_lke_workbook_zip(
    params: dict, out: IO[bytes], progress, reader, issued=None
) -> tuple[str, str]:
    from reports.lke_workbook.archive import workbook_zip_filename, write_workbook_zip

    period = Period.objects.select_related("lke_version").get(year=params["period"])
    progress(5)
    write_workbook_zip(period=period, reader=reader, out=out, progress=progress)
    return workbook_zip_filename(period), FORMATS["zip"]


# --------------------------------------------------------------------------- PMPZI package


def _clean_pmpzi_export(params: dict, user) -> dict:
    # The same readers as the LKE workbooks of the proposed units (lke_workbook_zip).
    return _proposed_period(
        params, user, _("Paket usulan ke KemenPAN-RB hanya untuk Admin nasional dan TPN.")
    )


def _fingerprint_pmpzi_export(params: dict) -> str:
    from reports.pmpzi.data import VERSION, portal_url

    # Every ancestor's name is in the package, each link carries the portal's address, and
    # the period's name and five deadlines are printed (Period.updated_at moves with them).
    units = Unit.objects.aggregate(n=Count("pk"), sum=Sum("content_version"))
    versions = _proposed_versions(params["period"])
    period = list(Period.objects.filter(year=params["period"]).values_list("updated_at"))
    return _digest("pmpzi_export", VERSION, params, *versions, units, period, portal_url())


def _render_pmpzi_export(
    params: dict, out: IO[bytes], progress, reader, issued=None
) -> tuple[str, str]:
    from reports.pmpzi.archive import pmpzi_zip_filename, write_pmpzi_zip

    period = Period.objects.select_related("lke_version").get(year=params["period"])
    progress(5)
    write_pmpzi_zip(period=period, reader=reader, out=out, progress=progress)
    return pmpzi_zip_filename(period), FORMATS["zip"]


# --------------------------------------------------------------------------- certificate


def _clean_certificate(params: dict, user) -> dict:
    """The predicate certificate (piagam) of a granted assessment: for whoever reads the
    assessment (and so its LHE), the admin included."""
    assessment = _assessment_for(params, user)
    award = getattr(assessment, "award", None)
    if assessment.status != Status.GRANTED or award is None:
        raise ReportParamsError(_("Piagam hanya untuk penilaian yang predikatnya ditetapkan."))
    return {"assessment": assessment.pk}


def _fingerprint_certificate(params: dict) -> str:
    return _digest(
        "certificate", params, content_versions(params["assessment"]), _letterhead_version()
    )


def _render_certificate(
    params: dict, out: IO[bytes], progress, reader, issued=None
) -> tuple[str, str]:
    from reports.certificate import certificate_filename, render_certificate

    assessment = Assessment.objects.select_related(
        "unit", "unit__parent", "period", "award", "award__granted_by"
    ).get(pk=params["assessment"])
    out.write(render_certificate(assessment=assessment, issued=issued))
    progress(90)
    return certificate_filename(assessment), FORMATS["pdf"]


# --------------------------------------------------------------------------- survey report


def _clean_survey_report(params: dict, user) -> dict:
    """A survey's results (optionally one service's) for whoever reads the survey."""
    pk = parse_id(params.get("survey"))
    survey = surveys_visible_to(user).filter(pk=pk).first() if pk else None
    if survey is None:
        raise ReportParamsError(_("Survei tidak dikenal."))
    fmt = params.get("format") or "pdf"
    if fmt not in ("pdf", "xlsx", "csv"):
        raise ReportParamsError(_("Format harus pdf, xlsx atau csv."))
    service = None
    if params.get("service") not in (None, ""):
        service = parse_id(params.get("service"))
        if not service or not Service.objects.filter(pk=service, unit_id=survey.unit_id).exists():
            raise ReportParamsError(_("Layanan tidak dikenal."))
        answered = SurveyResponse.objects.filter(survey=survey, service_id=service).count()
        if answered < MIN_PER_SERVICE:
            raise ReportParamsError(
                _("Layanan ini baru memiliki %(n)d responden; laporannya dibuat mulai %(min)d.")
                % {"n": answered, "min": MIN_PER_SERVICE}
            )
    return {"survey": survey.pk, "format": fmt, "service": service}


def _fingerprint_survey_report(params: dict) -> str:
    return _digest("survey_report", params, survey_data_version(params["survey"]))


def _clean_survey_codes(params: dict, user) -> dict:
    """A batch of one-time codes as slips: for whoever runs the unit's surveys (whoever
    holds the codes can answer with them)."""
    pk = parse_id(params.get("survey"))
    survey = surveys_visible_to(user).filter(pk=pk).first() if pk else None
    if survey is None:
        raise ReportParamsError(_("Survei tidak dikenal."))
    if not can_manage_surveys(user, survey.unit):
        raise ReportParamsError(_("Kode sekali pakai hanya untuk pengelola survei unit."))
    batch = parse_id(params.get("batch"))
    if not batch or not OneTimeCode.objects.filter(survey=survey, batch=batch).exists():
        raise ReportParamsError(_("Kelompok kode tidak dikenal."))
    return {"survey": survey.pk, "batch": batch}


def _fingerprint_survey_codes(params: dict) -> str:
    printed = Survey.objects.filter(pk=params["survey"]).values_list(
        "name", "token", "unit__content_version"
    )
    return _digest("survey_codes", params, list(printed))


def _render_survey_codes(
    params: dict, out: IO[bytes], progress, reader, issued=None
) -> tuple[str, str]:
    survey = Survey.objects.select_related("unit").get(pk=params["survey"])
    codes = batch_codes(survey, params["batch"])
    progress(5)
    out.write(printing.render_code_slips(survey, params["batch"], codes))
    return printing.codes_filename(survey, params["batch"], "pdf"), FORMATS["pdf"]


def _render_survey_report(
    params: dict, out: IO[bytes], progress, reader, issued=None
) -> tuple[str, str]:
    name = report_export.render(
        survey_id=params["survey"], service_id=params["service"], fmt=params["format"], out=out,
        progress=progress,
    )  # fmt: skip
    return name, FORMATS[params["format"]]


KINDS: dict[str, Kind] = {
    ReportKind.LHE: Kind(_clean_lhe, _fingerprint_lhe, _render_lhe, issues=True),
    ReportKind.CERTIFICATE: Kind(
        _clean_certificate, _fingerprint_certificate, _render_certificate, issues=True
    ),
    ReportKind.READINESS: Kind(_clean_readiness, _fingerprint_readiness, _render_readiness),
    ReportKind.EVIDENCE_ZIP: Kind(
        _clean_evidence_zip, _fingerprint_evidence_zip, _render_evidence_zip
    ),
    ReportKind.LKE_WORKBOOK: Kind(
        _clean_lke_workbook, _fingerprint_lke_workbook, _render_lke_workbook
    ),
    ReportKind.LKE_WORKBOOK_ZIP: Kind(
        _clean_lke_workbook_zip,
        _fingerprint_lke_workbook_zip,
        _render_lke_workbook_zip,
        seconds=900,
    ),
    ReportKind.PMPZI_EXPORT: Kind(
        _clean_pmpzi_export, _fingerprint_pmpzi_export, _render_pmpzi_export, seconds=900
    ),
    ReportKind.SURVEY_REPORT: Kind(
        _clean_survey_report, _fingerprint_survey_report, _render_survey_report
    ),
    # Some 30 ms a slip in WeasyPrint: 5,000 codes take a few minutes.
    ReportKind.SURVEY_CODES: Kind(
        _clean_survey_codes, _fingerprint_survey_codes, _render_survey_codes, seconds=600
    ),
}


def seconds_for(kind: str) -> int:
    """The soft time limit of a job of `kind` (an unknown kind: the default)."""
    spec = KINDS.get(kind)
    return spec.seconds if spec is not None else DEFAULT_SECONDS
