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
assessments.evidence.intake turns into its EvidenceError, so this module imports nothing from there.
Settings (optional): ZI_EVIDENCE_ZIP_MAX_UNCOMPRESSED (200 MB), ZI_EVIDENCE_ZIP_MAX_RATIO
(100), ZI_EVIDENCE_ZIP_MAX_ENTRIES (5000), ZI_EVIDENCE_IMAGE_MAX_PIXELS (Pillow's own
decompression-bomb limit, about 89 megapixels).
"""

from __future__ import annotations

import pikepdf

from assessments.evidence import package_rules as rules
from assessments.evidence.filetypes import FileType
from assessments.evidence.images import IMAGE_FORMATS, check_image
from assessments.evidence.package_rules import refuse
from assessments.evidence.packages import check_package
from assessments.evidence.payloads import file_chunks, refuse_smuggled


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
    refuse_smuggled(file_chunks(f))
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


# --------------------------------------------------------------------------- packages
