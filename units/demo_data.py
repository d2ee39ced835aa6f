"""Reference data for `seed_demo`: a realistic Kemenag unit tree, as plain Python (no Django).

Hierarchy the seeder builds from it:

* Pusat (`PUSAT`) → Eselon I units (`ESELON1`);
* Pusat → Kanwil, one per province (`PROVINCES`, name via `kanwil_name`) → Kankemenag, one per
  kabupaten/kota (`Province.kabkota`, name via `kankemenag_name`) → madrasah negeri
  (`madrasah_name`) and KUA (`kua_name`);
* Pusat/Eselon I → PTKIN (`PTKIN`) → faculties.

Sources and conventions:

* Provinces: all 38, keyed by their 2-digit BPS code (Papua provinces: 91 Papua Barat,
  92 Papua Barat Daya, 94 Papua, 95 Papua Selatan, 96 Papua Tengah, 97 Papua Pegunungan; these
  differ from the Kemendagri codes). Kanwil code = "KW" + BPS code.
* Kabupaten/kota: all 514 (416 kabupaten + 98 kota), names as in Kepmendagri 300.2.2-2138/2025
  with the official spellings Kemenag offices use (e.g. "Kota Palangka Raya", "Kabupaten
  Fakfak", "Kota Baubau"). The four Papua provinces formed in 2022 hold their own regencies.
  Within a province the list follows the BPS order (kabupaten first, then kota; for the six
  Papua provinces, the Kemendagri order).
* Kankemenag codes are NOT BPS kab/kota codes: BPS renumbered the Papua regencies after the
  2022 split and those new codes could not be verified, so every code is the Kanwil code plus
  a 2-digit sequence in list order, e.g. "KW33-33" = Kota Semarang (`kankemenag_code`). Do not
  reorder the `kabkota` tuples once data has been seeded.
* The list is every kabupaten/kota; a few recently formed regencies in the Papua provinces may
  not (yet) have a Kankemenag of their own in reality.
* KUA names are generic except for the sample kecamatan in `KECAMATAN` (real names).
"""

from __future__ import annotations

from typing import NamedTuple

PUSAT: tuple[str, str] = ("KEMENAG", "Kementerian Agama Republik Indonesia")

# Eselon I units as organised under Perpres 152/2024. BPJPH is left out: Perpres 153/2024
# (October 2024) made it a non-ministerial agency answering directly to the President.
# Ditjen PHU is kept for the demo, but note that in 2025 the hajj and umrah functions moved out
# of Kemenag (Badan Penyelenggara Haji, then the Kementerian Haji dan Umrah).
ESELON1: list[tuple[str, str]] = [
    ("E1-SETJEN", "Sekretariat Jenderal"),
    ("E1-ITJEN", "Inspektorat Jenderal"),
    ("E1-PENDIS", "Direktorat Jenderal Pendidikan Islam"),
    ("E1-BIMASISLAM", "Direktorat Jenderal Bimbingan Masyarakat Islam"),
    ("E1-PHU", "Direktorat Jenderal Penyelenggaraan Haji dan Umrah"),
    ("E1-BIMASKRISTEN", "Direktorat Jenderal Bimbingan Masyarakat Kristen"),
    ("E1-BIMASKATOLIK", "Direktorat Jenderal Bimbingan Masyarakat Katolik"),
    ("E1-BIMASHINDU", "Direktorat Jenderal Bimbingan Masyarakat Hindu"),
    ("E1-BIMASBUDDHA", "Direktorat Jenderal Bimbingan Masyarakat Buddha"),
    ("E1-BMBPSDM", "Badan Moderasi Beragama dan Pengembangan Sumber Daya Manusia"),
]


class Province(NamedTuple):
    code: str  # BPS 2-digit province code
    name: str
    kanwil_code: str  # "KW" + code
    kabkota: tuple[str, ...]  # "Kabupaten X" / "Kota Y" / "Kota Administrasi Z"


