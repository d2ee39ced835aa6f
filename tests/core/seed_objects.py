"""Seeds stored objects into whatever database and storage the settings point at: run by
tests/core/test_backup_restore.py in a `manage.py shell` of the database under test.

    python manage.py shell -c "from tests.core.seed_objects import seed; seed(12)"
"""

import hashlib
import os

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from assessments.models import Assessment, Evidence, EvidenceKind
from reports.models import Letterhead
from units.models import User


def seed(count: int, size: int = 4096) -> None:
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    assessments = list(Assessment.objects.order_by("pk")[:3])
    for i in range(count):
        data = b"%PDF-1.4\n" + os.urandom(size + i)
        key = default_storage.save(f"evidence/2026/12/seed-{i:03d}.pdf", ContentFile(data))
        Evidence.objects.create(
            assessment=assessments[i % len(assessments)],
            kind=EvidenceKind.PIAGAM,
            file=key,
            original_name=f"piagam {i}.pdf",
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            content_type="application/pdf",
            scan_status="clean",
            uploaded_by=admin,
        )
    logo = default_storage.save("letterhead/logo.png", ContentFile(os.urandom(512)))
    Letterhead.objects.update_or_create(singleton=1, defaults={"logo": logo, "lines": "Kemenag"})
