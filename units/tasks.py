from celery import shared_task


@shared_task(name="units.ping")
def ping(value: str) -> str:
    """A round-trip probe: proves a worker is consuming the broker (used by tests and ops)."""
    return f"pong:{value}"
