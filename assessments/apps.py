from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"

    def ready(self):
        from assessments import notifications
        from assessments.models import Assessment, Notification, Period
        from zi_portal import generations

        for model in (Assessment, Period):
            generations.follow(model, "assessments")

        # The cached unread count also follows rows saved one by one (the admin, factories).
        for signal in (post_save, post_delete):
            signal.connect(
                notifications.notification_saved, sender=Notification, dispatch_uid="zi-unread"
            )
