"""The signed-in person, read from the cache instead of the database on every page.

Every page needs the user row (session authentication) and the user's memberships (roles and
scope); reading them from the shared cache saves two queries per request. Correctness does not
rest on expiry: each entry is forgotten as soon as the rows behind it change (the signal
receivers below, and `forget_user` for the few writes that bypass signals). PRINCIPAL_SECONDS
only bounds what a change made around the ORM (raw SQL, a queryset update) could leave stale.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from units.models import Membership, Unit, User


def _user_key(user_id) -> str:
    return f"zi:principal:user:{user_id}"


def _memberships_key(user_id) -> str:
    return f"zi:principal:memberships:{user_id}"


def unread_key(user_id) -> str:
    """The bell's count, kept by assessments.notifications and read here with the rest."""
    return f"zi:principal:unread:{user_id}"


def memberships(user_id: int) -> list[Membership]:
    """The user's memberships in active units, each with its unit; role then tree order."""
    key = _memberships_key(user_id)
    rows = cache.get(key)
    if rows is None:
        rows = list(
            Membership.objects.filter(user_id=user_id, unit__is_active=True)
            .select_related("unit")
            .order_by("role", "unit__path")
        )
        cache.set(key, rows, settings.ZI_PRINCIPAL_CACHE_SECONDS)
    return rows


def forget_user(*user_ids: int) -> None:
    """Drop the cached user rows and memberships."""
    _forget([key for pk in user_ids for key in (_user_key(pk), _memberships_key(pk))])


def forget_unread(*user_ids: int) -> None:
    """Drop the cached unread counts (assessments.notifications, when an inbox changes)."""
    _forget([unread_key(pk) for pk in user_ids])


def _forget(keys: list[str]) -> None:
    # Now, and again once the current transaction commits: a request that reads in between
    # must not keep the old value.
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


class CachedModelBackend(ModelBackend):
    """Django's ModelBackend whose `get_user` (once per request, for the session's user) reads
    the cache first. Password, activity and every other change to the row go through
    `User.save`, which forgets the entry, so a changed password still ends other sessions."""

    def get_user(self, user_id):
        key, memberships_key, unread = (
            _user_key(user_id),
            _memberships_key(user_id),
            unread_key(user_id),
        )
        found = cache.get_many([key, memberships_key, unread])  # one round trip for all
        user = found.get(key)
        if user is None:
            user = super().get_user(user_id)
            if user is None:
                return None
            cache.set(key, user, settings.ZI_PRINCIPAL_CACHE_SECONDS)
        if memberships_key in found:
            user._zi_memberships = found[memberships_key]  # see permissions.memberships_of
        if unread in found:
            user._zi_unread = found[unread]  # see notifications.unread_count
        return user if self.user_can_authenticate(user) else None


def _user_changed(sender, instance, **kwargs):
    forget_user(instance.pk)


def _membership_changed(sender, instance, **kwargs):
    forget_user(instance.user_id)


def _unit_changed(sender, instance, created=False, **kwargs):
    # Cached memberships hold their unit (name, activity, place in the tree); a new unit has
    # no members yet.
    if not created:
        members = Membership.objects.filter(unit__path__startswith=instance.path)
        forget_user(*set(members.values_list("user_id", flat=True)))


def connect_signals() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_user_changed, sender=User, dispatch_uid="zi-principal-user")
        signal.connect(_membership_changed, sender=Membership, dispatch_uid="zi-principal-mship")
        signal.connect(_unit_changed, sender=Unit, dispatch_uid="zi-principal-unit")
