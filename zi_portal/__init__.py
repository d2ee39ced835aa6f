"""The project: settings, URLs, the Celery app and WSGI/ASGI; nothing of the domain."""

from zi_portal.celery import app as celery_app

__all__ = ("celery_app",)
