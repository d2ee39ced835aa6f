from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class EvidencePolicy(models.Model):
    """Upload limits that Admin nasional may change without a deployment. One row; an empty
    field falls back to the ZI_EVIDENCE_* setting."""

    max_file_mb = models.PositiveIntegerField(
        _("ukuran maksimum per berkas (MB)"), null=True, blank=True,
        validators=[MinValueValidator(1)],
    )  # fmt: skip
    unit_quota_mb = models.PositiveIntegerField(
        _("kuota per unit (MB)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    allowed_types = models.CharField(
        _("tipe yang diizinkan"), max_length=200, blank=True,
        help_text=_("Dipisah koma, dari: pdf, jpeg, png, docx, xlsx, pptx, odt, ods."),
    )  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("batas unggahan data dukung")
        verbose_name_plural = _("batas unggahan data dukung")

    def __str__(self) -> str:
        return str(_("Batas unggahan data dukung"))