PROVINCES: list[Province] = [
    Province(
        "11",
        "Aceh",
        "KW11",
        (
            "Kabupaten Simeulue",
            "Kabupaten Aceh Singkil",
            "Kabupaten Aceh Selatan",
            "Kabupaten Aceh Tenggara",
            "Kabupaten Aceh Timur",
            "Kabupaten Aceh Tengah",
            "Kabupaten Aceh Barat",
            "Kabupaten Aceh Besar",
            "Kabupaten Pidie",
            "Kabupaten Bireuen",
            "Kabupaten Aceh Utara",
            "Kabupaten Aceh Barat Daya",
            "Kabupaten Gayo Lues",
            "Kabupaten Aceh Tamiang",
            "Kabupaten Nagan Raya",
            "Kabupaten Aceh Jaya",
            "Kabupaten Bener Meriah",
            "Kabupaten Pidie Jaya",
            "Kota Banda Aceh",
            "Kota Sabang",
            "Kota Langsa",
            "Kota Lhokseumawe",
            "Kota Subulussalam",
        ),
    ),
    Province(
        "12",
        "Sumatera Utara",
        "KW12",
        (
            "Kabupaten Nias",
            "Kabupaten Mandailing Natal",
            "Kabupaten Tapanuli Selatan",
            "Kabupaten Tapanuli Tengah",
            "Kabupaten Tapanuli Utara",
            "Kabupaten Toba",
            "Kabupaten Labuhanbatu",
            "Kabupaten Asahan",
            "Kabupaten Simalungun",
            "Kabupaten Dairi",
            "Kabupaten Karo",
            "Kabupaten Deli Serdang",
            "Kabupaten Langkat",
            "Kabupaten Nias Selatan",
            "Kabupaten Humbang Hasundutan",
            "Kabupaten Pakpak Bharat",
            "Kabupaten Samosir",
            "Kabupaten Serdang Bedagai",
            "Kabupaten Batu Bara",
            "Kabupaten Padang Lawas Utara",
            "Kabupaten Padang Lawas",
            "Kabupaten Labuhanbatu Selatan",
            "Kabupaten Labuhanbatu Utara",
            "Kabupaten Nias Utara",
            "Kabupaten Nias Barat",
            "Kota Sibolga",
            "Kota Tanjungbalai",
            "Kota Pematangsiantar",
            "Kota Tebing Tinggi",
            "Kota Medan",
            "Kota Binjai",
            "Kota Padangsidimpuan",
            "Kota Gunungsitoli",
        ),
    ),
    Province(
        "13",
        "Sumatera Barat",
        "KW13",
        (
            "Kabupaten Kepulauan Mentawai",
            "Kabupaten Pesisir Selatan",
            "Kabupaten Solok",
            "Kabupaten Sijunjung",
            "Kabupaten Tanah Datar",
            "Kabupaten Padang Pariaman",
            "Kabupaten Agam",
            "Kabupaten Lima Puluh Kota",
            "Kabupaten Pasaman",
            "Kabupaten Solok Selatan",
            "Kabupaten Dharmasraya",
            "Kabupaten Pasaman Barat",
            "Kota Padang",
            "Kota Solok",
            "Kota Sawahlunto",
            "Kota Padang Panjang",
            "Kota Bukittinggi",
            "Kota Payakumbuh",
            "Kota Pariaman",
        ),
    ),
    Province(
        "14",
        "Riau",
        "KW14",
        (
            "Kabupaten Kuantan Singingi",
            "Kabupaten Indragiri Hulu",
            "Kabupaten Indragiri Hilir",
            "Kabupaten Pelalawan",
            "Kabupaten Siak",
            "Kabupaten Kampar",
            "Kabupaten Rokan Hulu",
            "Kabupaten Bengkalis",
            "Kabupaten Rokan Hilir",
            "Kabupaten Kepulauan Meranti",
            "Kota Pekanbaru",
            "Kota Dumai",
        ),
    ),
    Province(
        "15",
        "Jambi",
        "KW15",
        (
            "Kabupaten Kerinci",
            "Kabupaten Merangin",
            "Kabupaten Sarolangun",
            "Kabupaten Batang Hari",
            "Kabupaten Muaro Jambi",
            "Kabupaten Tanjung Jabung Timur",
            "Kabupaten Tanjung Jabung Barat",
            "Kabupaten Tebo",
            "Kabupaten Bungo",
            "Kota Jambi",
            "Kota Sungai Penuh",
        ),
    ),
    Province(
        "16",
        "Sumatera Selatan",
        "KW16",
        (
            "Kabupaten Ogan Komering Ulu",
            "Kabupaten Ogan Komering Ilir",
            "Kabupaten Muara Enim",
            "Kabupaten Lahat",
            "Kabupaten Musi Rawas",
            "Kabupaten Musi Banyuasin",
            "Kabupaten Banyuasin",
            "Kabupaten Ogan Komering Ulu Selatan",
            "Kabupaten Ogan Komering Ulu Timur",
            "Kabupaten Ogan Ilir",
            "Kabupaten Empat Lawang",
            "Kabupaten Penukal Abab Lematang Ilir",
            "Kabupaten Musi Rawas Utara",
            "Kota Palembang",
            "Kota Prabumulih",
            "Kota Pagar Alam",
            "Kota Lubuklinggau",
        ),
    ),
    Province(
        "17",
        "Bengkulu",
        "KW17",
        (
            "Kabupaten Bengkulu Selatan",
            "Kabupaten Rejang Lebong",
            "Kabupaten Bengkulu Utara",
            "Kabupaten Kaur",
            "Kabupaten Seluma",
            "Kabupaten Mukomuko",
            "Kabupaten Lebong",
            "Kabupaten Kepahiang",
            "Kabupaten Bengkulu Tengah",
            "Kota Bengkulu",
        ),
    ),
    Province(
        "18",
        "Lampung",
        "KW18",
        (
            "Kabupaten Lampung Barat",
            "Kabupaten Tanggamus",
            "Kabupaten Lampung Selatan",
            "Kabupaten Lampung Timur",
            "Kabupaten Lampung Tengah",
            "Kabupaten Lampung Utara",
            "Kabupaten Way Kanan",
            "Kabupaten Tulang Bawang",
            "Kabupaten Pesawaran",
            "Kabupaten Pringsewu",
            "Kabupaten Mesuji",
            "Kabupaten Tulang Bawang Barat",
            "Kabupaten Pesisir Barat",
            "Kota Bandar Lampung",
            "Kota Metro",
        ),
    ),
    Province(
        "19",
        "Kepulauan Bangka Belitung",
        "KW19",
        (
            "Kabupaten Bangka",
            "Kabupaten Belitung",
            "Kabupaten Bangka Barat",
            "Kabupaten Bangka Tengah",
            "Kabupaten Bangka Selatan",
            "Kabupaten Belitung Timur",
            "Kota Pangkalpinang",
        ),
    ),
    Province(
        "21",
        "Kepulauan Riau",
        "KW21",
        (
            "Kabupaten Karimun",
            "Kabupaten Bintan",
            "Kabupaten Natuna",
            "Kabupaten Lingga",
            "Kabupaten Kepulauan Anambas",
            "Kota Batam",
            "Kota Tanjungpinang",
        ),
    ),
    Province(
        "31",
        "DKI Jakarta",
        "KW31",
        (
            "Kabupaten Administrasi Kepulauan Seribu",
            "Kota Administrasi Jakarta Selatan",
            "Kota Administrasi Jakarta Timur",
            "Kota Administrasi Jakarta Pusat",
            "Kota Administrasi Jakarta Barat",
            "Kota Administrasi Jakarta Utara",
        ),
    ),
    Province(
        "32",
        "Jawa Barat",
        "KW32",
        (
            "Kabupaten Bogor",
            "Kabupaten Sukabumi",
            "Kabupaten Cianjur",
            "Kabupaten Bandung",
            "Kabupaten Garut",
            "Kabupaten Tasikmalaya",
            "Kabupaten Ciamis",
            "Kabupaten Kuningan",
            "Kabupaten Cirebon",
            "Kabupaten Majalengka",
            "Kabupaten Sumedang",
            "Kabupaten Indramayu",
            "Kabupaten Subang",
            "Kabupaten Purwakarta",
            "Kabupaten Karawang",
            "Kabupaten Bekasi",
            "Kabupaten Bandung Barat",
            "Kabupaten Pangandaran",
            "Kota Bogor",
            "Kota Sukabumi",
            "Kota Bandung",
            "Kota Cirebon",
            "Kota Bekasi",
            "Kota Depok",
            "Kota Cimahi",
            "Kota Tasikmalaya",
            "Kota Banjar",
        ),
    ),
    Province(
        "33",
        "Jawa Tengah",
        "KW33",
        (
            "Kabupaten Cilacap",
            "Kabupaten Banyumas",
            "Kabupaten Purbalingga",
            "Kabupaten Banjarnegara",
            "Kabupaten Kebumen",
            "Kabupaten Purworejo",
            "Kabupaten Wonosobo",
            "Kabupaten Magelang",
            "Kabupaten Boyolali",
            "Kabupaten Klaten",
            "Kabupaten Sukoharjo",
            "Kabupaten Wonogiri",
            "Kabupaten Karanganyar",
            "Kabupaten Sragen",
            "Kabupaten Grobogan",
            "Kabupaten Blora",
            "Kabupaten Rembang",
            "Kabupaten Pati",
            "Kabupaten Kudus",
            "Kabupaten Jepara",
            "Kabupaten Demak",
            "Kabupaten Semarang",
            "Kabupaten Temanggung",
            "Kabupaten Kendal",
            "Kabupaten Batang",
            "Kabupaten Pekalongan",
            "Kabupaten Pemalang",
            "Kabupaten Tegal",
            "Kabupaten Brebes",
            "Kota Magelang",
            "Kota Surakarta",
            "Kota Salatiga",
            "Kota Semarang",
            "Kota Pekalongan",
            "Kota Tegal",
        ),
    ),
    Province(
        "34",
        "DI Yogyakarta",
        "KW34",
        (
            "Kabupaten Kulon Progo",
            "Kabupaten Bantul",
            "Kabupaten Gunungkidul",
            "Kabupaten Sleman",
            "Kota Yogyakarta",
        ),
    ),
    Province(
        "35",
        "Jawa Timur",
        "KW35",
        (
            "Kabupaten Pacitan",
            "Kabupaten Ponorogo",
            "Kabupaten Trenggalek",
            "Kabupaten Tulungagung",
            "Kabupaten Blitar",
            "Kabupaten Kediri",
            "Kabupaten Malang",
            "Kabupaten Lumajang",
            "Kabupaten Jember",
            "Kabupaten Banyuwangi",
            "Kabupaten Bondowoso",
            "Kabupaten Situbondo",
            "Kabupaten Probolinggo",
            "Kabupaten Pasuruan",
            "Kabupaten Sidoarjo",
            "Kabupaten Mojokerto",
            "Kabupaten Jombang",
            "Kabupaten Nganjuk",
            "Kabupaten Madiun",
            "Kabupaten Magetan",
            "Kabupaten Ngawi",
            "Kabupaten Bojonegoro",
            "Kabupaten Tuban",
            "Kabupaten Lamongan",
            "Kabupaten Gresik",
            "Kabupaten Bangkalan",
            "Kabupaten Sampang",
            "Kabupaten Pamekasan",
            "Kabupaten Sumenep",
            "Kota Kediri",
            "Kota Blitar",
            "Kota Malang",
            "Kota Probolinggo",
            "Kota Pasuruan",
            "Kota Mojokerto",
            "Kota Madiun",
            "Kota Surabaya",
            "Kota Batu",
        ),
    ),
    Province(
        "36",
        "Banten",
        "KW36",
        (
            "Kabupaten Pandeglang",
            "Kabupaten Lebak",
            "Kabupaten Tangerang",
            "Kabupaten Serang",
            "Kota Tangerang",
            "Kota Cilegon",
            "Kota Serang",
            "Kota Tangerang Selatan",
        ),
    ),
    Province(
        "51",
        "Bali",
        "KW51",
        (
            "Kabupaten Jembrana",
            "Kabupaten Tabanan",
            "Kabupaten Badung",
            "Kabupaten Gianyar",
            "Kabupaten Klungkung",
            "Kabupaten Bangli",
            "Kabupaten Karangasem",
            "Kabupaten Buleleng",
            "Kota Denpasar",
        ),
    ),
    Province(
        "52",
        "Nusa Tenggara Barat",
        "KW52",
        (
            "Kabupaten Lombok Barat",
            "Kabupaten Lombok Tengah",
            "Kabupaten Lombok Timur",
            "Kabupaten Sumbawa",
            "Kabupaten Dompu",
            "Kabupaten Bima",
            "Kabupaten Sumbawa Barat",
            "Kabupaten Lombok Utara",
            "Kota Mataram",
            "Kota Bima",
        ),
    ),
    Province(
        "53",
        "Nusa Tenggara Timur",
        "KW53",
        (
            "Kabupaten Sumba Barat",
            "Kabupaten Sumba Timur",
            "Kabupaten Kupang",
            "Kabupaten Timor Tengah Selatan",
            "Kabupaten Timor Tengah Utara",
            "Kabupaten Belu",
            "Kabupaten Alor",
            "Kabupaten Lembata",
            "Kabupaten Flores Timur",
            "Kabupaten Sikka",
            "Kabupaten Ende",
            "Kabupaten Ngada",
            "Kabupaten Manggarai",
            "Kabupaten Rote Ndao",
            "Kabupaten Manggarai Barat",
            "Kabupaten Sumba Tengah",
            "Kabupaten Sumba Barat Daya",
            "Kabupaten Nagekeo",
            "Kabupaten Manggarai Timur",
            "Kabupaten Sabu Raijua",
            "Kabupaten Malaka",
            "Kota Kupang",
        ),
    ),
    Province(
        "61",
        "Kalimantan Barat",
        "KW61",
        (
            "Kabupaten Sambas",
            "Kabupaten Bengkayang",
            "Kabupaten Landak",
            "Kabupaten Mempawah",
            "Kabupaten Sanggau",
            "Kabupaten Ketapang",
            "Kabupaten Sintang",
            "Kabupaten Kapuas Hulu",
            "Kabupaten Sekadau",
            "Kabupaten Melawi",
            "Kabupaten Kayong Utara",
            "Kabupaten Kubu Raya",
            "Kota Pontianak",
            "Kota Singkawang",
        ),
    ),
    Province(
        "62",
        "Kalimantan Tengah",
        "KW62",
        (
            "Kabupaten Kotawaringin Barat",
            "Kabupaten Kotawaringin Timur",
            "Kabupaten Kapuas",
            "Kabupaten Barito Selatan",
            "Kabupaten Barito Utara",
            "Kabupaten Sukamara",
            "Kabupaten Lamandau",
            "Kabupaten Seruyan",
            "Kabupaten Katingan",
            "Kabupaten Pulang Pisau",
            "Kabupaten Gunung Mas",
            "Kabupaten Barito Timur",
            "Kabupaten Murung Raya",
            "Kota Palangka Raya",
        ),
    ),
    Province(
        "63",
        "Kalimantan Selatan",
        "KW63",
        (
            "Kabupaten Tanah Laut",
            "Kabupaten Kotabaru",
            "Kabupaten Banjar",
            "Kabupaten Barito Kuala",
            "Kabupaten Tapin",
            "Kabupaten Hulu Sungai Selatan",
            "Kabupaten Hulu Sungai Tengah",
            "Kabupaten Hulu Sungai Utara",
            "Kabupaten Tabalong",
            "Kabupaten Tanah Bumbu",
            "Kabupaten Balangan",
            "Kota Banjarmasin",
            "Kota Banjarbaru",
        ),
    ),
    Province(
        "64",
        "Kalimantan Timur",
        "KW64",
        (
            "Kabupaten Paser",
            "Kabupaten Kutai Barat",
            "Kabupaten Kutai Kartanegara",
            "Kabupaten Kutai Timur",
            "Kabupaten Berau",
            "Kabupaten Penajam Paser Utara",
            "Kabupaten Mahakam Ulu",
            "Kota Balikpapan",
            "Kota Samarinda",
            "Kota Bontang",
        ),
    ),
    Province(
        "65",
        "Kalimantan Utara",
        "KW65",
        (
            "Kabupaten Malinau",
            "Kabupaten Bulungan",
            "Kabupaten Tana Tidung",
            "Kabupaten Nunukan",
            "Kota Tarakan",
        ),
    ),
    Province(
        "71",
        "Sulawesi Utara",
        "KW71",
        (
            "Kabupaten Bolaang Mongondow",
            "Kabupaten Minahasa",
            "Kabupaten Kepulauan Sangihe",
            "Kabupaten Kepulauan Talaud",
            "Kabupaten Minahasa Selatan",
            "Kabupaten Minahasa Utara",
            "Kabupaten Bolaang Mongondow Utara",
            "Kabupaten Kepulauan Siau Tagulandang Biaro",
            "Kabupaten Minahasa Tenggara",
            "Kabupaten Bolaang Mongondow Selatan",
            "Kabupaten Bolaang Mongondow Timur",
            "Kota Manado",
            "Kota Bitung",
            "Kota Tomohon",
            "Kota Kotamobagu",
        ),
    ),
    Province(
        "72",
        "Sulawesi Tengah",
        "KW72",
        (
            "Kabupaten Banggai Kepulauan",
            "Kabupaten Banggai",
            "Kabupaten Morowali",
            "Kabupaten Poso",
            "Kabupaten Donggala",
            "Kabupaten Tolitoli",
            "Kabupaten Buol",
            "Kabupaten Parigi Moutong",
            "Kabupaten Tojo Una-Una",
            "Kabupaten Sigi",
            "Kabupaten Banggai Laut",
            "Kabupaten Morowali Utara",
            "Kota Palu",
        ),
    ),
    Province(
        "73",
        "Sulawesi Selatan",
        "KW73",
        (
            "Kabupaten Kepulauan Selayar",
            "Kabupaten Bulukumba",
            "Kabupaten Bantaeng",
            "Kabupaten Jeneponto",
            "Kabupaten Takalar",
            "Kabupaten Gowa",
            "Kabupaten Sinjai",
            "Kabupaten Maros",
            "Kabupaten Pangkajene dan Kepulauan",
            "Kabupaten Barru",
            "Kabupaten Bone",
            "Kabupaten Soppeng",
            "Kabupaten Wajo",
            "Kabupaten Sidenreng Rappang",
            "Kabupaten Pinrang",
            "Kabupaten Enrekang",
            "Kabupaten Luwu",
            "Kabupaten Tana Toraja",
            "Kabupaten Luwu Utara",
            "Kabupaten Luwu Timur",
            "Kabupaten Toraja Utara",
            "Kota Makassar",
            "Kota Parepare",
            "Kota Palopo",
        ),
    ),
    Province(
        "74",
        "Sulawesi Tenggara",
        "KW74",
        (
            "Kabupaten Buton",
            "Kabupaten Muna",
            "Kabupaten Konawe",
            "Kabupaten Kolaka",
            "Kabupaten Konawe Selatan",
            "Kabupaten Bombana",
            "Kabupaten Wakatobi",
            "Kabupaten Kolaka Utara",
            "Kabupaten Buton Utara",
            "Kabupaten Konawe Utara",
            "Kabupaten Kolaka Timur",
            "Kabupaten Konawe Kepulauan",
            "Kabupaten Muna Barat",
            "Kabupaten Buton Tengah",
            "Kabupaten Buton Selatan",
            "Kota Kendari",
            "Kota Baubau",
        ),
    ),
    Province(
        "75",
        "Gorontalo",
        "KW75",
        (
            "Kabupaten Boalemo",
            "Kabupaten Gorontalo",
            "Kabupaten Pohuwato",
            "Kabupaten Bone Bolango",
            "Kabupaten Gorontalo Utara",
            "Kota Gorontalo",
        ),
    ),
    Province(
        "76",
        "Sulawesi Barat",
        "KW76",
        (
            "Kabupaten Majene",
            "Kabupaten Polewali Mandar",
            "Kabupaten Mamasa",
            "Kabupaten Mamuju",
            "Kabupaten Pasangkayu",
            "Kabupaten Mamuju Tengah",
        ),
    ),
    Province(
        "81",
        "Maluku",
        "KW81",
        (
            "Kabupaten Kepulauan Tanimbar",
            "Kabupaten Maluku Tenggara",
            "Kabupaten Maluku Tengah",
            "Kabupaten Buru",
            "Kabupaten Kepulauan Aru",
            "Kabupaten Seram Bagian Barat",
            "Kabupaten Seram Bagian Timur",
            "Kabupaten Maluku Barat Daya",
            "Kabupaten Buru Selatan",
            "Kota Ambon",
            "Kota Tual",
        ),
    ),
    Province(
        "82",
        "Maluku Utara",
        "KW82",
        (
            "Kabupaten Halmahera Barat",
            "Kabupaten Halmahera Tengah",
            "Kabupaten Kepulauan Sula",
            "Kabupaten Halmahera Selatan",
            "Kabupaten Halmahera Utara",
            "Kabupaten Halmahera Timur",
            "Kabupaten Pulau Morotai",
            "Kabupaten Pulau Taliabu",
            "Kota Ternate",
            "Kota Tidore Kepulauan",
        ),
    ),
    Province(
        "91",
        "Papua Barat",
        "KW91",
        (
            "Kabupaten Manokwari",
            "Kabupaten Fakfak",
            "Kabupaten Teluk Bintuni",
            "Kabupaten Teluk Wondama",
            "Kabupaten Kaimana",
            "Kabupaten Manokwari Selatan",
            "Kabupaten Pegunungan Arfak",
        ),
    ),
    Province(
        "92",
        "Papua Barat Daya",
        "KW92",
        (
            "Kabupaten Sorong",
            "Kabupaten Sorong Selatan",
            "Kabupaten Raja Ampat",
            "Kabupaten Tambrauw",
            "Kabupaten Maybrat",
            "Kota Sorong",
        ),
    ),
    Province(
        "94",
        "Papua",
        "KW94",
        (
            "Kabupaten Jayapura",
            "Kabupaten Kepulauan Yapen",
            "Kabupaten Biak Numfor",
            "Kabupaten Sarmi",
            "Kabupaten Keerom",
            "Kabupaten Waropen",
            "Kabupaten Supiori",
            "Kabupaten Mamberamo Raya",
            "Kota Jayapura",
        ),
    ),
    Province(
        "95",
        "Papua Selatan",
        "KW95",
        (
            "Kabupaten Merauke",
            "Kabupaten Boven Digoel",
            "Kabupaten Mappi",
            "Kabupaten Asmat",
        ),
    ),
    Province(
        "96",
        "Papua Tengah",
        "KW96",
        (
            "Kabupaten Nabire",
            "Kabupaten Puncak Jaya",
            "Kabupaten Paniai",
            "Kabupaten Mimika",
            "Kabupaten Puncak",
            "Kabupaten Dogiyai",
            "Kabupaten Intan Jaya",
            "Kabupaten Deiyai",
        ),
    ),
    Province(
        "97",
        "Papua Pegunungan",
        "KW97",
        (
            "Kabupaten Jayawijaya",
            "Kabupaten Pegunungan Bintang",
            "Kabupaten Yahukimo",
            "Kabupaten Tolikara",
            "Kabupaten Mamberamo Tengah",
            "Kabupaten Yalimo",
            "Kabupaten Lanny Jaya",
            "Kabupaten Nduga",
        ),
    ),
]


