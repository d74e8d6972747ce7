# The board pack shows a closed cycle's decisions and minutes and is cached under the data version, so writes to
# their tables move it as writes to the other tables the board reads do (see actionplan/data_version.py).

from django.db import migrations

from actionplan.data_version import CountWrites


class Migration(migrations.Migration):

    dependencies = [
        ("actionplan", "0006_data_version"),
        ("reviews", "0012_published_revisions_kept"),
    ]

    operations = [
        CountWrites(table="reviews_boarddecision"),
        CountWrites(table="reviews_boardminutes"),
    ]
