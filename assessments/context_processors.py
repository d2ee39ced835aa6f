from assessments import notifications as notification_services


def notifications(request):
    """Unread notification count for the navigation bar: one COUNT on an indexed column."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count = getattr(request, "_zi_unread_notifications", None)
    if count is None:
        count = notification_services.unread_count(user)
        request._zi_unread_notifications = count
    return {"unread_notifications": count}
