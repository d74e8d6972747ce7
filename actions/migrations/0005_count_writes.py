# Every write to the actions, their lead organisations and status updates moves the data version
# (actionplan/data_version.py). After 0004, which rebuilds the status updates' table on SQLite.

from django.db import migrations

from actionplan.data_version import CountWrites


class Migration(migrations.Migration):
    dependencies = [
        ("actionplan", "0006_data_version"),
        ("actions", "0004_status_updates_append_only"),
    ]

    operations = [
        CountWrites(table="actions_action"),
        CountWrites(table="actions_action_lead_organisations"),
        CountWrites(table="actions_statusupdate"),
    ]
