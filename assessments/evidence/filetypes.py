"""The file types evidence may have, by extension, content type and signature."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


CHUNK = MB


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
