from functools import cache

from notifications import selectors


def notifications(request):
    """The bell's unread count, read when the layout shows it (a partial page for htmx never
    does) and then once per request: one COUNT on an indexed column."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count = getattr(request, "_zi_unread_notifications", None)
    if count is None:
        count = request._zi_unread_notifications = cache(lambda: selectors.unread_count(user))
    return {"unread_notifications": count}  # templates call it: {{ unread_notifications }}
