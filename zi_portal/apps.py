from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project package as an app, only to register project-wide system checks."""

    name = "zi_portal"
    verbose_name = "ZI Portal"

    def ready(self):
        from zi_portal import ratelimits  # noqa: F401  (registers the shared-cache deploy check)
