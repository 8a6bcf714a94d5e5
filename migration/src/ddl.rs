//! Building blocks that the migrations share, so that each migration reads as a list of
//! table definitions.
//!
//! Every helper stands for the sea-query calls it replaces and produces the same SQL on
//! SQLite and PostgreSQL: changing one changes every table built with it, so a change here
//! is a schema change and wants a new migration, not an edit.

use sea_orm::{ConnectionTrait as _, DatabaseBackend};
use sea_orm_migration::{prelude::*, schema::*};

/// The definition of table `name`, to which columns and keys are added.
pub(crate) fn table<T: IntoTableRef>(name: T) -> TableCreateStatement {
    Table::create().table(name).take()
}

/// The surrogate key of a table: a 64-bit integer primary key that the database assigns.
pub(crate) fn id<C: IntoIden>(column: C) -> ColumnDef {
    big_pk_auto(column)
}

/// `version`: the optimistic-concurrency counter of a row, raised by every update of it.
pub(crate) fn version() -> ColumnDef {
    integer(Alias::new("version"))
}

/// `created_at`: when the row was inserted.
pub(crate) fn created_at() -> ColumnDef {
    timestamp_with_time_zone(Alias::new("created_at"))
}

/// `updated_at`: when the row was last changed.
pub(crate) fn updated_at() -> ColumnDef {
    timestamp_with_time_zone(Alias::new("updated_at"))
}

/// Foreign keys declared inside a table definition.
pub(crate) trait ForeignKeys {
    /// Adds `foreign_key`, whose referencing columns belong to this table.
    fn add_foreign_key(&mut self, foreign_key: ForeignKeyCreateStatement) -> &mut Self;

    /// Makes `column` of this table refer to `key` of `target`, with the database's default
    /// actions: a referenced row cannot be deleted while rows refer to it.
    fn references(
        &mut self,
        column: impl IntoIden,
        target: impl IntoTableRef,
        key: impl IntoIden,
    ) -> &mut Self {
        self.add_foreign_key(ForeignKey::create().from_col(column).to_tbl(target).to_col(key).take())
    }

    /// Makes `column` of this table refer to `key` of `target`, deleting this table's rows
    /// along with the row they refer to: for rows that belong to their parent.
    fn references_cascading(
        &mut self,
        column: impl IntoIden,
        target: impl IntoTableRef,
        key: impl IntoIden,
    ) -> &mut Self {
        self.add_foreign_key(
            ForeignKey::create()
                .from_col(column)
                .to_tbl(target)
                .to_col(key)
                .on_delete(ForeignKeyAction::Cascade)
                .take(),
        )
    }
}

impl ForeignKeys for TableCreateStatement {
    fn add_foreign_key(&mut self, mut foreign_key: ForeignKeyCreateStatement) -> &mut Self {
        if let Some(table) = self.get_table_name() {
            foreign_key.from_tbl(table.clone());
        }
        self.foreign_key(&mut foreign_key)
    }
}

/// The index `name` on `columns` of `table`, in the order given.
pub(crate) fn index<T, C>(name: &str, table: T, columns: impl IntoIterator<Item = C>) -> IndexCreateStatement
where
    T: IntoTableRef,
    C: IntoIndexColumn,
{
    let mut index = Index::create().name(name).table(table).take();
    for column in columns {
        index.col(column);
    }
    index
}

/// The unique index `name` on `columns` of `table`, in the order given.
pub(crate) fn unique_index<T, C>(
    name: &str,
    table: T,
    columns: impl IntoIterator<Item = C>,
) -> IndexCreateStatement
where
    T: IntoTableRef,
    C: IntoIndexColumn,
{
    index(name, table, columns).unique().take()
}

/// A table or index definition that can be created in the database.
pub(crate) trait Create {
    /// Creates what this statement defines, through `manager`.
    fn create_in(&mut self, manager: &SchemaManager<'_>) -> impl Future<Output = Result<(), DbErr>> + Send;
}

impl Create for TableCreateStatement {
    fn create_in(&mut self, manager: &SchemaManager<'_>) -> impl Future<Output = Result<(), DbErr>> + Send {
        manager.create_table(self.take())
    }
}

impl Create for IndexCreateStatement {
    fn create_in(&mut self, manager: &SchemaManager<'_>) -> impl Future<Output = Result<(), DbErr>> + Send {
        manager.create_index(self.take())
    }
}

/// Drops `tables`, in the order given: dependent tables first.
pub(crate) async fn drop_tables(
    manager: &SchemaManager<'_>,
    tables: impl IntoIterator<Item = DynIden>,
) -> Result<(), DbErr> {
    for table in tables {
        manager.drop_table(Table::drop().table(table).take()).await?;
    }
    Ok(())
}

/// A table whose changes raise a generation number; `columns` limits the updates that do to
/// those setting one of them (all updates when empty).
pub(crate) type Watched<'a> = (&'a str, &'a [&'a str]);

