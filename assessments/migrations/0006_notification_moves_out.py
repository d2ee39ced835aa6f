"""Notifications become their own app (notifications.Notification). The table stays as it is
and is taken over by notifications/0001; only the unused link to the assessment is dropped."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("assessments", "0005_audit_history")]

    operations = [
        migrations.RemoveField(model_name="notification", name="assessment"),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
        ),
    ]