def kanwil_name(province: Province) -> str:
    """Full Kanwil name; DI Yogyakarta is written out without "Provinsi"."""
    if province.code == "34":
        return "Kantor Wilayah Kementerian Agama Daerah Istimewa Yogyakarta"
    return f"Kantor Wilayah Kementerian Agama Provinsi {province.name}"


def kankemenag_name(kabkota: str) -> str:
    """E.g. "Kantor Kementerian Agama Kota Semarang"."""
    return f"Kantor Kementerian Agama {kabkota}"


def kankemenag_code(province: Province, index: int) -> str:
    """Code of the `index`-th (1-based) kab/kota of `province`: "KW33-33" for Kota Semarang."""
    if not 1 <= index <= len(province.kabkota):
        raise ValueError(f"{province.name} has no kab/kota number {index}")
    return f"{province.kanwil_code}-{index:02d}"


# State Islamic higher-education institutions (status as of 2024) with some of their faculties.
# (code, name, BPS province code of the main campus, faculties)
PTKIN: list[tuple[str, str, str, tuple[str, ...]]] = [
    (
        "PT-WALISONGO",
        "Universitas Islam Negeri Walisongo Semarang",
        "33",
        (
            "Fakultas Syariah dan Hukum",
            "Fakultas Ushuluddin dan Humaniora",
            "Fakultas Ilmu Tarbiyah dan Keguruan",
            "Fakultas Dakwah dan Komunikasi",
            "Fakultas Ekonomi dan Bisnis Islam",
            "Fakultas Psikologi dan Kesehatan",
        ),
    ),
    (
        "PT-SUKA",
        "Universitas Islam Negeri Sunan Kalijaga Yogyakarta",
        "34",
        (
            "Fakultas Adab dan Ilmu Budaya",
            "Fakultas Dakwah dan Komunikasi",
            "Fakultas Syariah dan Hukum",
            "Fakultas Ushuluddin dan Pemikiran Islam",
            "Fakultas Ilmu Tarbiyah dan Keguruan",
            "Fakultas Sains dan Teknologi",
        ),
    ),
    (
        # Main campus in Ciputat, Kota Tangerang Selatan (Banten).
        "PT-SYAHID",
        "Universitas Islam Negeri Syarif Hidayatullah Jakarta",
        "36",
        (
            "Fakultas Ilmu Tarbiyah dan Keguruan",
            "Fakultas Adab dan Humaniora",
            "Fakultas Ushuluddin",
            "Fakultas Syariah dan Hukum",
            "Fakultas Ilmu Dakwah dan Ilmu Komunikasi",
            "Fakultas Dirasat Islamiyah",
        ),
    ),
    (
        "PT-SGD",
        "Universitas Islam Negeri Sunan Gunung Djati Bandung",
        "32",
        (
            "Fakultas Ushuluddin",
            "Fakultas Tarbiyah dan Keguruan",
            "Fakultas Syariah dan Hukum",
            "Fakultas Dakwah dan Komunikasi",
            "Fakultas Adab dan Humaniora",
            "Fakultas Sains dan Teknologi",
        ),
    ),
    (
        "PT-UINSA",
        "Universitas Islam Negeri Sunan Ampel Surabaya",
        "35",
        (
            "Fakultas Adab dan Humaniora",
            "Fakultas Dakwah dan Komunikasi",
            "Fakultas Syariah dan Hukum",
            "Fakultas Tarbiyah dan Keguruan",
            "Fakultas Ushuluddin dan Filsafat",
            "Fakultas Psikologi dan Kesehatan",
        ),
    ),
    (
        "PT-MALIKI",
        "Universitas Islam Negeri Maulana Malik Ibrahim Malang",
        "35",
        (
            "Fakultas Ilmu Tarbiyah dan Keguruan",
            "Fakultas Syariah",
            "Fakultas Humaniora",
            "Fakultas Psikologi",
            "Fakultas Ekonomi",
            "Fakultas Sains dan Teknologi",
        ),
    ),
    (
        "PT-ALAUDDIN",
        "Universitas Islam Negeri Alauddin Makassar",
        "73",
        (
            "Fakultas Syariah dan Hukum",
            "Fakultas Tarbiyah dan Keguruan",
            "Fakultas Ushuluddin dan Filsafat",
            "Fakultas Adab dan Humaniora",
            "Fakultas Dakwah dan Komunikasi",
            "Fakultas Kedokteran dan Ilmu Kesehatan",
        ),
    ),
    (
        "PT-ARRANIRY",
        "Universitas Islam Negeri Ar-Raniry Banda Aceh",
        "11",
        (
            "Fakultas Syariah dan Hukum",
            "Fakultas Tarbiyah dan Keguruan",
            "Fakultas Ushuluddin dan Filsafat",
            "Fakultas Dakwah dan Komunikasi",
            "Fakultas Adab dan Humaniora",
            "Fakultas Ekonomi dan Bisnis Islam",
        ),
    ),
    (
        "PT-UINSU",
        "Universitas Islam Negeri Sumatera Utara Medan",
        "12",
        (
            "Fakultas Ilmu Tarbiyah dan Keguruan",
            "Fakultas Syariah dan Hukum",
            "Fakultas Ushuluddin dan Studi Islam",
            "Fakultas Dakwah dan Komunikasi",
            "Fakultas Ekonomi dan Bisnis Islam",
            "Fakultas Sains dan Teknologi",
        ),
    ),
    (
        "PT-RADENFATAH",
        "Universitas Islam Negeri Raden Fatah Palembang",
        "16",
        (
            "Fakultas Adab dan Humaniora",
            "Fakultas Dakwah dan Komunikasi",
            "Fakultas Syariah dan Hukum",
            "Fakultas Ilmu Tarbiyah dan Keguruan",
            "Fakultas Ushuluddin dan Pemikiran Islam",
            "Fakultas Ekonomi dan Bisnis Islam",
        ),
    ),
    (
        "PT-ANTASARI",
        "Universitas Islam Negeri Antasari Banjarmasin",
        "63",
        (
            "Fakultas Syariah",
            "Fakultas Tarbiyah dan Keguruan",
            "Fakultas Ushuluddin dan Humaniora",
            "Fakultas Dakwah dan Ilmu Komunikasi",
            "Fakultas Ekonomi dan Bisnis Islam",
        ),
    ),
    (
        # Pamekasan; still an IAIN as of 2024.
        "PT-IAINMADURA",
        "Institut Agama Islam Negeri Madura",
        "35",
        (
            "Fakultas Syariah",
            "Fakultas Tarbiyah",
            "Fakultas Ushuluddin dan Adab",
            "Fakultas Ekonomi dan Bisnis Islam",
        ),
    ),
]


