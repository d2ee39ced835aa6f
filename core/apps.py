from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"

    def ready(self):
        from core import (  # noqa: F401
            metrics,  # the metrics' deploy check
            ratelimits,  # the shared-cache deploy check
            task_signals,  # Celery tasks' log lines and metrics
        )
