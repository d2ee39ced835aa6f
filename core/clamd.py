"""clamd's protocol (INSTREAM and PING over TCP, `CLAMAV_URL=tcp://host:port`): the evidence
intake scans uploads with it, /healthz pings it. No domain here."""

from __future__ import annotations

import socket
import struct
from urllib.parse import urlsplit


def clamd_instream(url: str, chunks, timeout: float = 30.0) -> str | None:
    """Scan a stream with clamd's INSTREAM command: None when clean, else the signature found.
    Raises OSError when clamd cannot be reached or answers with an error."""

    def send(sock) -> None:
        sock.sendall(b"zINSTREAM\0")
        for chunk in chunks:
            sock.sendall(struct.pack(">I", len(chunk)) + chunk)
        sock.sendall(struct.pack(">I", 0))

    answer = _ask(url, send, timeout).decode(errors="replace").strip()
    if answer.endswith(" OK"):
        return None
    if answer.endswith(" FOUND"):
        return answer.split(":", 1)[-1].removesuffix(" FOUND").strip()
    raise OSError(f"clamd: {answer}")


def clamd_ping(url: str, timeout: float = 2.0) -> bool:
    """clamd's PING: True when it answers PONG. Raises OSError when it cannot be reached."""
    return _ask(url, lambda sock: sock.sendall(b"zPING\0"), timeout) == b"PONG"


def _ask(url: str, send, timeout: float) -> bytes:
    """One command on a new connection (the z-prefixed, NUL-terminated form); its reply."""
    parts = urlsplit(url)
    if parts.scheme != "tcp" or not parts.hostname:
        raise OSError(f"unsupported CLAMAV_URL {url!r} (use tcp://host:port)")
    with socket.create_connection((parts.hostname, parts.port or 3310), timeout=timeout) as sock:
        send(sock)
        reply = b""
        while not reply.endswith(b"\0"):
            data = sock.recv(4096)
            if not data:
                break
            reply += data
    return reply.rstrip(b"\0")
