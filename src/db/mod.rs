//! Storage: the connection, migrations, write transactions and versioned updates, for
//! SQLite and PostgreSQL; how database errors become [`AppError`]s; and, in [`mapping`],
//! how stored rows become domain values and back.

pub mod mapping;
pub mod moving;
mod versioned;

pub use versioned::{Versioned, versioned_update};

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    DbErr, EntityTrait, PrimaryKeyTrait, SqlErr, SqliteTransactionMode, Statement, TransactionOptions,
    TransactionTrait,
};

use crate::config::Settings;
use crate::error::AppError;

/// Statements executed on a pool: for tests that check how many statements a request
/// costs, and for the slow-statement log.
#[derive(Debug, Default)]
pub struct DbStats {
    statements: AtomicU64,
}

impl DbStats {
    /// Statements executed so far.
    pub fn statements(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }
}

/// Statements slower than this are logged (their SQL, never their values).
const SLOW_STATEMENT: Duration = Duration::from_millis(250);

/// The database as the application holds it: a pool for reads, and the connections that
/// writes take turns on.
///
/// On PostgreSQL both are one pool. SQLite lets one writer at a time in, so its writes get a
/// pool of one connection: a writer waits for its turn in the pool's queue, in order,
/// rather than in SQLite's busy handler, which sleeps and retries. Its reads get a pool of
/// read-only connections that never wait for a writer (WAL); one that tried to write would
/// fail at once.
#[derive(Clone)]
pub struct Pools {
    pub read: DatabaseConnection,
    pub write: DatabaseConnection,
    pub stats: Arc<DbStats>,
}

/// Which of the [`Pools`] a connection serves.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    Read,
    Write,
}

/// Opens the pools. A SQLite file runs in WAL mode with `synchronous = NORMAL`, foreign keys
/// on and a busy timeout; its folder is created if missing.
///
/// # Errors
/// When the folder cannot be created or the database cannot be reached.
pub async fn connect(settings: &Settings) -> anyhow::Result<Pools> {
    let url = settings.database_url();
    let on_sqlite = url.starts_with("sqlite:");
    if on_sqlite && settings.database_url.is_none() {
        std::fs::create_dir_all(&settings.data_dir)
            .with_context(|| format!("cannot create data folder {}", settings.data_dir.display()))?;
    }
    let stats = Arc::new(DbStats::default());
    // The writer first: it creates the file and puts it in WAL mode, which readers need.
    let write = open(settings, Use::Write, &stats).await?;
    let read = if on_sqlite { open(settings, Use::Read, &stats).await? } else { write.clone() };
    Ok(Pools { read, write, stats })
}

/// Opens one pool for `use_`, counting its statements in `stats`.
async fn open(settings: &Settings, use_: Use, stats: &Arc<DbStats>) -> anyhow::Result<DatabaseConnection> {
    let deadline = Duration::from_secs(settings.request_timeout_seconds.max(1));
    let statement_timeout = format!("{}s", deadline.as_secs());
    let mut options = ConnectOptions::new(settings.database_url());
    let on_sqlite = settings.database_url().starts_with("sqlite:");
    let connections = if on_sqlite && use_ == Use::Write { 1 } else { settings.max_db_connections };
    options
        .max_connections(connections)
        .acquire_timeout(Duration::from_millis(settings.db_acquire_timeout_ms.max(1)))
        .sqlx_logging(false)
        // No statement outlives the request that sent it.
        .map_sqlx_postgres_opts(move |opts| opts.options([("statement_timeout", statement_timeout.as_str())]))
        .map_sqlx_sqlite_opts(move |opts| {
            let opts = opts.busy_timeout(Duration::from_secs(5));
            match use_ {
                Use::Write => opts
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true),
                Use::Read => opts.read_only(true),
            }
        })
        // SQLite has no statement timeout: a progress handler interrupts whatever a
        // connection runs once the deadline has passed since it left the pool.
        .map_sqlx_sqlite_pool_opts(move |pool| {
            pool.after_connect(move |conn, _| Box::pin(interrupt_after(conn, deadline))).before_acquire(
                move |conn, _| Box::pin(async move { interrupt_after(conn, deadline).await.map(|()| true) }),
            )
        });
    // A connection leaves the pool unpinged: a ping before every statement was a round trip
    // to PostgreSQL (on SQLite a hop to the driver's thread) for each one. Only a PostgreSQL
    // connection idle long enough for the server, a proxy or a firewall to have dropped it
    // is pinged first.
    if on_sqlite {
        options.test_before_acquire(false);
    } else {
        options.test_before_acquire_if_idle_for(IDLE_BEFORE_PING);
    }
    let mut db = Database::connect(options).await.context("cannot connect to the database")?;
    let counter = stats.clone();
    db.set_metric_callback(move |info| {
        counter.statements.fetch_add(1, Ordering::Relaxed);
        if info.elapsed > SLOW_STATEMENT {
            tracing::warn!(db.statement = %info.statement.sql, db.elapsed_ms = info.elapsed.as_millis(), "slow statement");
        } else {
            tracing::debug!(db.statement = %info.statement.sql, db.elapsed_us = info.elapsed.as_micros(), "statement");
        }
    });
    Ok(db)
}

