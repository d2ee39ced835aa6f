"""What an evidence file really is, judged by its content and decoded by the library made for it.

Security finding 6: magic bytes, ZIP member names and a ZIP directory's declared sizes can all
be forged, so none of them is trusted on its own, and whatever the checks cannot vouch for is
refused:
- PDF: parsed by pikepdf (qpdf) from the uploaded file, never read into memory; no JavaScript,
  automatic, launch or remote actions, no attached files, nothing after the last %%EOF.
- JPEG, PNG: decoded by Pillow under a pixel limit (every block of a JPEG, kept at an eighth of
  its size), and ending at the image's end marker.
- Office packages (OOXML, ODF): every member decompressed for real under a byte budget and
  sniffed for archives, programs and OLE objects (macros, embedded objects); media decoded as
  the images they claim to be; every XML part parsed with defusedxml for macros, ActiveX,
  external relationships, DDE fields and formulas (package_rules.py).
HTML, PHP and script markup hidden in a PDF or an image is refused too.

The one entry point is inspect_content(); it raises ContentRefused, which
assessments.evidence turns into its EvidenceError, so this module imports nothing from there.
Settings (optional): ZI_EVIDENCE_ZIP_MAX_UNCOMPRESSED (200 MB), ZI_EVIDENCE_ZIP_MAX_RATIO
(100), ZI_EVIDENCE_ZIP_MAX_ENTRIES (5000), ZI_EVIDENCE_IMAGE_MAX_PIXELS (Pillow's own
decompression-bomb limit, about 89 megapixels).
"""

from __future__ import annotations

import copy
import io
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass

import pikepdf
from django.conf import settings
from PIL import Image

from assessments import package_rules as rules
from assessments.package_rules import ContentRefused, refuse

MB = 1024 * 1024
CHUNK = MB
# An office chart keeps its data as a workbook inside the package; larger ones are not charts.
EMBEDDED_PACKAGE_MAX = 20 * MB
OLE_SCAN_MAX = 20 * MB


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    extensions: tuple[str, ...]
    content_type: str
    magic: bytes = b""
    package_marker: str = ""  # OOXML: the folder every such package has; ODF: "mimetype"


FILE_TYPES = {
    t.key: t
    for t in [
        FileType("pdf", "PDF", ("pdf",), "application/pdf", magic=b"%PDF-"),
        FileType("jpeg", "JPEG", ("jpg", "jpeg"), "image/jpeg", magic=b"\xff\xd8\xff"),
        FileType("png", "PNG", ("png",), "image/png", magic=b"\x89PNG\r\n\x1a\n"),
        FileType(
            "docx", "DOCX", ("docx",),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            package_marker="word/",
        ),
        FileType(
            "xlsx", "XLSX", ("xlsx",),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            package_marker="xl/",
        ),
        FileType(
            "pptx", "PPTX", ("pptx",),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            package_marker="ppt/",
        ),
        FileType(
            "odt", "ODT", ("odt",), "application/vnd.oasis.opendocument.text",
            package_marker="mimetype",
        ),
        FileType(
            "ods", "ODS", ("ods",), "application/vnd.oasis.opendocument.spreadsheet",
            package_marker="mimetype",
        ),
    ]
}  # fmt: skip
DEFAULT_ALLOWED = ("pdf", "jpeg", "png", "docx", "xlsx", "pptx", "odt", "ods")


def inspect_content(file_type: FileType, f, size: int) -> None:
    """Raise ContentRefused unless the file is a clean `file_type`, whatever its name says."""
    f.seek(0)
    head = f.read(16)
    if file_type.magic and not head.startswith(file_type.magic):
        refuse(rules.NOT_VALID, label=file_type.label)
    if file_type.key == "pdf":
        check_pdf(f, size)
    elif file_type.magic:
        # Decoding needs the pixels in memory anyway; the file is at most the upload limit.
        f.seek(0)
        data = f.read(size + 1)
        if len(data) != size:  # the upload is not the size it said; nothing to vouch for
            refuse(rules.NOT_VALID, label=file_type.label)
        check_image(data, IMAGE_FORMATS[file_type.extensions[0]], file_type.label)
    elif head.startswith(b"PK\x03\x04"):
        check_package(file_type, f, size)
    else:
        refuse(rules.NOT_VALID, label=file_type.label)


# --------------------------------------------------------------------------- smuggled payloads


