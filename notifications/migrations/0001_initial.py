"""Takes over the table assessments/0006 let go of (no change in the database), then gives it
this app's name."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("assessments", "0006_notification_moves_out"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=40, verbose_name="jenis")),
                        ("title", models.CharField(max_length=200, verbose_name="judul")),
                        ("body", models.TextField(blank=True, verbose_name="isi")),
                        ("url", models.CharField(blank=True, max_length=300)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        ("dedupe_key", models.CharField(blank=True, max_length=120)),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="notifications", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "notifikasi",
                        "verbose_name_plural": "notifikasi",
                        "ordering": ["-created_at", "-pk"],
                        "db_table": "assessments_notification",
                        "indexes": [models.Index(fields=["user", "read_at"], name="notification_user_unread")],
                        "constraints": [models.UniqueConstraint(condition=models.Q(("dedupe_key", ""), _negated=True), fields=("user", "dedupe_key"), name="notification_unique_dedupe")],
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name="notification", table=None),
    ]
