# The review cycle moves to the themes app (it is a dated window of a plan). Its tables are renamed here, with
# their rows; themes 0002 takes the model into its state and reviews 0003 drops it from this app's state.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="reviewcycle", table="themes_reviewcycle"),
        migrations.AlterModelTable(name="historicalreviewcycle", table="themes_historicalreviewcycle"),
    ]