def fakultas_code(ptkin_code: str, index: int) -> str:
    """Code of the `index`-th (1-based) faculty of a PTKIN: "PT-WALISONGO-F01"."""
    return f"{ptkin_code}-F{index:02d}"


MADRASAH_LEVELS: tuple[str, ...] = ("MIN", "MTsN", "MAN")


def _short_kabkota(kabkota: str) -> str:
    """The place as madrasah names write it: "Kabupaten " dropped, "Kota " kept.

    "Kabupaten Sleman" → "Sleman", "Kota Semarang" → "Kota Semarang"; the Jakarta
    "Administrasi" forms follow suit ("Kota Administrasi Jakarta Pusat" → "Kota Jakarta Pusat",
    "Kabupaten Administrasi Kepulauan Seribu" → "Kepulauan Seribu").
    """
    for prefix in ("Kabupaten Administrasi ", "Kabupaten "):
        if kabkota.startswith(prefix):
            return kabkota.removeprefix(prefix)
    return kabkota.replace("Kota Administrasi ", "Kota ", 1)


def madrasah_name(level: str, number: int, kabkota: str) -> str:
    """State madrasah name in the post-2017 style: "MAN 1 Kota Semarang", "MTsN 2 Sleman"."""
    if level not in MADRASAH_LEVELS:
        raise ValueError(f"unknown madrasah level {level!r}; expected one of {MADRASAH_LEVELS}")
    if number < 1:
        raise ValueError("madrasah number starts at 1")
    return f"{level} {number} {_short_kabkota(kabkota)}"


