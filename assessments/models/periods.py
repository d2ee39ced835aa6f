from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Period(models.Model):
    """One year of the programme, scored with one published LKE version."""

    year = models.PositiveSmallIntegerField(_("tahun"), unique=True)
    name = models.CharField(_("nama"), max_length=120)
    lke_version = models.ForeignKey(
        "areas.LkeVersion",
        verbose_name=_("versi LKE"),
        on_delete=models.PROTECT,
        related_name="periods",
    )
    tpn_quota = models.PositiveIntegerField(
        _("kuota usulan ke TPN"),
        null=True,
        blank=True,
        help_text=_("Kosongkan jika tanpa batas."),
    )
    deadline_pencanangan = models.DateField(_("batas pencanangan"))
    deadline_pembangunan = models.DateField(_("batas penilaian mandiri"))
    deadline_penilaian = models.DateField(_("batas penilaian internal"))
    deadline_pengusulan = models.DateField(_("batas pengusulan ke TPN"))
    deadline_evaluasi = models.DateField(_("batas evaluasi TPN"))
    is_open = models.BooleanField(_("dibuka"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("periode")
        verbose_name_plural = _("periode")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline_pencanangan__lte=models.F("deadline_pembangunan"))
                & Q(deadline_pembangunan__lte=models.F("deadline_penilaian"))
                & Q(deadline_penilaian__lte=models.F("deadline_pengusulan"))
                & Q(deadline_pengusulan__lte=models.F("deadline_evaluasi")),
                name="period_deadlines_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def deadline_for(self, stage: str):
        return getattr(self, f"deadline_{stage}")
