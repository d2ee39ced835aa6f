"""Texts shipped with the LKE 90/2021: the purpose and examples of each change area, and the
default criteria text of each option by answer type.

The LKE worksheet of PermenPAN-RB 90/2021 phrases criteria per question; what can be stated
faithfully for every question is the graded meaning of each label below. Administrators refine
the text per question in a draft version (the instrument pages), where it is data, not code.
"""

DEFAULT_CRITERIA: dict[str, dict[str, str]] = {
    "yes_no": {
        "Ya": "Ada/sudah dilakukan, dibuktikan dengan data dukung.",
        "Tidak": "Tidak ada/belum dilakukan.",
    },
    "abc": {
        "A": "Sudah dilaksanakan/terpenuhi seluruhnya.",
        "B": "Dilaksanakan/terpenuhi sebagian.",
        "C": "Belum dilaksanakan/tidak terpenuhi.",
    },
    "abcd": {
        "A": "Seluruhnya terpenuhi/dilaksanakan.",
        "B": "Sebagian besar terpenuhi/dilaksanakan.",
        "C": "Sebagian kecil terpenuhi/dilaksanakan.",
        "D": "Belum ada/belum dilaksanakan.",
    },
    "abcde": {
        "A": "Seluruhnya terpenuhi/dilaksanakan.",
        "B": "Sebagian besar terpenuhi/dilaksanakan.",
        "C": "Sebagian terpenuhi/dilaksanakan.",
        "D": "Sebagian kecil terpenuhi/dilaksanakan.",
        "E": "Belum ada/belum dilaksanakan.",
    },
}


# Purpose of each area as the ZI guidelines (PermenPAN-RB 52/2014, carried into 90/2021) state
# it, and typical activities from the domain reference; administrators may refine both.
AREA_TEXTS: dict[int, tuple[str, str]] = {
    1: (
        "Mengubah secara sistematis dan konsisten mekanisme kerja, pola pikir (mind set) serta "
        "budaya kerja (culture set) individu pada unit kerja menjadi lebih baik sesuai tujuan "
        "dan sasaran pembangunan Zona Integritas.",
        "Pembentukan tim kerja ZI; rencana pembangunan ZI; pemantauan dan evaluasi; penetapan "
        "agen perubahan; pembangunan budaya kerja dan pola pikir.",
    ),
    2: (
        "Meningkatkan efisiensi dan efektivitas sistem, proses dan prosedur kerja yang jelas, "
        "efektif, efisien dan terukur.",
        "Penerapan dan evaluasi SOP; sistem pemerintahan berbasis elektronik (SPBE); "
        "keterbukaan informasi publik.",
    ),
    3: (
        "Meningkatkan profesionalisme SDM aparatur.",
        "Perencanaan kebutuhan pegawai; pola mutasi internal; pengembangan pegawai berbasis "
        "kompetensi; penetapan kinerja individu; penegakan aturan disiplin; sistem informasi "
        "kepegawaian.",
    ),
    4: (
        "Meningkatkan kapasitas dan akuntabilitas kinerja.",
        "Keterlibatan pimpinan dalam perencanaan dan pelaporan kinerja; pengelolaan "
        "akuntabilitas kinerja; perjanjian kinerja dan pemantauan capaiannya.",
    ),
    5: (
        "Meningkatkan penyelenggaraan pemerintahan yang bersih dan bebas KKN.",
        "Pengendalian gratifikasi; penerapan SPIP; pengaduan masyarakat; whistle-blowing "
        "system; penanganan benturan kepentingan.",
    ),
    6: (
        "Meningkatkan kualitas dan inovasi pelayanan publik sesuai kebutuhan dan harapan "
        "masyarakat.",
        "Standar pelayanan; budaya pelayanan prima; pengelolaan pengaduan; survei kepuasan "
        "masyarakat (IKM); pemanfaatan teknologi informasi dalam pelayanan.",
    ),
}
