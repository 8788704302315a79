from django.db import migrations

from config.roles import sync_roles


def create_roles(apps, schema_editor):
    sync_roles(apps)


class Migration(migrations.Migration):
    # The four role groups hold permissions on every app's models, so this runs after them all.
    dependencies = [
        ("reporting", "0001_initial"),
        ("config", "0001_initial"),
        ("strands", "0001_initial"),
        ("actions", "0003_characteristics"),
        ("targets", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
