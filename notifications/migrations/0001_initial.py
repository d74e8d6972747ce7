# The reminder moves here from the actionplan app (table and rows kept).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


OLD, NEW = "actionplan", "notifications"
MODELS = ['reminder']


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

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('actionplan', '0003_reminder_table_to_notifications'),
        ('actions', '0002_alter_statusupdate_review_cycle'),
        ('themes', '0002_reviewcycle_from_reviews'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables were renamed, with their rows, by the previous app's migration: only the state moves here.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Reminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('overdue', 'Action overdue'), ('escalation', 'Action escalated'), ('update_overdue', 'Update overdue'), ('update_due', 'Update due'), ('due_soon', 'Action due soon'), ('cycle_opens', 'Review cycle opens'), ('board_meeting', 'Board meeting coming')], max_length=20)),
                        ('occasion', models.CharField(max_length=40)),
                        ('due_on', models.DateField()),
                        ('state', models.CharField(choices=[('pending', 'Pending'), ('claimed', 'Queued'), ('sending', 'Sending'), ('sent', 'Sent'), ('failed', 'Failed')], default='pending', max_length=10)),
                        ('claim', models.UUIDField(blank=True, editable=False, null=True)),
                        ('claimed_at', models.DateTimeField(blank=True, null=True)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('last_error', models.TextField(blank=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('action', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='actions.action')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to=settings.AUTH_USER_MODEL)),
                        ('review_cycle', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='themes.reviewcycle')),
                    ],
                    options={
                        'ordering': ['-due_on', '-id'],
                        'indexes': [models.Index(fields=['state', 'claimed_at'], name='reminder_state_claimed'), models.Index(fields=['claim'], name='reminder_claim'), models.Index(fields=['recipient', '-due_on'], name='reminder_recipient_recent')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('action__isnull', False)), fields=('recipient', 'kind', 'action', 'occasion'), name='reminder_once_per_action_occasion'), models.UniqueConstraint(condition=models.Q(('review_cycle__isnull', False)), fields=('recipient', 'kind', 'review_cycle', 'occasion'), name='reminder_once_per_cycle_occasion'), models.CheckConstraint(condition=models.Q(models.Q(('action__isnull', False), ('kind__in', ['overdue', 'escalation', 'due_soon']), ('review_cycle__isnull', True)), models.Q(('action__isnull', True), ('kind__in', ['update_overdue', 'update_due', 'cycle_opens', 'board_meeting']), ('review_cycle__isnull', False)), _connector='OR'), name='reminder_item_matches_kind'), models.CheckConstraint(condition=models.Q(('state__in', ['pending', 'claimed', 'sending', 'sent', 'failed'])), name='reminder_state_valid'), models.CheckConstraint(condition=models.Q(models.Q(('state', 'sent'), _negated=True), ('sent_at__isnull', False), _connector='OR'), name='reminder_sent_has_time')],
                    },
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
