"""Generation counters: cache keys that move on when the data behind them changes.

The busiest signed-in pages (home, work queue, unit tree) cache their rendered content under
the current generations of what they show, next to the viewer's scope and the request. A write
bumps the generation (signal receivers for rows saved one by one, explicit calls in the
services that write in bulk), so the next read misses and renders afresh: a cached page is
never older than the last write that went through the portal. FRAGMENT_SECONDS bounds what a
write around the portal (raw SQL) could leave stale.

Generations:
    "units"                units, memberships and user names (unit tree, roles on the home page)
    "assessments"          assessments and periods (statuses, deadlines, who waits for what)
    "answers:<status>"     the unit's own answers of assessments in that status (progress)
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from functools import cache as once
from hashlib import sha256
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

PREFIX = "zi:gen:"
FRAGMENT_SECONDS = 300


def current(*names: str) -> tuple[int, ...]:
    """The generations, in one cache round trip. A missing counter (never set, or evicted)
    starts at the clock, so it cannot fall back to a value an old fragment was cached under."""
    keys = [PREFIX + name for name in names]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, time.time_ns(), timeout=None)
            found[key] = cache.get(key)
    return tuple(found[key] for key in keys)


def bump(*names: str) -> None:
    """Move the generations on now, and again when the current transaction commits (a read in
    between may have cached what was about to change)."""

    def move_on():
        for name in names:
            key = PREFIX + name
            try:
                cache.incr(key)
            except ValueError:  # not set yet, or evicted
                cache.add(key, time.time_ns(), timeout=None)

    move_on()
    transaction.on_commit(move_on)


def follow(model, name: str, *, except_only: frozenset[str] = frozenset()) -> None:
    """Bump `name` whenever a row of `model` is saved or deleted one by one, unless the save
    wrote only fields in `except_only` (a user's last_login at every sign-in)."""

    def changed(sender, update_fields=None, **kwargs):
        if update_fields and set(update_fields) <= except_only:
            return
        bump(name)

    for signal in (post_save, post_delete):
        signal.connect(changed, sender=model, weak=False, dispatch_uid=f"zi-gen-{name}-{model}")


@dataclass(frozen=True)
class Fragment:
    """The cache key and lifetime of a page body (templates: `{% cache fragment.seconds name
    fragment.key %}`), and of values the view computes for it (`remember`)."""

    key: str
    seconds: int = FRAGMENT_SECONDS

    def remember(self, name: str, compute):
        """`compute()`, kept beside the page body; what it raises (a 404) is not kept."""
        key = f"zi:fragment-value:{name}:{sha256(self.key.encode()).hexdigest()}"
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, self.seconds)
        return value


def fragment(request, *names: str, viewer: str) -> Fragment:
    """The fragment of a page body that shows data of the generations `names` to viewers like
    `viewer` (their scope, or the user themself), at this address (filters, page), in this
    language, today (days-left counts)."""
    return Fragment(
        repr(
            (
                release(),
                current(*names),
                viewer,
                request.get_full_path(),
                get_language(),
                date.today(),
            )
        )
    )


@once
def release() -> str:
    """This code's version, so that a new release never serves pages or values cached by the
    one before (another layout, another shape): the newest file of the source tree."""
    root = Path(settings.BASE_DIR)
    code = [root / "templates"] + [path.parent for path in root.glob("*/apps.py")]
    newest = max(
        (path.stat().st_mtime_ns, str(path.relative_to(root)))
        for top in code
        for pattern in ("*.py", "*.html")
        for path in top.rglob(pattern)
    )
    return sha256(repr(newest).encode()).hexdigest()[:12]