/// How long a pooled PostgreSQL connection may sit idle before it is pinged on its way out.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(30);

/// Virtual-machine steps SQLite takes between looks at the clock.
const PROGRESS_STEPS: i32 = 10_000;

/// Makes SQLite interrupt any statement `conn` runs after `limit` from now.
async fn interrupt_after(conn: &mut SqliteConnection, limit: Duration) -> Result<(), sea_orm::sqlx::Error> {
    let deadline = std::time::Instant::now() + limit;
    conn.lock_handle()
        .await?
        .set_progress_handler(PROGRESS_STEPS, move || std::time::Instant::now() < deadline);
    Ok(())
}

/// A pool of one connection for the readiness check, apart from the one requests share:
/// `/readyz` answers whether the database is up, not whether user traffic has left a
/// connection free.
///
/// # Errors
/// When the database cannot be reached.
pub async fn connect_probe(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(settings.database_url());
    options
        .max_connections(1)
        .min_connections(0)
        .acquire_timeout(Duration::from_secs(2))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| opts.busy_timeout(Duration::from_secs(1)));
    Database::connect(options).await.context("cannot connect to the database for readiness checks")
}

/// Applies every pending migration.
///
/// # Errors
/// When a migration fails.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await.context("migration failed")
}

/// Brings the query planner's statistics up to date, so that it picks the index that fits
/// each filter (without them SQLite takes any index on an equality, and sorts thousands of
/// outlets to show twenty).
///
/// SQLite analyses, within a bounded number of rows per index, the tables that have no
/// statistics yet or have grown or shrunk tenfold since (`PRAGMA optimize=0x10002`): cheap
/// when nothing changed, so it runs at every start. PostgreSQL runs `VACUUM (ANALYZE)`, which
/// also marks the freshly written pages all-visible, so that counts are answered from the
/// index alone; its autovacuum does both in time, so this is only worth calling after a bulk
/// load.
///
/// # Errors
/// When the statements fail.
pub async fn refresh_statistics(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let statements: &[&str] = match backend {
        DatabaseBackend::Sqlite => &["PRAGMA analysis_limit = 1000", "PRAGMA optimize = 0x10002"],
        _ => &["VACUUM (ANALYZE)"],
    };
    for sql in statements {
        db.execute_raw(Statement::from_string(backend, *sql)).await?;
    }
    Ok(())
}

