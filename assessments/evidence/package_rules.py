"""What an office package (OOXML or ODF) must not hold, for assessments.evidence.packages: the
refusal messages, the rules on member names and the ZIP directory, and the rules on each XML
part, which is parsed with defusedxml (no entity expansion, no external entities).

Why each rule: macros (VBA, StarBasic, Excel 4.0 macro sheets, auto-run names), ActiveX and OLE
objects run code when the file is opened; external relationships (a remote attachedTemplate, an
oleObject or frame loaded by URL), DDE fields and formulas, and linked data fetch content or
start programs from outside the file (CVE-2017-0199, CVE-2021-40444, the 2017 DDEAUTO
campaigns); ODF event listeners call scripts shipped with the office suite (CVE-2019-9848).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from defusedxml import ElementTree as SafeTree
from django.utils.translation import gettext_lazy as _

from core.archives import (  # noqa: F401 (the archive budget's rules, used from here too)
    BOMB,
    ENCRYPTED,
    NOT_VALID,
    RATIO_FLOOR,
    SIZE_LIE,
    TOO_MANY,
    ContentRefused,
    check_directory,
    refuse,
)

ODD_NAMES = _("Berkas ditolak: nama bagian di dalam arsipnya tidak wajar.")
NESTED = _("Berkas ditolak: berisi arsip atau program di dalamnya.")
MACRO = _("Berkas ditolak: berisi makro. Simpan ulang tanpa makro.")
EMBEDDED = _(
    "Berkas ditolak: berisi objek tertanam (OLE atau ActiveX). Hapus objeknya lalu simpan ulang."
)
EXTERNAL = _("Berkas ditolak: memuat isi dari luar berkas (templat, objek, atau data jarak jauh).")
DDE = _(
    "Berkas ditolak: berisi rumus atau kolom isian yang menjalankan program atau mengambil "
    "data dari luar (DDE)."
)
BAD_MEDIA = _("Berkas ditolak: ada gambar di dalamnya yang bukan gambar yang sah.")
HIDDEN = _("Berkas ditolak: berisi kode halaman web atau skrip tersembunyi.")
PDF_ACTIVE = _(
    "Berkas ditolak: PDF ini berisi JavaScript, lampiran berkas, atau tindakan otomatis yang "
    "membuka program atau alamat lain. Cetak ulang ke PDF tanpa fitur tersebut."
)
TRAILING = _(
    "Berkas ditolak: ada data tambahan setelah akhir %(label)s. Simpan ulang atau ekspor ulang "
    "berkasnya."
)
PIXELS = _("Gambar terlalu besar (lebih dari %(max)s megapiksel). Perkecil resolusinya.")

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # also .doc/.xls/.msi and every VBA project
# What a member's first bytes say it is, whatever its name: archives (a nested ZIP is how
# recursive bombs are built), Windows, Linux and macOS programs, shortcuts, help files.
NESTED_SIGNATURES = (
    b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07",
    b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", b"MSCF", b"ITSF", b"MZ", b"\x7fELF",
    b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"L\x00\x00\x00\x01\x14\x02\x00",
)  # fmt: skip
# Names that have no business inside an office document.
FORBIDDEN_MEMBER_SUFFIXES = (
    ".zip", ".rar", ".7z", ".gz", ".tgz", ".bz2", ".xz", ".tar", ".cab", ".jar", ".iso",
    ".exe", ".dll", ".scr", ".com", ".bat", ".cmd", ".msi", ".ps1", ".vbs", ".vbe", ".js",
    ".jse", ".wsf", ".hta", ".lnk", ".pif", ".cpl", ".reg", ".chm",
)  # fmt: skip
XML_SUFFIXES = ("xml", "rels", "rdf", "svg")
LINK_SCHEMES = ("http", "https", "mailto")
# Found in a content type or a relationship type (case-folded).
LISTED_TYPES = (
    ("vbaproject", MACRO), ("vbadata", MACRO), ("macroenabled", MACRO), ("macrosheet", MACRO),
    ("keymapcustomizations", MACRO), ("attachedtoolbars", MACRO), ("activex", EMBEDDED),
    ("oleobject", EMBEDDED), ("externallink", EXTERNAL), ("connections", EXTERNAL),
    ("attachedtemplate", EXTERNAL), ("webextension", EXTERNAL),  # an Office add-in, loaded by URL
)  # fmt: skip
# Found in any attribute value (case-folded): URLs that run programs or scripts.
RISKY_URLS = (
    ("vnd.sun.star.script", MACRO), ("ppaction://program", NESTED), ("ms-msdt:", EXTERNAL),
    ("search-ms:", EXTERNAL), ("mhtml:", EXTERNAL), ("ms-officecmd:", EXTERNAL),
)  # fmt: skip
ODF_SCRIPT_NAMESPACES = (
    "urn:oasis:names:tc:opendocument:xmlns:script:1.0",
    "http://openoffice.org/2000/script",
)
ODF_EXTERNAL_TAGS = ("table-source", "cell-range-source", "section-source")
ODF_EMBEDDED_TAGS = ("applet", "plugin")  # Java applets and browser plug-ins in a drawing
DDE_FIELD = re.compile(r"\s*(DDE|DDEAUTO)\b", re.IGNORECASE)
# Spreadsheet functions that call programs, DLLs, servers or URLs.
RISKY_FUNCTIONS = re.compile(
    r"\b(?:DDE|DDEAUTO|WEBSERVICE|CALL|REGISTER(?:\.ID)?|EXEC|RTD)\s*\(", re.IGNORECASE
)
STRING_LITERAL = re.compile(r'"(?:[^"]|"")*"')
AUTO_RUN_NAMES = ("auto_open", "auto_close", "auto_activate", "auto_deactivate", "_xlnm.auto_")
ODD_CHARACTERS = set('\\:*?"<>|')


# --------------------------------------------------------------------------- names, directory


def normal_name(name: str) -> str:
    """How Windows will name the member once extracted: "run.exe " and "RUN.EXE." are
    run.exe."""
    return unicodedata.normalize("NFKC", name).replace("\\", "/").rstrip(" .").casefold()


def _odd(name: str) -> bool:
    """Names no office suite writes: absolute, climbing out, control or bidi characters."""
    parts = name.split("/")
    return (
        name.startswith("/")
        or ".." in parts
        or any(ch in ODD_CHARACTERS or unicodedata.category(ch)[0] == "C" for ch in name)
    )


def check_names(infos, odf: bool) -> None:
    seen = set()
    for info in infos:
        name = normal_name(info.filename)
        if _odd(info.filename) or name in seen:  # two readers may pick different duplicates
            refuse(ODD_NAMES)
        seen.add(name)
        path, last = f"/{name}", name.rpartition("/")[2]
        if last.endswith(FORBIDDEN_MEMBER_SUFFIXES):
            refuse(NESTED)
        if last in ("vbaproject.bin", "vbadata.xml") or "/macrosheets/" in path:
            refuse(MACRO)
        if odf and ("/basic/" in path or "/scripts/" in path):
            refuse(MACRO)
        if "/activex/" in path or re.search(r"/embeddings/oleobject[^/]*$", path):
            refuse(EMBEDDED)
        if "/externallinks/" in path or last == "connections.xml":
            refuse(EXTERNAL)


def is_embedded_package(name: str, marker: str) -> bool:
    """A chart's data workbook sits in word/embeddings/ (or ppt/, xl/) as an .xlsx."""
    return marker in ("word/", "xl/", "ppt/") and bool(
        re.fullmatch(r"(word|xl|ppt)/embeddings/[^/]+\.(docx|xlsx|pptx)", name)
    )


