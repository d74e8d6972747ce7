# The review cycle, a dated window of a plan, moves here from the reviews app (tables and rows kept).

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


OLD, NEW = "reviews", "themes"
MODELS = ['reviewcycle', 'historicalreviewcycle']


def move_content_types(apps, schema_editor, *, old, new, models):
    """Keep admin log entries and permissions of the moved models: their content types change app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in models:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):
    move_content_types(apps, schema_editor, old=OLD, new=NEW, models=MODELS)


def backwards(apps, schema_editor):
    move_content_types(apps, schema_editor, old=NEW, new=OLD, models=MODELS)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('reviews', '0002_reviewcycle_table_to_themes'),
        ('themes', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables were renamed, with their rows, by the previous app's migration: only the state moves here.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalReviewCycle',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('name', models.CharField(help_text='For example “Q3 2021-22”.', max_length=100)),
                        ('opens_on', models.DateField(verbose_name='updates open on')),
                        ('updates_due_on', models.DateField(verbose_name='updates due by')),
                        ('board_meeting_on', models.DateField(verbose_name='board meeting on')),
                        ('state', models.CharField(choices=[('planned', 'Planned'), ('open', 'Open'), ('closed', 'Closed')], default='planned', max_length=10)),
                        ('closed_at', models.DateTimeField(blank=True, null=True)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('plan', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='themes.plan')),
                    ],
                    options={
                        'verbose_name': 'historical review cycle',
                        'verbose_name_plural': 'historical review cycles',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='ReviewCycle',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(help_text='For example “Q3 2021-22”.', max_length=100)),
                        ('opens_on', models.DateField(verbose_name='updates open on')),
                        ('updates_due_on', models.DateField(verbose_name='updates due by')),
                        ('board_meeting_on', models.DateField(verbose_name='board meeting on')),
                        ('state', models.CharField(choices=[('planned', 'Planned'), ('open', 'Open'), ('closed', 'Closed')], default='planned', max_length=10)),
                        ('closed_at', models.DateTimeField(blank=True, null=True)),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='review_cycles', to='themes.plan')),
                    ],
                    options={
                        'ordering': ['plan', '-opens_on'],
                        'get_latest_by': 'opens_on',
                        'constraints': [models.UniqueConstraint(fields=('plan', 'name'), name='review_cycle_name_unique_in_plan'), models.CheckConstraint(condition=models.Q(('opens_on__lte', models.F('updates_due_on'))), name='review_cycle_opens_before_due'), models.CheckConstraint(condition=models.Q(('updates_due_on__lte', models.F('board_meeting_on'))), name='review_cycle_due_before_meeting'), models.CheckConstraint(condition=models.Q(('state__in', ['planned', 'open', 'closed'])), name='review_cycle_state_valid')],
                    },
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