def madrasah_code(kankemenag: str, level: str, number: int) -> str:
    """E.g. "KW33-33-MAN1" for MAN 1 Kota Semarang."""
    return f"{kankemenag}-{level.upper()}{number}"


# Real kecamatan (hence KUA) names for the two showcase Kankemenag, in Kemendagri order.
KECAMATAN: dict[str, tuple[str, ...]] = {
    "Kota Semarang": (
        "Semarang Tengah",
        "Semarang Utara",
        "Semarang Timur",
        "Gayamsari",
        "Genuk",
        "Pedurungan",
        "Semarang Selatan",
        "Candisari",
        "Gajahmungkur",
        "Tembalang",
        "Banyumanik",
        "Gunungpati",
        "Semarang Barat",
        "Mijen",
        "Ngaliyan",
        "Tugu",
    ),
    "Kabupaten Sleman": (
        "Gamping",
        "Godean",
        "Moyudan",
        "Minggir",
        "Seyegan",
        "Mlati",
        "Depok",
        "Berbah",
        "Prambanan",
        "Kalasan",
        "Ngemplak",
        "Ngaglik",
        "Sleman",
        "Tempel",
        "Turi",
        "Pakem",
        "Cangkringan",
    ),
}


def kua_name(kecamatan_index: int, kabkota: str) -> str:
    """KUA name for the `kecamatan_index`-th (1-based) kecamatan of `kabkota`.

    Real name where `KECAMATAN` knows the kecamatan ("KUA Kecamatan Tembalang"); otherwise an
    openly generic placeholder: kua_name(3, "Kabupaten Bantul") == "KUA 3 Bantul".
    """
    if kecamatan_index < 1:
        raise ValueError("kecamatan index starts at 1")
    known = KECAMATAN.get(kabkota, ())
    if kecamatan_index <= len(known):
        return f"KUA Kecamatan {known[kecamatan_index - 1]}"
    return f"KUA {kecamatan_index} {_short_kabkota(kabkota)}"


