"""Virus scanning through clamd (CLAMAV_URL, INSTREAM protocol), against a fake clamd on the
loopback interface: an infected file is refused, a clean one stored as clean, and when the
scanner is down the file is kept as pending."""

import socket
import struct
import threading

import pytest
from django.urls import reverse

from assessments.evidence.intake import clamd_instream
from assessments.models import Evidence
from core.errors import EvidenceError
from tests.assessments.test_evidence_files import (  # noqa: F401 (fixtures)
    make_pdf,
    open_assessment_fixture,
    put,
    stored_files,
)

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class FakeClamd:
    """Answers INSTREAM like clamd: FOUND when the stream holds the EICAR test string."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(10)
        self.url = f"tcp://127.0.0.1:{self.server.getsockname()[1]}"
        self.received = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _read_exact(self, conn, n):
        data = b""
        while len(data) < n:
            chunk = conn.recv(n - len(data))
            if not chunk:
                raise ConnectionError
            data += chunk
        return data

    def _serve(self):
        try:
            while True:
                conn, _ = self.server.accept()
                with conn:
                    assert self._read_exact(conn, 10) == b"zINSTREAM\0"
                    stream = b""
                    while size := struct.unpack(">I", self._read_exact(conn, 4))[0]:
                        stream += self._read_exact(conn, size)
                    self.received.append(stream)
                    found = EICAR in stream
                    conn.sendall(b"stream: Eicar-Signature FOUND\0" if found else b"stream: OK\0")
        except OSError:
            return

    def close(self):
        self.server.close()


@pytest.fixture
def clamd(settings):
    fake = FakeClamd()
    settings.CLAMAV_URL = fake.url
    yield fake
    fake.close()


def test_clamd_protocol(clamd):
    assert clamd_instream(clamd.url, [b"%PDF-1.4 ", b"clean"]) is None
    assert clamd_instream(clamd.url, [EICAR[:20], EICAR[20:]]) == "Eicar-Signature"
    assert clamd.received[0] == b"%PDF-1.4 clean"


def test_infected_upload_is_refused_and_not_stored(clamd, storage, open_assessment, personas):
    with pytest.raises(EvidenceError, match="virus"):
        put(open_assessment, personas["operator"], "a.pdf", make_pdf(EICAR))
    assert not Evidence.objects.exists() and stored_files(storage) == []
    clean = put(open_assessment, personas["operator"], "b.pdf", make_pdf())
    assert clean.scan_status == "clean"


def test_scanner_down_keeps_the_file_pending(settings, storage, open_assessment, personas):
    unused = socket.create_server(("127.0.0.1", 0))
    port = unused.getsockname()[1]
    unused.close()
    settings.CLAMAV_URL = f"tcp://127.0.0.1:{port}"
    item = put(open_assessment, personas["operator"], "a.pdf", make_pdf())
    assert item.scan_status == "pending"


def test_infected_file_is_not_served(storage, open_assessment, personas, client_for):
    item = put(open_assessment, personas["operator"], "a.pdf", make_pdf())
    Evidence.objects.filter(pk=item.pk).update(scan_status="infected")
    url = reverse("assessments:evidence_download", args=[open_assessment.pk, item.pk])
    assert client_for("operator").get(url).status_code == 403
