# Every write to the plans, their themes and review cycles moves the data version (actionplan/data_version.py).

from django.db import migrations

from actionplan.data_version import CountWrites


class Migration(migrations.Migration):
    dependencies = [
        ("actionplan", "0006_data_version"),
        ("themes", "0003_constraint_messages"),
    ]

    operations = [
        CountWrites(table="themes_plan"),
        CountWrites(table="themes_theme"),
        CountWrites(table="themes_reviewcycle"),
    ]