def is_metafile(data: bytes) -> bool:
    """EMF or WMF (Pillow cannot decode them here): at least the header must say so."""
    emf = data[:4] == b"\x01\x00\x00\x00" and data[40:44] == b" EMF"
    placeable_wmf = data[:4] == b"\xd7\xcd\xc6\x9a"
    wmf = data[:2] in (b"\x01\x00", b"\x02\x00") and data[2:4] == b"\x09\x00"
    return emf or placeable_wmf or wmf


# --------------------------------------------------------------------------- links, formulas


def _has_scheme(target: str) -> bool:
    target = target.strip()
    try:
        return bool(urlsplit(target).scheme) or target.startswith(("//", "\\\\"))
    except ValueError:
        return True


def plain_link(target: str) -> bool:
    """A hyperlink a reader follows only when clicking it: web or mail, or a relative link to
    something that is not a program."""
    target = target.strip()
    try:
        scheme = urlsplit(target).scheme.casefold()
    except ValueError:
        return False
    if scheme:
        return scheme in LINK_SCHEMES
    path = re.split(r"[?#]", target, maxsplit=1)[0]
    return not target.startswith(("//", "\\\\")) and not normal_name(path).endswith(
        FORBIDDEN_MEMBER_SUFFIXES
    )


def formula_is_risky(formula: str) -> bool:
    """DDE ("=cmd|' /C calc'!A0") or a function that reaches outside the workbook. A "|" is no
    Excel operator, so outside string literals it can only be DDE."""
    bare = STRING_LITERAL.sub('""', formula or "")
    return "|" in bare or bool(RISKY_FUNCTIONS.search(bare))


def _refuse_listed(kind: str) -> None:
    kind = kind.casefold()
    for token, message in LISTED_TYPES:
        if token in kind:
            refuse(message)


def _check_relationship(attrs: dict) -> None:
    kind = attrs.get("Type", "").rstrip("/").rpartition("/")[2].casefold()
    _refuse_listed(kind)
    if kind == "control":  # an ActiveX control on a page
        refuse(EMBEDDED)
    # Only a plain hyperlink may point outside: a remote template, OLE object, frame, image
    # or subdocument is fetched when the file is opened.
    external = attrs.get("TargetMode", "").casefold() == "external"
    if external and (kind != "hyperlink" or not plain_link(attrs.get("Target", ""))):
        refuse(EXTERNAL)