/// The generation of the tables behind `counters`: the sum of those rows of `counters`,
/// which the database's triggers raise with every change to their tables, so the sum moves
/// whenever any of them changed (see [`crate::state::Kept`]).
///
/// # Errors
/// When the database fails.
pub async fn generation(db: &impl ConnectionTrait, counters: &[&str]) -> Result<i64, DbErr> {
    use sea_orm::{ColumnTrait as _, QueryFilter as _, QuerySelect as _};
    // Added here rather than by SUM(), which PostgreSQL answers as a numeric.
    let values: Vec<i64> = entity::counter::Entity::find()
        .select_only()
        .column(entity::counter::Column::Value)
        .filter(entity::counter::Column::Name.is_in(counters.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(values.into_iter().sum())
}

/// Starts a transaction that will write, holding the database's one write lock until it
/// ends: writers take turns.
///
/// Every write appends to the audit chain, and an event needs the hash of the one before
/// it, so appends must not interleave. On SQLite the lock is taken at `BEGIN` (`BEGIN
/// IMMEDIATE`), which also lets concurrent writers queue on the busy timeout instead of
/// failing when a read transaction tries to upgrade. On PostgreSQL (READ COMMITTED, where
/// guarded updates let exactly one concurrent writer win) it is a transaction-scoped
/// advisory lock, taken first thing: were it taken only before the audit insert, a
/// transaction holding it that then updates a row could wait on one that updated that row
/// first and now waits for the lock — a deadlock.
///
/// # Errors
/// When the transaction cannot start.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?;
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        let lock = format!("SELECT pg_advisory_xact_lock({WRITE_LOCK})");
        txn.execute_raw(Statement::from_string(DatabaseBackend::Postgres, lock)).await?;
    }
    Ok(txn)
}

/// The key of PostgreSQL's advisory write lock ([`begin_write`]): "audit" in ASCII.
const WRITE_LOCK: i64 = 0x61_75_64_69_74;

impl From<DbErr> for AppError {
    /// Database errors are internal, except the ones a concurrent writer causes: a
    /// serialization failure or deadlock on PostgreSQL, a busy or locked database on SQLite.
    fn from(error: DbErr) -> Self {
        if is_contention(&error) {
            return Self::conflict("a concurrent change won; reload and try again");
        }
        if matches!(error, DbErr::ConnectionAcquire(sea_orm::ConnAcquireErr::Timeout)) {
            return Self::Unavailable;
        }
        if database_code(&error).is_some_and(|code| is_stopped_at_deadline(&code)) {
            return Self::Timeout;
        }
        Self::Internal(anyhow::Error::new(error))
    }
}

/// Maps a unique-constraint violation to `conflict`, and any other error as usual.
pub fn on_unique(error: DbErr, conflict: impl FnOnce() -> AppError) -> AppError {
    match error.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => conflict(),
        _ => error.into(),
    }
}

/// The code the database gave an error: SQLSTATE on PostgreSQL, the (extended) result
/// code on SQLite.
fn database_code(error: &DbErr) -> Option<String> {
    let runtime = match error {
        DbErr::Exec(sea_orm::RuntimeErr::SqlxError(e))
        | DbErr::Query(sea_orm::RuntimeErr::SqlxError(e))
        | DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e)) => e,
        _ => return None,
    };
    Some(runtime.as_database_error()?.code()?.into_owned())
}

/// SQLite's primary result code, the low byte of the extended one; `None` on PostgreSQL.
fn sqlite_primary(code: &str) -> Option<u32> {
    code.parse::<u32>().ok().map(|c| c & 0xff)
}

/// Whether a database error comes from contention with another transaction.
fn is_contention(error: &DbErr) -> bool {
    database_code(error).is_some_and(|code| {
        // PostgreSQL: serialization_failure, deadlock_detected; SQLite: busy, locked.
        matches!(code.as_str(), "40001" | "40P01") || matches!(sqlite_primary(&code), Some(5 | 6))
    })
}

/// Whether the database stopped a statement because the request's deadline passed:
/// PostgreSQL's `statement_timeout` (`query_canceled`), SQLite's progress handler
/// (`SQLITE_INTERRUPT`). Either may come a moment before the request's own deadline.
fn is_stopped_at_deadline(code: &str) -> bool {
    code == "57014" || sqlite_primary(code) == Some(9)
}

/// The row of `E` with primary key `id`.
///
/// # Errors
/// `NOT_FOUND` naming `what` when there is none; when the database fails.
pub async fn found<E>(conn: &impl ConnectionTrait, id: i64, what: &'static str) -> Result<E::Model, AppError>
where
    E: EntityTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    E::find_by_id(id).one(conn).await?.ok_or(AppError::NotFound { entity: what })
}

/// `column LIKE '%text%'` where `text` is taken literally: `%`, `_` and the escape
/// character in it match only themselves, not any run or any one character.
pub fn containing(column: impl sea_orm::ColumnTrait, text: &str) -> sea_orm::sea_query::SimpleExpr {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    column.like(sea_orm::sea_query::LikeExpr::new(pattern).escape('\\'))
}
