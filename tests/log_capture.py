"""The portal's production log handler (JSON lines, core/logs.py) writing into a buffer, for
the tests that read what a request or a task wrote."""

import io
import json
import logging

import pytest

from core.logs import ContextFilter, JsonFormatter


class JsonLines:
    def __init__(self):
        self.buffer = io.StringIO()
        self.handler = logging.StreamHandler(self.buffer)
        self.handler.setFormatter(JsonFormatter())
        self.handler.addFilter(ContextFilter())

    @property
    def text(self) -> str:
        return self.buffer.getvalue()

    def lines(self, logger: str | None = None) -> list[dict]:
        parsed = [json.loads(line) for line in self.text.splitlines() if line.strip()]
        return [line for line in parsed if logger is None or line["logger"] == logger]


@pytest.fixture
def json_log():
    """Every record that reaches the root logger, as the production handler writes it."""
    capture = JsonLines()
    root = logging.getLogger()
    previous = root.level
    root.addHandler(capture.handler)
    root.setLevel(logging.INFO)
    yield capture
    root.removeHandler(capture.handler)
    root.setLevel(previous)
