"""The data version: one number that moves forward, in the writing transaction, on every write to the tables that
count it. A cache keyed by it (the board's dashboard) is never stale, whatever made the write: the services, the
admin, `QuerySet.update()`, a cascade, raw SQL or a data restore.

Database triggers move it, so no write path can forget to: on PostgreSQL one statement-level trigger per table
(INSERT, UPDATE, DELETE and TRUNCATE); on SQLite, which only has row-level triggers, one trigger per table and
kind of write. Each app counts the writes to its own tables with the `CountWrites` migration operation, so the
triggers are created by `migrate` on both databases and a lower app never names a higher one's tables.

The trigger writes the one row of `actionplan.DataVersion`, which is locked until the writing transaction ends:
a reader sees the new number exactly when it can see the new data. The number becomes the greater of the old
number plus one and the clock in microseconds, so it never comes back to a number it had before, even after a
backup taken earlier is restored over the database.

On SQLite a later migration that alters a table (SQLite copies the table into a new one to alter most columns)
drops its triggers: `recount_rebuilt_tables`, run after every `migrate`, creates them again.
tests/reviews/test_dashboard_cache.py checks that every table the board reads has its triggers.
"""

from __future__ import annotations

from django.db.migrations.operations.base import Operation

FUNCTION = "actionplan_data_version_bump"
# The same trigger name on every table (PostgreSQL names triggers per table); SQLite's names carry the table.
TRIGGER = "data_version"
SQLITE_EVENTS = ("insert", "update", "delete")


def _version_table(state) -> str:
    return state.apps.get_model("actionplan", "DataVersion")._meta.db_table


def postgresql_install(*, table: str, version_table: str, quote) -> list[str]:
    return [
        f"""
        CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO {quote(version_table)} (id, value)
            VALUES (1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)
            ON CONFLICT (id) DO UPDATE
            SET value = GREATEST({quote(version_table)}.value + 1, EXCLUDED.value);
            RETURN NULL;
        END;
        $$
        """,
        f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quote(table)}",
        f"""
        CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {quote(table)}
        FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()
        """,
    ]


def postgresql_uninstall(*, table: str, quote) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quote(table)}",
        # The function goes with the last trigger that uses it.
        f"""
        DO $$ BEGIN
            IF to_regproc('{FUNCTION}') IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgfoid = '{FUNCTION}'::regproc) THEN
                DROP FUNCTION {FUNCTION}();
            END IF;
        END $$
        """,
    ]


def sqlite_trigger_name(table: str, event: str) -> str:
    return f"{TRIGGER}_{table}_{event}"


def sqlite_install(*, table: str, version_table: str, quote) -> list[str]:
    # julianday('now') is fixed for the whole statement, in milliseconds: the "+ 1" orders writes within one.
    now_microseconds = "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)"
    return [
        f"""
        CREATE TRIGGER IF NOT EXISTS {quote(sqlite_trigger_name(table, event))}
        AFTER {event.upper()} ON {quote(table)}
        BEGIN
            INSERT INTO {quote(version_table)} (id, value) VALUES (1, {now_microseconds})
            ON CONFLICT (id) DO UPDATE SET value = max({quote(version_table)}.value + 1, excluded.value);
        END
        """
        for event in SQLITE_EVENTS
    ]


def sqlite_uninstall(*, table: str, quote) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {quote(sqlite_trigger_name(table, event))}" for event in SQLITE_EVENTS]


def install(schema_editor, *, table: str, version_table: str) -> None:
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        statements = postgresql_install(table=table, version_table=version_table, quote=quote)
    elif connection.vendor == "sqlite":
        statements = sqlite_install(table=table, version_table=version_table, quote=quote)
    else:
        raise NotImplementedError(f"No data version triggers for {connection.vendor}")
    for sql in statements:
        schema_editor.execute(sql, params=None)


def uninstall(schema_editor, *, table: str) -> None:
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        statements = postgresql_uninstall(table=table, quote=quote)
    elif connection.vendor == "sqlite":
        statements = sqlite_uninstall(table=table, quote=quote)
    else:
        raise NotImplementedError(f"No data version triggers for {connection.vendor}")
    for sql in statements:
        schema_editor.execute(sql, params=None)


class CountWrites(Operation):
    """Migration operation: every write to `table` moves the data version (PostgreSQL and SQLite).

    Runs in the app that owns the table, after `actionplan`'s migration that creates `DataVersion`.
    """

    reversible = True
    reduces_to_sql = True

    def __init__(self, table: str) -> None:
        self.table = table

    def deconstruct(self):
        return (self.__class__.__qualname__, [], {"table": self.table})

    def state_forwards(self, app_label, state) -> None:
        pass  # triggers are not part of the models' state

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        install(schema_editor, table=self.table, version_table=_version_table(to_state))

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        uninstall(schema_editor, table=self.table)

    def describe(self) -> str:
        return f"Count every write to {self.table} in the data version"

    @property
    def migration_name_fragment(self) -> str:
        return f"count_writes_{self.table}"


def recount_rebuilt_tables(*, using: str, plan=None, **kwargs) -> None:
    """After `migrate`, count again the writes to tables that lost their triggers (post_migrate handler).

    SQLite alters most columns by copying the table into a new one, which drops its triggers (PostgreSQL keeps
    them through every ALTER TABLE). The tables counted are those of the applied `CountWrites` operations.
    """
    from django.db import connections
    from django.db.migrations.loader import MigrationLoader

    connection = connections[using]
    if not plan:
        return  # a flush (plan is None), or nothing migrated: no table was rebuilt
    loader = MigrationLoader(connection)
    wanted = {
        operation.table
        for key in loader.applied_migrations
        if key in loader.graph.nodes
        for operation in loader.graph.nodes[key].operations
        if isinstance(operation, CountWrites)
    }
    missing = (wanted & set(connection.introspection.table_names())) - counted_tables(connection)
    if not missing:
        return
    from .models import DataVersion

    with connection.schema_editor() as schema_editor:
        for table in sorted(missing):
            install(schema_editor, table=table, version_table=DataVersion._meta.db_table)


def counted_tables(connection) -> set[str]:
    """The tables whose writes move the data version, read from the database's own catalogue."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                """
                SELECT c.relname FROM pg_trigger t
                JOIN pg_class c ON c.oid = t.tgrelid
                JOIN pg_proc p ON p.oid = t.tgfoid
                WHERE t.tgname = %s AND p.proname = %s AND NOT t.tgisinternal AND t.tgenabled <> 'D'
                  AND pg_table_is_visible(c.oid)
                """,
                [TRIGGER, FUNCTION],
            )
            return {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        names: dict[str, set[str]] = {}
        for table, name in cursor.fetchall():
            names.setdefault(table, set()).add(name)
        return {
            table
            for table, triggers in names.items()
            if all(sqlite_trigger_name(table, event) in triggers for event in SQLITE_EVENTS)
        }