# --------------------------------------------------------------------------- XML parts


def check_xml(stream, family: str, label: str) -> None:
    """Parse one part (family "ooxml", "odf" or "svg") and apply its rules element by element;
    a part that does not parse is not a valid document."""
    part = _XmlPart(family)
    try:
        for _event, element in SafeTree.iterparse(stream, events=("end",)):
            part.check(element)
            element.clear()  # its children are checked already; keeps a large sheet small
    except SafeTree.ParseError:
        refuse(NOT_VALID, label=label)


OOXML_TAGS = frozenset(
    ("Default", "Override", "Relationship", "f", "definedName", "ddeLink", "oleLink",
     "externalBook", "fldChar", "instrText", "fldSimple")
)  # fmt: skip


def _attributes(element) -> dict:
    return {key.rpartition("}")[2]: value for key, value in element.attrib.items()}


def _refuse_risky_url(value: str) -> None:
    folded = value.casefold()
    for marker, message in RISKY_URLS:
        if marker in folded:
            refuse(message)


class _XmlPart:
    """The rules for one part; Word field codes span several elements, hence the state."""

    def __init__(self, family: str):
        self.family = family
        self.fields: list[list[str]] = []

    def check(self, element) -> None:
        namespace, _, tag = element.tag.rpartition("}")
        for value in element.attrib.values():
            if ":" in value:  # only a URL can name a scheme; most values are "A1" or "1"
                _refuse_risky_url(value)
        if self.family == "ooxml":
            if tag in OOXML_TAGS:  # a large sheet is a million <c> and <v>: skip them quickly
                self._ooxml(tag, _attributes(element), element.text)
        elif self.family == "odf":
            self._odf(namespace.lstrip("{"), tag, _attributes(element))
        else:
            self._svg(tag, _attributes(element))

    def _ooxml(self, tag: str, attrs: dict, text: str | None) -> None:
        if tag in ("Default", "Override"):  # [Content_Types].xml
            _refuse_listed(attrs.get("ContentType", ""))
        elif tag == "Relationship":
            _check_relationship(attrs)
        elif tag in ("f", "definedName"):  # a cell formula; a workbook-level name
            if formula_is_risky(text or ""):
                refuse(DDE)
            if attrs.get("name", "").casefold().startswith(AUTO_RUN_NAMES):
                refuse(MACRO)  # Excel 4.0 macros run from a name like Auto_Open
        elif tag in ("ddeLink", "oleLink", "externalBook"):
            refuse(DDE)
        elif tag in ("fldChar", "instrText", "fldSimple"):
            self._field(tag, attrs, text)

    def _field(self, tag: str, attrs: dict, text: str | None) -> None:
        if tag == "fldSimple":
            code = attrs.get("instr", "")
        elif tag == "instrText":
            if self.fields:
                self.fields[-1].append(text or "")
            return
        elif attrs.get("fldCharType") == "begin":
            # A field code that starts with a nested field is how DDEAUTO gets spelled out
            # by QUOTE fields, so that no instrText ever says it.
            if self.fields and not "".join(self.fields[-1]).strip():
                refuse(DDE)
            self.fields.append([])
            return
        elif self.fields and attrs.get("fldCharType") in ("separate", "end"):
            code = "".join(self.fields[-1])
            if attrs["fldCharType"] == "end":
                self.fields.pop()
        else:
            return
        if DDE_FIELD.match(code):
            refuse(DDE)

    def _odf(self, namespace: str, tag: str, attrs: dict) -> None:
        if namespace in ODF_SCRIPT_NAMESPACES or tag in (
            "script", "event-listener", "event-listeners",
        ):  # fmt: skip
            refuse(MACRO)
        if tag.startswith("dde-"):
            refuse(DDE)
        if tag in ODF_EXTERNAL_TAGS:
            refuse(EXTERNAL)
        if tag in ODF_EMBEDDED_TAGS:
            refuse(EMBEDDED)
        if tag == "file-entry":  # META-INF/manifest.xml
            path = normal_name(attrs.get("full-path", ""))
            media = attrs.get("media-type", "").casefold()
            if path.startswith(("basic/", "scripts/")) or "script" in media or "basic" in media:
                refuse(MACRO)
        for key in ("formula", "condition"):
            if formula_is_risky(attrs.get(key, "")):
                refuse(DDE)
        href = attrs.get("href")
        if href is not None:
            if tag == "a" and not plain_link(href):
                refuse(EXTERNAL)
            if tag != "a" and _has_scheme(href):  # an image, object or section loaded by URL
                refuse(EXTERNAL)

    def _svg(self, tag: str, attrs: dict) -> None:
        if tag in ("script", "foreignObject") or any(key.startswith("on") for key in attrs):
            refuse(HIDDEN)
        href = attrs.get("href", "")
        if href and _has_scheme(href) and not href.startswith("data:"):
            refuse(EXTERNAL)