# Markup a browser or a PHP interpreter would act on; no PDF or image needs it. Each pattern is
# long enough (with the space or ">" after the tag name) not to turn up by chance in the
# compressed data of a 20 MB photo, as a three-byte "<%@" did in a test.
MARKUP = re.compile(rb"<\?php\s|<(?:script|html|iframe)[\s>/]|<!doctype\s+html", re.IGNORECASE)
# Long enough never to occur by chance in compressed data, unlike "MZ" or a ZIP header alone.
ARCHIVE_SIGNATURES = (
    b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\xfd7zXZ\x00", rules.OLE_MAGIC,
)  # fmt: skip


OVERLAP = 64  # bytes kept from one chunk to the next, so no pattern hides across the cut


def _refuse_smuggled(chunks) -> None:
    """A PDF or image that is also a web page, a script or an archive (a "polyglot")."""
    tail, local_header, directory_end = b"", False, False
    for chunk in chunks:
        window = tail + chunk
        if MARKUP.search(window):
            refuse(rules.HIDDEN)
        if any(signature in window for signature in ARCHIVE_SIGNATURES):
            refuse(rules.NESTED)
        local_header = local_header or b"PK\x03\x04" in window
        directory_end = directory_end or b"PK\x05\x06" in window
        tail = window[-OVERLAP:]
    if local_header and directory_end:  # a ZIP needs both; either alone can occur by chance
        refuse(rules.NESTED)


def _chunks(f):
    f.seek(0)
    return iter(lambda: f.read(CHUNK), b"")


# --------------------------------------------------------------------------- PDF


PDF_RISKY_KEYS = {
    "/JS", "/JavaScript", "/AA", "/EmbeddedFiles", "/EF", "/XFA", "/RichMedia",
    "/RichMediaContent",
}  # fmt: skip
# Actions that run code, open programs or other files, or send the form somewhere.
PDF_RISKY_ACTIONS = {
    "/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/GoToE", "/GoToR",
    "/RichMediaExecute",
}  # fmt: skip
PDF_WHITESPACE = b" \t\r\n\f\x00"
# Readers look for the end of a PDF in its last kilobyte (qpdf, like Acrobat, reads startxref
# there), so a %%EOF further back means something was appended.
PDF_TAIL = 4096


def check_pdf(f, size: int) -> None:
    """Read in chunks and parsed from the file itself: a PDF is never held in memory."""
    _refuse_smuggled(_chunks(f))
    f.seek(max(0, size - PDF_TAIL))
    tail = f.read(PDF_TAIL)
    end = tail.rfind(b"%%EOF")
    if end < 0 or tail[end + 5 :].strip(PDF_WHITESPACE):
        refuse(rules.TRAILING, label="PDF")
    f.seek(0)
    source = f.temporary_file_path() if hasattr(f, "temporary_file_path") else f
    try:
        with pikepdf.open(source) as pdf:
            if len(pdf.pages) == 0:
                refuse(rules.NOT_VALID, label="PDF")
            if _pdf_has_active_content(pdf):
                refuse(rules.PDF_ACTIVE)
    except pikepdf.PasswordError:
        refuse(rules.ENCRYPTED)
    except (pikepdf.PdfError, ValueError, RuntimeError, OSError):
        refuse(rules.NOT_VALID, label="PDF")


def _pdf_has_active_content(pdf: pikepdf.Pdf) -> bool:
    """Every object of the file, indirect ones from the cross-reference table and the direct
    dictionaries and arrays inside them, not only what the page tree happens to reach."""
    for obj in pdf.objects:
        stack = [obj]
        while stack:
            item = stack.pop()
            if isinstance(item, (pikepdf.Dictionary, pikepdf.Stream)):
                if _pdf_dictionary_is_risky(item):
                    return True
                children = item.values()
            elif isinstance(item, pikepdf.Array):
                children = list(item)
            else:
                continue
            stack.extend(
                child
                for child in children
                if isinstance(child, (pikepdf.Dictionary, pikepdf.Array)) and not child.is_indirect
            )
    return False


def _pdf_dictionary_is_risky(item) -> bool:
    if PDF_RISKY_KEYS.intersection(item.keys()):
        return True
    if str(item.get("/S", "")) in PDF_RISKY_ACTIONS:
        return True
    if str(item.get("/Type", "")) == "/EmbeddedFile":
        return True
    opened = item.get("/OpenAction")
    # Opening on a page is normal; opening by running an action other than "go to" is not.
    return isinstance(opened, pikepdf.Dictionary) and str(opened.get("/S", "")) != "/GoTo"


# --------------------------------------------------------------------------- images


# Extension (inside packages too) → what Pillow must recognise it as. MPO is a camera JPEG.
IMAGE_FORMATS = {
    "jpg": ("JPEG", "MPO"), "jpeg": ("JPEG", "MPO"), "jpe": ("JPEG", "MPO"),
    "jfif": ("JPEG", "MPO"), "png": ("PNG",), "gif": ("GIF",), "bmp": ("BMP",),
    "tif": ("TIFF",), "tiff": ("TIFF",), "webp": ("WEBP",),
}  # fmt: skip


