# Review cycles of one plan that are not closed never overlap (an exclusion constraint on PostgreSQL, which needs
# btree_gist for the plan's equality); a theme never mirrors itself.

import django.contrib.postgres.fields.ranges
import themes.constraints
from django.db import migrations, models


def refuse_overlapping_cycles(apps, schema_editor):
    """Stop with the cycles to fix, rather than fail on the constraint with a bare database error."""
    ReviewCycle = apps.get_model("themes", "ReviewCycle")
    cycles = list(ReviewCycle.objects.exclude(state="closed").order_by("plan_id", "opens_on", "id"))
    clashes = []
    for number, cycle in enumerate(cycles):
        for other in cycles[number + 1 :]:
            if other.plan_id != cycle.plan_id or other.opens_on > cycle.updates_due_on:
                continue
            clashes.append(f"{cycle.name} and {other.name} (plan {cycle.plan_id})")
    if clashes:
        raise RuntimeError(
            "These review cycles are not closed and their update windows overlap: "
            + "; ".join(clashes)
            + ". Close one of each pair or change its dates in the admin, then migrate again."
        )


def create_btree_gist(apps, schema_editor):
    # Left in place when migrating back: other constraints or indexes may use it.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")


class Migration(migrations.Migration):

    dependencies = [
        ('themes', '0002_reviewcycle_from_reviews'),
    ]

    operations = [
        migrations.RunPython(refuse_overlapping_cycles, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_btree_gist, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='reviewcycle',
            constraint=themes.constraints.PostgresExclusionConstraint(condition=models.Q(('state', 'closed'), _negated=True), expressions=[(themes.constraints.DateRange('opens_on', 'updates_due_on', django.contrib.postgres.fields.ranges.RangeBoundary(inclusive_lower=True, inclusive_upper=True)), '&&'), ('plan', '=')], name='review_cycle_windows_do_not_overlap', violation_error_message='The update window overlaps another review cycle of this plan that is not closed: change the dates, or close the other cycle first'),
        ),
        migrations.AddConstraint(
            model_name='theme',
            constraint=models.CheckConstraint(condition=models.Q(('mirrors', models.F('id')), _negated=True), name='theme_does_not_mirror_itself', violation_error_message='A theme cannot mirror itself: choose a theme of the national plan'),
        ),
    ]
