# The review cycle now belongs to the themes app: drop it from this app's state only (its tables stay).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("actionplan", "0004_reminder_moved_to_notifications"),
        ("actions", "0002_alter_statusupdate_review_cycle"),
        ("reviews", "0002_reviewcycle_table_to_themes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="reviewcycle", name="plan"),
                migrations.DeleteModel(name="HistoricalReviewCycle"),
                migrations.DeleteModel(name="ReviewCycle"),
            ]
        ),
    ]