def kua_code(kankemenag: str, kecamatan_index: int) -> str:
    """E.g. "KW33-33-KUA01"."""
    return f"{kankemenag}-KUA{kecamatan_index:02d}"


if __name__ == "__main__":
    from collections import Counter

    kabkota = [k for p in PROVINCES for k in p.kabkota]
    n_kab = sum(k.startswith("Kabupaten ") for k in kabkota)
    n_kota = sum(k.startswith("Kota ") for k in kabkota)
    print(f"eselon I: {len(ESELON1)}")
    print(f"provinces: {len(PROVINCES)}")
    print(f"kab/kota: {len(kabkota)} ({n_kab} kabupaten + {n_kota} kota)")
    print(f"PTKIN: {len(PTKIN)}, faculties: {sum(len(p[3]) for p in PTKIN)}")

    assert len(PROVINCES) == 38
    assert (len(kabkota), n_kab, n_kota) == (514, 416, 98)
    for p in PROVINCES:
        assert p.kanwil_code == f"KW{p.code}" and len(p.code) == 2 and p.code.isdigit()
        dupes = [k for k, n in Counter(p.kabkota).items() if n > 1]
        assert not dupes, f"{p.name}: duplicate kab/kota {dupes}"
    dupes = [k for k, n in Counter(kabkota).items() if n > 1]
    assert not dupes, f"duplicate kab/kota across provinces: {dupes}"
    by_name = {k: p for p in PROVINCES for k in p.kabkota}
    assert by_name["Kota Semarang"].code == "33" and by_name["Kabupaten Sleman"].code == "34"
    assert len({p.name for p in PROVINCES}) == 38

    province_codes = {p.code for p in PROVINCES}
    codes = [PUSAT[0], *(c for c, _ in ESELON1), *(p.kanwil_code for p in PROVINCES)]
    names = [PUSAT[1], *(n for _, n in ESELON1), *(kanwil_name(p) for p in PROVINCES)]
    for p in PROVINCES:
        for i, k in enumerate(p.kabkota, 1):
            kk = kankemenag_code(p, i)
            codes.append(kk)
            names.append(kankemenag_name(k))
            for level in MADRASAH_LEVELS:
                codes.append(madrasah_code(kk, level, 1))
                names.append(madrasah_name(level, 1, k))
            codes.append(kua_code(kk, 1))
    for code, name, province_code, faculties in PTKIN:
        assert province_code in province_codes, code
        assert 3 <= len(faculties) <= 6 and len(set(faculties)) == len(faculties), code
        codes.append(code)
        names.append(name)
        codes.extend(fakultas_code(code, i) for i in range(1, len(faculties) + 1))
    dupes = [c for c, n in Counter(codes).items() if n > 1]
    assert not dupes, f"duplicate codes: {dupes}"
    dupes = [c for c, n in Counter(names).items() if n > 1]
    assert not dupes, f"duplicate names: {dupes}"
    assert max(map(len, codes)) <= 32 and max(map(len, names)) <= 255  # Unit field sizes
    assert max(len(p.name) for p in PROVINCES) <= 64  # Unit.province

    assert kankemenag_code(by_name["Kota Semarang"], 33) == "KW33-33"
    assert madrasah_name("MAN", 1, "Kota Semarang") == "MAN 1 Kota Semarang"
    assert madrasah_name("MTsN", 2, "Kabupaten Sleman") == "MTsN 2 Sleman"
    assert kua_name(10, "Kota Semarang") == "KUA Kecamatan Tembalang"
    yogya = next(p for p in PROVINCES if p.code == "34")
    assert kanwil_name(yogya) == "Kantor Wilayah Kementerian Agama Daerah Istimewa Yogyakarta"
    print(f"unique codes: {len(codes)}; all checks passed")
    print(
        kanwil_name(PROVINCES[10]),
        "|",
        kankemenag_name("Kota Semarang"),
        "|",
        kua_name(3, "Kabupaten Bantul"),
    )
