# The dashboard and the board pack read closed cycles' snapshots: a write to them moves the data version
# (actionplan/data_version.py), as writes to the other tables the board reads do.

from django.db import migrations

from actionplan.data_version import CountWrites


class Migration(migrations.Migration):
    dependencies = [
        ("actionplan", "0006_data_version"),
        ("reviews", "0005_explicit_times"),
    ]

    operations = [
        CountWrites(table="reviews_actionsnapshot"),
    ]
