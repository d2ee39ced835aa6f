"""Conditions of the stage transitions (see workflow.TRANSITIONS). Each takes the transition
context and returns the unmet conditions, in words for the user; empty means it holds."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from areas.labels import rule_text
from areas.models import EvidenceRequirement
from assessments.assessment import PROPOSED_STATUSES, Assessment, EvidenceKind, Layer
from assessments.stages.awards import prior_predicate, revocation_bar
from assessments.stages.decisions import Appeal
from assessments.worksheet.models import Answer, ItemReturn
from assessments.worksheet.scores import layer_results


@dataclass
class Context:
    assessment: Assessment
    by: object
    layer: str | None  # the layer the acting role writes (None for unit and admin actions)
    note: str = ""
    override_note: str = ""
    sk_number: str = ""
    sk_date: datetime.date | None = None
    links: tuple[str, ...] = ()  # a sanggah's links to its supporting data


def declaration_complete(ctx: Context) -> list[str]:
    a = ctx.assessment
    problems = []
    declaration = getattr(a, "declaration", None)
    if declaration is None or declaration.declared_on is None:
        problems.append(_("Tanggal pencanangan belum diisi."))
    if declaration is None or not declaration.sk_tim_number:
        problems.append(_("Nomor SK Tim Kerja belum diisi."))
    kinds = set(
        a.evidence.filter(removed_at__isnull=True).values_list("kind", flat=True).distinct()
    )
    for kind, label in ((EvidenceKind.PIAGAM, _("piagam pencanangan")),
                        (EvidenceKind.PAKTA, _("pakta integritas"))):  # fmt: skip
        if kind not in kinds:
            problems.append(_("Dokumen %(doc)s belum diunggah.") % {"doc": label})
    if not a.team.filter(role="ketua").exists():
        problems.append(_("Ketua tim ZI belum dicatat."))
    if not a.team.filter(role="pokja").exists():
        problems.append(_("Anggota pokja tim ZI belum dicatat."))
    if not a.change_agents.exists():
        problems.append(_("Agen perubahan belum dicatat."))
    return problems


def _unanswered(assessment: Assessment, layer: str) -> list[str]:
    answered = Answer.objects.filter(
        assessment=assessment, layer=layer, value__isnull=False
    ).values("question_id")
    return list(
        assessment.period.lke_version.questions.exclude(pk__in=answered)
        .order_by("indicator__section", "code")
        .values_list("code", flat=True)
    )


def _listing(codes: list[str], limit: int = 10) -> str:
    shown = ", ".join(codes[:limit])
    return shown + (
        _(" dan %(n)s lainnya") % {"n": len(codes) - limit} if len(codes) > limit else ""
    )


def self_layer_complete(ctx: Context) -> list[str]:
    a = ctx.assessment
    problems = []
    missing = _unanswered(a, Layer.SELF)
    if missing:
        problems.append(
            _("%(n)s butir belum dijawab: %(codes)s")
            % {"n": len(missing), "codes": _listing(missing)}
        )
    needing = (
        # Items whose evidence dictionary has entries (areas.EvidenceRequirement); whether the
        # files cover each entry is for the reviewers (assessments.evidence.coverage).
        a.period.lke_version.questions.filter(
            Exists(EvidenceRequirement.objects.filter(question=OuterRef("pk")))
        )
        .annotate(
            current=Count(
                "evidence_for",
                filter=Q(evidence_for__assessment=a, evidence_for__removed_at__isnull=True),
            )
        )
        .filter(current=0)
        .order_by("code")
        .values_list("code", flat=True)
    )
    needing = list(needing)
    if needing:
        problems.append(
            _("%(n)s butir belum memiliki data dukung: %(codes)s")
            % {"n": len(needing), "codes": _listing(needing)}
        )
    return problems


def writer_layer_complete(ctx: Context) -> list[str]:
    missing = _unanswered(ctx.assessment, ctx.layer)
    if not missing:
        return []
    return [
        _("%(n)s butir belum dinilai pada lapisan Anda: %(codes)s")
        % {"n": len(missing), "codes": _listing(missing)}
    ]


def _open_returns(ctx: Context):
    return ItemReturn.objects.filter(
        assessment=ctx.assessment, layer=ctx.layer, resolved_at__isnull=True
    )


def has_open_returns(ctx: Context) -> list[str]:
    if _open_returns(ctx).exists():
        return []
    return [_("Tandai dulu butir yang dikembalikan, masing-masing dengan catatan perbaikan.")]


def no_open_returns(ctx: Context) -> list[str]:
    n = _open_returns(ctx).count()
    if not n:
        return []
    return [
        _("Masih ada %(n)s butir bertanda dikembalikan; kembalikan ke unit atau batalkan tandanya.")
        % {"n": n}
    ]


def _layer_misses_target(ctx: Context, layer: str) -> str:
    """The rules of the target predicate the layer misses, in words; empty when it meets them."""
    a = ctx.assessment
    result = layer_results(a, [layer], prior_predicate=prior_predicate(a))[layer]
    return "; ".join(rule_text(rule) for rule in result.predicates[a.target_predicate].failed)


def tpi_layer_meets_target(ctx: Context) -> list[str]:
    failed = _layer_misses_target(ctx, Layer.TPI)
    if not failed or ctx.override_note.strip():
        return []
    return [
        _(
            "Nilai TPI belum memenuhi aturan %(predicate)s (%(failed)s). Untuk tetap mengusulkan, "
            "tulis justifikasi."
        )
        % {"predicate": ctx.assessment.target_predicate, "failed": failed}
    ]


def tpn_layer_meets_target(ctx: Context) -> list[str]:
    failed = _layer_misses_target(ctx, Layer.TPN)
    if not failed or ctx.override_note.strip():
        return []
    return [
        _(
            "Nilai TPN belum memenuhi aturan %(predicate)s (%(failed)s). Untuk tetap menetapkan, "
            "tulis justifikasi; justifikasi dicatat dan tampil di LHE."
        )
        % {"predicate": ctx.assessment.target_predicate, "failed": failed}
    ]


def within_quota(ctx: Context) -> list[str]:
    period = ctx.assessment.period
    if period.tpn_quota is None:
        return []
    proposed = period.assessments.filter(status__in=PROPOSED_STATUSES).count()
    if proposed < period.tpn_quota:
        return []
    return [
        _("Kuota usulan ke TPN periode ini (%(q)s unit) sudah penuh.") % {"q": period.tpn_quota}
    ]


def sk_given(ctx: Context) -> list[str]:
    problems = [] if ctx.sk_number.strip() else [_("Nomor SK penetapan wajib diisi.")]
    if ctx.sk_date is None:
        problems.append(_("Tanggal SK penetapan wajib diisi."))
    elif ctx.sk_date > timezone.localdate():
        problems.append(_("Tanggal SK penetapan tidak boleh di masa depan."))
    return problems


def wbbm_needs_wbk(ctx: Context) -> list[str]:
    a = ctx.assessment
    if a.target_predicate != "WBBM":
        return []
    holds = prior_predicate(a) is not None  # WBK is the ladder's first rung: any counts
    return [] if holds else [_("WBBM hanya dapat ditetapkan bagi unit yang sudah berpredikat WBK.")]


def selection_documents_sent(ctx: Context) -> list[str]:
    """ "Lulus dengan catatan": the unit sent the corrected proposal letter and the SPTJM."""
    kinds = set(
        ctx.assessment.evidence.filter(removed_at__isnull=True).values_list("kind", flat=True)
    )
    return [
        _("Dokumen %(doc)s belum diunggah unit.") % {"doc": label}
        for kind, label in ((EvidenceKind.PROPOSAL_LETTER, _("surat usulan perbaikan")),
                            (EvidenceKind.SPTJM, _("SPTJM")))
        if kind not in kinds
    ]  # fmt: skip


def within_appeal_window(ctx: Context) -> list[str]:
    period = ctx.assessment.period
    if period.appeal_opens is None:
        return [_("Masa sanggah periode ini belum ditetapkan oleh Admin nasional.")]
    if period.appeal_window_open(timezone.localdate()):
        return []
    return [
        _("Sanggah hanya dapat diajukan pada masa sanggah, %(opens)s s.d. %(closes)s.")
        % {"opens": formats.date_format(period.appeal_opens, "j F Y"),
           "closes": formats.date_format(period.appeal_closes, "j F Y")}
    ]  # fmt: skip


def first_appeal(ctx: Context) -> list[str]:
    earlier = Appeal.objects.filter(assessment=ctx.assessment).first()
    if earlier is None:
        return []
    return [
        _("Sanggah hanya dapat diajukan satu kali; unit ini sudah mengajukannya pada %(day)s.")
        % {"day": formats.date_format(timezone.localtime(earlier.filed_at), "j F Y")}
    ]


def not_barred_by_revocation(ctx: Context) -> list[str]:
    """A unit whose predicate was revoked may not be proposed until its bar ends (90/2021)."""
    bar = revocation_bar(ctx.assessment.unit_id, timezone.localdate())
    if bar is None:
        return []
    return [
        _(
            "Predikat %(predicate)s unit ini dicabut pada %(revoked)s; unit tidak dapat "
            "diusulkan sampai %(until)s."
        )
        % {"predicate": bar.predicate,
           "revoked": formats.date_format(bar.revoked_on, "j F Y"),
           "until": formats.date_format(bar.barred_until, "j F Y")}
    ]  # fmt: skip
