"""What the unit should do next, by status: the operator's home tells them in one sentence."""

from django.utils.translation import gettext_lazy as _

from assessments.models import Status

NEXT_STEP = {
    Status.PENCANANGAN: _(
        "Lengkapi pencanangan: tanggal, SK Tim Kerja, piagam, pakta integritas, tim ZI dan agen "
        "perubahan; lalu pimpinan mengonfirmasi."
    ),
    Status.PEMBANGUNAN: _(
        "Isi seluruh butir LKE beserta data dukungnya dan susun rencana kerja, lalu kirim "
        "penilaian mandiri."
    ),
    Status.SUBMITTED: _("Menunggu persetujuan pimpinan satker."),
    Status.PRELIMINARY_REVIEW: _("Sedang direviu oleh reviewer pendahuluan (Kanwil/Eselon I)."),
    Status.RETURNED_PRELIMINARY: _(
        "Perbaiki butir yang dikembalikan reviewer pendahuluan, lalu kirim ulang."
    ),
    Status.TPI_REVIEW: _("Sedang dinilai TPI (Itjen)."),
    Status.RETURNED_TPI: _("Perbaiki butir yang dikembalikan TPI, lalu kirim ulang."),
    Status.TPI_PASSED: _("Lolos TPI; menunggu pengusulan ke TPN oleh Biro Ortala."),
    Status.TPI_FAILED: _("Belum memenuhi syarat menurut TPI tahun ini. Pelajari catatan TPI."),
    Status.PROPOSED: _("Diusulkan ke TPN; menunggu evaluasi KemenPAN-RB."),
    Status.GRANTED: _("Predikat telah ditetapkan. Jaga dan tingkatkan capaian."),
    Status.NOT_GRANTED: _("Predikat belum ditetapkan tahun ini. Pelajari catatan TPN."),
}
