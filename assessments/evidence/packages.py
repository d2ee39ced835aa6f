"""Office packages (OOXML, ODF): every member decompressed for real under a byte budget and
sniffed for archives, programs and OLE objects; media decoded as the images they claim to be;
XML parts judged by package_rules."""

from __future__ import annotations

import io
import warnings
import zipfile
import zlib

from assessments.evidence import package_rules as rules
from assessments.evidence.filetypes import FILE_TYPES, MB, FileType
from assessments.evidence.images import IMAGE_FORMATS, check_image
from assessments.evidence.package_rules import refuse
from core.archives import Budget, read_member, zip_budget

# An office chart keeps its data as a workbook inside the package; larger ones are not charts.
EMBEDDED_PACKAGE_MAX = 20 * MB


OLE_SCAN_MAX = 20 * MB


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
    head = read_member(archive, info, budget)
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
