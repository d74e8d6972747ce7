"""Search's full-text document as a stored column, with the GIN index on it, on PostgreSQL.

The index of 0007 was on the document's expression. For a common word (a third of the plans' actions) the planner
preferred reading the table to the index, and built every action's document on the way: 40 ms at 1,500 actions.
Stored (a generated column, kept by PostgreSQL whenever a title or description is written), the document costs
nothing to read either way. The column is not a field of the model: only search's SQL reads it
(`actions.search.TEXT_MATCHES`). SQLite has no full-text search: nothing to do.
"""

from django.db import migrations

COLUMN = "search_document"
INDEX = "action_search_document"
DOCUMENT = (
    "(setweight(to_tsvector('english'::regconfig, COALESCE(\"title\", '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(\"description\", '')), 'B'))"
)


def store_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')
        schema_editor.execute(
            f'ALTER TABLE "actions_action" ADD COLUMN "{COLUMN}" tsvector GENERATED ALWAYS AS {DOCUMENT} STORED'
        )
        schema_editor.execute(f'CREATE INDEX "{INDEX}" ON "actions_action" USING gin ("{COLUMN}")')


def index_expression(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')
        schema_editor.execute(f'ALTER TABLE "actions_action" DROP COLUMN IF EXISTS "{COLUMN}"')
        schema_editor.execute(f'CREATE INDEX "{INDEX}" ON "actions_action" USING gin ({DOCUMENT})')


class Migration(migrations.Migration):
    dependencies = [("actions", "0010_local_not_applicable_and_national_changes")]

    operations = [migrations.RunPython(store_document, index_expression, elidable=False)]
