from django.db import migrations

from actions.characteristics import CHARACTERISTICS


def add_characteristics(apps, schema_editor):
    Characteristic = apps.get_model("actions", "Characteristic")
    for position, (code, name) in enumerate(CHARACTERISTICS, start=1):
        Characteristic.objects.update_or_create(
            code=code, defaults={"name": name, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("actions", "0002_initial")]
    operations = [migrations.RunPython(add_characteristics, migrations.RunPython.noop)]
