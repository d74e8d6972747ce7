# Joins the review cycle lifecycle (0005) and the rule that open cycles' windows never overlap (0003).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('themes', '0003_cycle_windows_do_not_overlap_theme_not_its_own_mirror'),
        ('themes', '0005_review_cycle_lifecycle'),
    ]

    operations = [
    ]
