# The reminder now belongs to the notifications app: drop it from this app's state only (its table stays).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("actionplan", "0003_reminder_table_to_notifications"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Reminder")]),
    ]