def max_pixels() -> int:
    return int(getattr(settings, "ZI_EVIDENCE_IMAGE_MAX_PIXELS", Image.MAX_IMAGE_PIXELS))


def check_image(data: bytes, formats: tuple[str, ...], label: str, invalid=None) -> None:
    """Decode the image in full and make sure nothing follows it. `invalid` is the message when
    it does not decode (by default: not a valid `label`)."""
    invalid = invalid or rules.NOT_VALID

    def refuse_invalid():
        refuse(invalid, label=label)

    _refuse_smuggled([data])
    frames = _decode_image(data, formats, refuse_invalid)
    if "PNG" in formats:
        end = _png_end(data)
    elif "JPEG" in formats:
        end = _jpeg_frames_end(data, frames, refuse_invalid)
    else:
        return
    if end is None:
        refuse(invalid, label=label)
    if data[end:].strip(b"\x00"):
        refuse(rules.TRAILING, label=label)


def _decode_image(data: bytes, formats: tuple[str, ...], refuse_invalid) -> int:
    """Decode in full; the number of frames the image declares."""
    limit = max_pixels()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in formats:
                    refuse_invalid()
                if image.width * image.height > limit:
                    refuse(rules.PIXELS, max=round(limit / 1_000_000, 1))
                image.verify()  # checksums and structure, without decoding
            with Image.open(io.BytesIO(data)) as image:
                if image.format in ("JPEG", "MPO"):
                    # libjpeg still decodes every block of the file, but only keeps an eighth
                    # of each side: a 12-megapixel photo costs 0.6 MB instead of 36 MB.
                    image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()  # and the pixels: a truncated or corrupt image fails here
                return getattr(image, "n_frames", 1)
    except ContentRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        refuse(rules.PIXELS, max=round(limit / 1_000_000, 1))
    except Exception:  # Pillow reports a broken image with many exception types
        refuse_invalid()


def _png_end(data: bytes) -> int | None:
    """The offset just after the IEND chunk, walking the chunks (Pillow stops reading there)."""
    pos = 8
    while pos + 12 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        pos += 12 + length
        if kind == b"IEND":
            return pos if pos <= len(data) else None
    return None


def _jpeg_frames_end(data: bytes, frames: int, refuse_invalid) -> int | None:
    """Where the last image ends. A phone photo may be a multi-picture JPEG (MPO: an HDR gain
    map or a second view after the main image), which Pillow counts as frames: each must be a
    JPEG of its own, decoded too, right after the previous one."""
    end = _jpeg_end(data)
    for _frame in range(frames - 1):
        if end is None or data[end : end + 3] != b"\xff\xd8\xff":
            return None
        start, end = end, _jpeg_end(data, end)
        if end is not None:
            _decode_image(data[start:end], ("JPEG", "MPO"), refuse_invalid)
    return end


def _jpeg_end(data: bytes, start: int = 0) -> int | None:
    """The offset just after the EOI marker of the image at `start`: segments are skipped by
    their length (so an EXIF thumbnail's own EOI does not count), entropy-coded data up to the
    next marker."""
    pos, size = start + 2, len(data)
    while pos < size:
        if data[pos] != 0xFF:
            return None
        while pos < size and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= size:
            return None
        marker, pos = data[pos], pos + 1
        if marker == 0xD9:
            return pos
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            continue
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2:
            return None
        pos += length
        if marker == 0xDA:  # start of scan: compressed data until a real marker
            pos = _after_entropy_data(data, pos)
    return None


def _after_entropy_data(data: bytes, pos: int) -> int:
    while (pos := data.find(b"\xff", pos)) != -1 and pos + 1 < len(data):
        following = data[pos + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:  # stuffed byte, restart marker
            pos += 2
        elif following == 0xFF:
            pos += 1
        else:
            return pos
    return len(data)


# --------------------------------------------------------------------------- packages


@dataclass
class Budget:
    """What decompressing a package may cost, counted in real bytes as they come out."""

    remaining: int
    ratio: int
    entries: int


def zip_budget() -> Budget:
    return Budget(
        remaining=int(getattr(settings, "ZI_EVIDENCE_ZIP_MAX_UNCOMPRESSED", 200 * MB)),
        ratio=int(getattr(settings, "ZI_EVIDENCE_ZIP_MAX_RATIO", 100)),
        entries=int(getattr(settings, "ZI_EVIDENCE_ZIP_MAX_ENTRIES", 5000)),
    )


def check_package(file_type: FileType, f, size: int) -> None:
    f.seek(0)
    try:
        with zipfile.ZipFile(f) as archive:
            _check_archive(archive, file_type, size, zip_budget(), nested=False)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError,
            ValueError, KeyError, RuntimeError, zlib.error):  # fmt: skip
        refuse(rules.NOT_VALID, label=file_type.label)


