"""A person's active sessions (issue 20 part 5): the index from person to session keys, the
"Sesi aktif" page's reads, and ending sessions, from that page or when an admin changes the
person's roles or deactivates them.

Sessions are stored cached_db (settings.SESSION_ENGINE), which cannot be searched by user, so
each session of a signed-in person has a units.models.UserSession row: written at login
(Django's user_logged_in, which force_login and every login view send), caught up by
SessionIndexMiddleware for a session that began before the index existed, its last_seen_at moved
forward at most every five minutes (as IdleSessionMiddleware moves the expiry), removed at
logout. Ending a session deletes its row in the same transaction as the change that ends it,
and the stored session once that transaction committed (a rolled-back role change signs no
one out).
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import audit
from core.ratelimits import client_ip
from units.models import User, UserSession

# How often a session's expiry (IdleSessionMiddleware) and its row's last_seen_at move on.
REFRESH_EVERY_SECONDS = 300
INDEXED = "_zi_indexed"  # the session key the row was written for (a cycled key is re-indexed)
SEEN = "_zi_seen"

AUDIT_ACTIONS = {"zi.sessions.ended": _("Sesi pengguna diakhiri")}


def _store(session_key: str):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


# --- the index ---


def _device(user_agent: str) -> str:
    """The browser and system ("Firefox · Windows"): enough to tell devices apart."""
    browsers = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
                ("Chrome/", "Chrome"), ("Safari/", "Safari")]  # fmt: skip
    systems = [("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
               ("Windows", "Windows"), ("Mac OS", "macOS"), ("Linux", "Linux")]  # fmt: skip
    browser = next((name for mark, name in browsers if mark in user_agent), "")
    system = next((name for mark, name in systems if mark in user_agent), "")
    label = " · ".join(part for part in (browser, system) if part)
    return label or re.sub(r"\s+", " ", user_agent)[:80]


def session_index(request, user: User) -> None:
    """Write the row of the request's session (at login, or for a session not indexed yet)."""
    session = request.session
    if session.session_key is None:
        session.save()
    now = timezone.now()
    # The person's rows of sessions that lapsed without a logout (idle, closed browser) go.
    UserSession.objects.filter(
        user=user, last_seen_at__lt=now - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    ).delete()
    ip = client_ip(request)
    UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "created_at": now,
            "last_seen_at": now,
            "ip": None if ip == "0.0.0.0" else ip,  # noqa: S104  (client_ip's "unknown")
            "user_agent": _device(request.META.get("HTTP_USER_AGENT", ""))[:200],
        },
    )
    session[INDEXED] = session.session_key
    session[SEEN] = int(time.time())


def on_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        session_index(request, user)


def on_logout(sender, request, user, **kwargs) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key).delete()


class SessionIndexMiddleware:
    """Keeps the row of a signed-in person's session: written once per session key, its last
    activity moved forward at most every five minutes (no write per page view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            session = request.session
            now = int(time.time())
            if session.get(INDEXED) != session.session_key:
                session_index(request, user)
            elif now - session.get(SEEN, 0) >= REFRESH_EVERY_SECONDS:
                session[SEEN] = now
                UserSession.objects.filter(session_key=session.session_key).update(
                    last_seen_at=timezone.now()
                )
        return self.get_response(request)


# --- reads ---


def sessions_of(user: User) -> QuerySet[UserSession]:
    """The person's sessions still alive, newest activity first: active within the idle limit
    and still stored (cached_db writes every session through to the database, so a session
    ended elsewhere, by the idle or absolute limit or `clearsessions`, drops out; a subquery,
    no query more)."""
    now = timezone.now()
    stored = Session.objects.filter(expire_date__gt=now).values("session_key")
    idle = now - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    return UserSession.objects.filter(
        user=user, last_seen_at__gte=idle, session_key__in=stored
    ).order_by("-last_seen_at", "-pk")


# --- ending sessions ---


def _end(rows: QuerySet[UserSession], *, person: User, by: User | None, reason: str) -> int:
    with transaction.atomic():
        keys = list(rows.values_list("session_key", flat=True))
        if not keys:
            return 0
        UserSession.objects.filter(session_key__in=keys).delete()
        audit.record("zi.sessions.ended", person, by=by, reason=reason, count=len(keys))

        def delete_stored():
            for key in keys:
                _store(key).delete()  # the cached copy and the database row

        transaction.on_commit(delete_stored)
    return len(keys)


def session_end(*, session: UserSession, by: User) -> None:
    """A person ends one of their own sessions (the view found it among theirs)."""
    _end(UserSession.objects.filter(pk=session.pk), person=session.user, by=by, reason="own")


def sessions_end_others(*, user: User, keep_key: str | None) -> int:
    """A person ends every session of theirs but the one they are using."""
    rows = UserSession.objects.filter(user=user).exclude(session_key=keep_key or "")
    return _end(rows, person=user, by=user, reason="own_others")


def sessions_end_all(*, user: User, by: User | None, reason: str) -> int:
    """Every session of the person: their roles changed (they sign in again and get the new
    ones in a fresh session) or their account was deactivated."""
    return _end(UserSession.objects.filter(user=user), person=user, by=by, reason=reason)


def sessions_end_deactivated(*, user: User, by: User | None) -> None:
    """units.services.ON_DEACTIVATE entry."""
    sessions_end_all(user=user, by=by, reason="deactivated")
