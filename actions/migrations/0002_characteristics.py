from django.db import migrations

# The Equality Act 2010's nine protected characteristics, plus socio-economic disadvantage.
CHARACTERISTICS = [
    ("age", "Age"),
    ("disability", "Disability"),
    ("gender_reassignment", "Gender reassignment"),
    ("marriage_civil_partnership", "Marriage and civil partnership"),
    ("pregnancy_maternity", "Pregnancy and maternity"),
    ("race", "Race"),
    ("religion_belief", "Religion or belief"),
    ("sex", "Sex"),
    ("sexual_orientation", "Sexual orientation"),
    ("socio_economic", "Socio-economic disadvantage"),
]


def add_characteristics(apps, schema_editor):
    Characteristic = apps.get_model("actions", "Characteristic")
    for position, (code, name) in enumerate(CHARACTERISTICS, start=1):
        Characteristic.objects.update_or_create(
            code=code, defaults={"name": name, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("actions", "0001_initial")]
    operations = [migrations.RunPython(add_characteristics, migrations.RunPython.noop)]