def _check_archive(archive, file_type: FileType, size: int, budget: Budget, nested: bool) -> None:
    infos = archive.infolist()
    rules.check_directory(infos, size, budget, file_type.label)
    odf = file_type.package_marker == "mimetype"
    names = {info.filename for info in infos}
    if odf:
        marked = "mimetype" in names
    else:
        marked = "[Content_Types].xml" in names and any(
            name.startswith(file_type.package_marker) for name in names
        )
    if not marked:
        refuse(rules.NOT_VALID, label=file_type.label)
    rules.check_names(infos, odf)
    for info in infos:
        if not info.is_dir():
            _check_member(archive, info, file_type, budget, nested)


def _check_member(archive, info, file_type: FileType, budget: Budget, nested: bool) -> None:
    name = rules.normal_name(info.filename)
    head = _read_member(archive, info, budget)
    embedded = not nested and rules.is_embedded_package(name, file_type.package_marker)
    if embedded and head.startswith(b"PK\x03\x04"):
        _check_embedded_package(archive, info, name, budget)
        return
    if head.startswith(rules.OLE_MAGIC):
        refuse(_ole_reason(archive, info))
    if head.startswith(rules.NESTED_SIGNATURES):
        refuse(rules.NESTED)
    odf = file_type.package_marker == "mimetype"
    if odf and name == "mimetype":
        if archive.read(info).strip() != file_type.content_type.encode():
            refuse(rules.NOT_VALID, label=file_type.label)
        return
    if info.file_size == 0:  # nothing to parse (older suites write empty configuration parts)
        return
    suffix = name.rpartition("/")[2].rpartition(".")[2]
    if suffix in rules.XML_SUFFIXES:
        family = "svg" if suffix == "svg" else "odf" if odf else "ooxml"
        with archive.open(info) as stream:
            rules.check_xml(stream, family, file_type.label)
    elif suffix in IMAGE_FORMATS:
        check_image(archive.read(info), IMAGE_FORMATS[suffix], suffix.upper(), rules.BAD_MEDIA)
    elif suffix in ("emf", "wmf") and not rules.is_metafile(archive.read(info)):
        refuse(rules.BAD_MEDIA)


def _read_member(archive, info: zipfile.ZipInfo, budget: Budget) -> bytes:
    """Decompress one member for real, counting every byte against the budget, and return its
    first bytes. zipfile stops at the size the directory declares (and checks the CRC of only
    that much), so the member is opened with a copy declaring more than the budget: a member
    claiming 1,000 bytes that inflates to 300 MB is then caught as it inflates."""
    probe = copy.copy(info)
    probe.file_size = budget.remaining + 1
    head, real = b"", 0
    with archive.open(probe) as member:
        while chunk := member.read(CHUNK):
            head = (head + chunk[:16])[:16] if len(head) < 16 else head
            real += len(chunk)
            inflated = real > rules.RATIO_FLOOR and real > budget.ratio * max(info.compress_size, 1)
            if real > budget.remaining or inflated:
                refuse(rules.BOMB)
    if real != info.file_size:
        refuse(rules.SIZE_LIE)
    budget.remaining -= real
    return head


def _check_embedded_package(archive, info, name: str, budget: Budget) -> None:
    """A chart's data workbook (or another office document) inside the package: inspected as a
    package of its own, with the same budget, and nothing nested any further."""
    if info.file_size > EMBEDDED_PACKAGE_MAX:
        refuse(rules.NESTED)
    data = archive.read(info)
    inner_type = FILE_TYPES[name.rpartition(".")[2]]
    with zipfile.ZipFile(io.BytesIO(data)) as inner:
        _check_archive(inner, inner_type, len(data), budget, nested=True)


def _ole_reason(archive, info):
    """Every OLE compound file is refused; olevba tells whether to say "macro" or "object"."""
    if info.file_size > OLE_SCAN_MAX:
        return rules.EMBEDDED
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # oletools' grammar uses deprecated pyparsing names
            from oletools.olevba import VBA_Parser
        parser = VBA_Parser(info.filename, data=archive.read(info))
        try:
            has_macros = parser.detect_vba_macros()
        finally:
            parser.close()
    except Exception:  # a broken OLE file is refused all the same, as an embedded object
        has_macros = False
    return rules.MACRO if has_macros else rules.EMBEDDED
