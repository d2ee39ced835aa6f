"""JPEG and PNG evidence (and images inside office packages): decoded by Pillow under a pixel
limit, and ending at the image's end marker."""

from __future__ import annotations

import io
import warnings

from django.conf import settings
from PIL import Image

from assessments.evidence import package_rules as rules
from assessments.evidence.package_rules import ContentRefused, refuse
from assessments.evidence.payloads import refuse_smuggled

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

    refuse_smuggled([data])
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
