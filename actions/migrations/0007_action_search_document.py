"""A GIN index of the full-text document that search reads (`actions.search.search_document`), on PostgreSQL.

The expression is the one Django writes for the document, so the planner uses the index for search's full-text
condition (tests/actions/test_search.py checks it with EXPLAIN). SQLite has no full-text search: nothing to do.
"""

from django.db import migrations

INDEX = "action_search_document"
DOCUMENT = (
    "(setweight(to_tsvector('english'::regconfig, COALESCE(\"title\", '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(\"description\", '')), 'B'))"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "actions_action" USING gin ({DOCUMENT})')


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("actions", "0006_joint_signoff")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