/// A generation number for `tables`: the row `counter` of `counters`, starting at 0, raised
/// by triggers in the transaction of every insert, update or delete on any of them, so that
/// an answer computed from those tables can be kept until the number moves.
///
/// SQLite has only row triggers; PostgreSQL raises the counter once per statement, so a
/// bulk insert does not update the counter row once per row. The SQL names come from the
/// migrations, never from input.
pub(crate) async fn generation(
    manager: &SchemaManager<'_>,
    counter: &str,
    tables: &[Watched<'_>],
) -> Result<(), DbErr> {
    let backend = manager.get_database_backend();
    let raise = format!("UPDATE counters SET value = value + 1 WHERE name = '{counter}'");
    let mut statements = vec![format!("INSERT INTO counters (name, value) VALUES ('{counter}', 0)")];
    if backend == DatabaseBackend::Postgres {
        statements.push(format!(
            "CREATE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {raise}; RETURN NULL; END $$",
            generation_function(counter)
        ));
    }
    let raise = &raise;
    statements.extend(tables.iter().flat_map(|&(table, columns)| {
        triggers(backend, counter, table, columns).into_iter().map(move |(name, on)| match backend {
            DatabaseBackend::Postgres => format!(
                "CREATE TRIGGER {name} AFTER {on} ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {}()",
                generation_function(counter)
            ),
            _ => format!("CREATE TRIGGER {name} AFTER {on} ON {table} BEGIN {raise}; END"),
        })
    }));
    run(manager, statements).await
}

/// Undoes [`generation`].
pub(crate) async fn drop_generation(
    manager: &SchemaManager<'_>,
    counter: &str,
    tables: &[Watched<'_>],
) -> Result<(), DbErr> {
    let backend = manager.get_database_backend();
    let mut statements: Vec<String> = tables
        .iter()
        .flat_map(|&(table, columns)| {
            triggers(backend, counter, table, columns).into_iter().map(move |(name, _)| match backend {
                DatabaseBackend::Postgres => format!("DROP TRIGGER {name} ON {table}"),
                _ => format!("DROP TRIGGER {name}"),
            })
        })
        .collect();
    if backend == DatabaseBackend::Postgres {
        statements.push(format!("DROP FUNCTION {}()", generation_function(counter)));
    }
    statements.push(format!("DELETE FROM counters WHERE name = '{counter}'"));
    run(manager, statements).await
}

/// The triggers on `table` that raise `counter`, as (name, the events they follow): one per
/// statement kind on SQLite, one for all three on PostgreSQL. Updates count only when they
/// set one of `columns`, if any are named.
fn triggers(backend: DatabaseBackend, counter: &str, table: &str, columns: &[&str]) -> Vec<(String, String)> {
    let name = |what: &str| format!("{table}_{what}{}", counter.replace('-', "_"));
    let update =
        if columns.is_empty() { "UPDATE".to_owned() } else { format!("UPDATE OF {}", columns.join(", ")) };
    match backend {
        DatabaseBackend::Postgres => vec![(name(""), format!("INSERT OR {update} OR DELETE"))],
        _ => [("insert", "INSERT".to_owned()), ("update", update), ("delete", "DELETE".to_owned())]
            .into_iter()
            .map(|(event, on)| (name(&format!("{event}_")), on))
            .collect(),
    }
}

/// The name of the PostgreSQL function raising the generation `counter`.
fn generation_function(counter: &str) -> String {
    format!("raise_{}", counter.replace('-', "_"))
}

/// Runs `statements` in order.
async fn run(manager: &SchemaManager<'_>, statements: Vec<String>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    for statement in statements {
        db.execute_unprepared(&statement).await?;
    }
    Ok(())
}

/// The body of a migration that adds one generation number (see [`generation`]): `counter`,
/// raised by `tables`. Its module keeps its own `Migration` struct, whose name is the file's.
macro_rules! generation_migration {
    ($counter:expr, $tables:expr) => {
        #[async_trait::async_trait]
        impl MigrationTrait for Migration {
            async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
                $crate::ddl::generation(manager, $counter, $tables).await
            }

            async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
                $crate::ddl::drop_generation(manager, $counter, $tables).await
            }
        }
    };
}
pub(crate) use generation_migration;
