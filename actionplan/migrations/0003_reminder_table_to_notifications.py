# The reminder moves to the notifications app: its review cycle now lives in themes, and its table is renamed
# here, with its rows; notifications 0001 takes the model into its state and 0004 drops it from this app's state.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("actionplan", "0002_reminder"),
        ("themes", "0002_reviewcycle_from_reviews"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reminder",
            name="review_cycle",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reminders",
                to="themes.reviewcycle",
            ),
        ),
        migrations.AlterModelTable(name="reminder", table="notifications_reminder"),
    ]
