//! A generation number for the published outlets: the counter `outlets-changed`, raised by
//! the database itself in the transaction of every insert, update or delete of an outlet or
//! of its tags, whichever code path writes them.
//!
//! Counts that are costly to make and the same for every caller (coverage) are kept in
//! memory with the generation and the date they were made for, and made again when either
//! has moved: one cheap read tells a kept answer from a stale one, on every replica.
//!
//! SQLite has only row triggers; PostgreSQL raises the counter once per statement, so a
//! bulk insert of tags does not update the counter row once per tag.

use sea_orm::{ConnectionTrait, DatabaseBackend};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The counter's name in `counters`.
const COUNTER: &str = "outlets-changed";
const TABLES: [&str; 2] = ["outlets", "outlet_tags"];
const EVENTS: [&str; 3] = ["INSERT", "UPDATE", "DELETE"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(&format!("INSERT INTO counters (name, value) VALUES ('{COUNTER}', 0)")).await?;
        let raise = format!("UPDATE counters SET value = value + 1 WHERE name = '{COUNTER}'");
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(&format!(
                    "CREATE FUNCTION raise_outlets_changed() RETURNS trigger LANGUAGE plpgsql AS $$ \
                     BEGIN {raise}; RETURN NULL; END $$"
                ))
                .await?;
                for table in TABLES {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE ON {table} \
                         FOR EACH STATEMENT EXECUTE FUNCTION raise_outlets_changed()"
                    ))
                    .await?;
                }
            }
            _ => {
                for table in TABLES {
                    for event in EVENTS {
                        db.execute_unprepared(&format!(
                            "CREATE TRIGGER {table}_{}_changed AFTER {event} ON {table} BEGIN {raise}; END",
                            event.to_lowercase()
                        ))
                        .await?;
                    }
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                for table in TABLES {
                    db.execute_unprepared(&format!("DROP TRIGGER {table}_changed ON {table}")).await?;
                }
                db.execute_unprepared("DROP FUNCTION raise_outlets_changed()").await?;
            }
            _ => {
                for table in TABLES {
                    for event in EVENTS {
                        let name = format!("{table}_{}_changed", event.to_lowercase());
                        db.execute_unprepared(&format!("DROP TRIGGER {name}")).await?;
                    }
                }
            }
        }
        db.execute_unprepared(&format!("DELETE FROM counters WHERE name = '{COUNTER}'")).await?;
        Ok(())
    }
}
