"""Version 1 of the IKM (PermenPAN-RB 14/2017), SPKP and SPAK instruments, published."""

from django.db import migrations


def load(apps, schema_editor):
    # The shipped file is data; the loader is idempotent (kinds already present are left) and
    # works on this migration's historical models.
    from surveys.instruments import load_shipped

    load_shipped(
        instrument_model=apps.get_model("surveys", "Instrument"),
        question_model=apps.get_model("surveys", "InstrumentQuestion"),
    )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
