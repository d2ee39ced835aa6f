"""A URL as a QR code for the PDFs (verification links, survey posters, code slips)."""

import base64

import segno


def qr_data_uri(url: str) -> str:
    """The URL as a QR code, an SVG data URI WeasyPrint embeds (no network)."""
    svg = segno.make(url, error="m").svg_inline(scale=4, border=0, dark="#000")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
