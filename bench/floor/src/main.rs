//! The floor of the performance bench on SQLite (`bench/perf`): the minimal SQL for one
//! request's answer, run on the bench's own database file by as many threads as the load
//! tool has connections, straight through SQLite with no server in between. It is to the
//! SQLite run what pgbench is to the PostgreSQL one.
//!
//! ```text
//! sqlite-floor --database perf.db --script floor.json --connections 32 --seconds 10
//! ```
//!
//! The script is JSON: `{"statements": [SQL, ...], "bindings": [{"d": "150100"}, ...]}`. A
//! transaction runs every statement in order, binding the values of one set to the named
//! parameters (`:d`) each statement has, and reads every column of every row; each thread
//! takes the sets in turn, starting from its own. It prints one line of JSON: transactions,
//! rows, tps and the p50 and p99 latency of a transaction in milliseconds.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use clap::Parser;
use rusqlite::types::Null;
use rusqlite::{Connection, OpenFlags, Statement};
use serde::Deserialize;
use serde_json::{Map, Value, json};

#[derive(Parser)]
#[command(about = "Runs the minimal SQL for an answer on SQLite, as the bench's floor")]
struct Args {
    /// The SQLite database file, as the server left it (read only here).
    #[arg(long)]
    database: PathBuf,
    /// The statements and the values they take, as JSON (see the crate's documentation).
    #[arg(long)]
    script: PathBuf,
    /// Threads, each with its own connection.
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// How long to run.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
}

#[derive(Deserialize)]
struct Script {
    statements: Vec<String>,
    bindings: Vec<Map<String, Value>>,
}

/// What one thread did: the latency of each of its transactions, and the rows it read.
struct Tally {
    latencies: Vec<Duration>,
    rows: u64,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let text = std::fs::read_to_string(&args.script)
        .with_context(|| format!("cannot read the script {}", args.script.display()))?;
    let script: Script = serde_json::from_str(&text).context("the script is not the JSON the floor reads")?;
    ensure!(!script.bindings.is_empty(), "the script has no bindings: give at least one set, even {{}}");
    ensure!(args.connections > 0, "--connections must be at least 1");

    let started = Instant::now();
    let until = started + Duration::from_secs(args.seconds);
    let tallies = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..args.connections)
            .map(|first| {
                let (database, script) = (&args.database, &script);
                scope.spawn(move || client(database, script, first, until))
            })
            .collect();
        threads
            .into_iter()
            .map(|thread| thread.join().unwrap_or_else(|_| bail!("a client thread panicked")))
            .collect::<Result<Vec<_>>>()
    })?;
    let elapsed = started.elapsed().as_secs_f64();

    let rows: u64 = tallies.iter().map(|t| t.rows).sum();
    let mut latencies: Vec<Duration> = tallies.into_iter().flat_map(|t| t.latencies).collect();
    latencies.sort_unstable();
    let at = |share: f64| {
        let index = ((share * latencies.len() as f64) as usize).min(latencies.len().saturating_sub(1));
        latencies.get(index).map_or(0.0, |d| (d.as_secs_f64() * 100_000.0).round() / 100.0)
    };
    println!(
        "{}",
        json!({
            "transactions": latencies.len(),
            "rows": rows,
            "tps": (latencies.len() as f64 / elapsed).round(),
            "p50_ms": at(0.50),
            "p99_ms": at(0.99),
        })
    );
    Ok(())
}

/// One connection running the script's transactions until `until`.
fn client(database: &Path, script: &Script, first: usize, until: Instant) -> Result<Tally> {
    let flags =
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    let connection = Connection::open_with_flags(database, flags)
        .with_context(|| format!("cannot open {}", database.display()))?;
    connection.busy_timeout(Duration::from_secs(5))?;
    let mut statements =
        script.statements.iter().map(|sql| Prepared::new(&connection, sql)).collect::<Result<Vec<_>>>()?;

    let mut tally = Tally { latencies: Vec::new(), rows: 0 };
    let mut turn = first;
    while Instant::now() < until {
        let values = &script.bindings[turn % script.bindings.len()];
        turn += 1;
        let began = Instant::now();
        for statement in &mut statements {
            tally.rows += statement.run(values)?;
        }
        tally.latencies.push(began.elapsed());
    }
    Ok(tally)
}

/// A statement prepared once, with the names of its parameters (without the colon).
struct Prepared<'c> {
    statement: Statement<'c>,
    parameters: Vec<String>,
}

impl<'c> Prepared<'c> {
    fn new(connection: &'c Connection, sql: &str) -> Result<Self> {
        let statement = connection.prepare(sql).with_context(|| format!("cannot prepare: {sql}"))?;
        let parameters = (1..=statement.parameter_count())
            .map(|index| match statement.parameter_name(index) {
                Some(name) => Ok(name.trim_start_matches([':', '@', '$']).to_owned()),
                None => bail!("parameter {index} has no name; write it as :name in: {sql}"),
            })
            .collect::<Result<_>>()?;
        Ok(Self { statement, parameters })
    }

    /// Binds `values`, steps through every row reading every column, and returns the rows.
    fn run(&mut self, values: &Map<String, Value>) -> Result<u64> {
        for (index, name) in self.parameters.iter().enumerate() {
            let value = values.get(name).with_context(|| format!("no value for :{name} in the bindings"))?;
            let index = index + 1;
            match value {
                Value::String(text) => self.statement.raw_bind_parameter(index, text)?,
                Value::Number(n) if n.is_i64() => self.statement.raw_bind_parameter(index, n.as_i64())?,
                Value::Number(n) => self.statement.raw_bind_parameter(index, n.as_f64())?,
                Value::Bool(b) => self.statement.raw_bind_parameter(index, b)?,
                Value::Null => self.statement.raw_bind_parameter(index, Null)?,
                other => bail!(":{name} must be a string, a number, a boolean or null, not {other}"),
            }
        }
        let mut rows = self.statement.raw_query();
        let mut read = 0;
        while let Some(row) = rows.next()? {
            for column in 0..row.as_ref().column_count() {
                std::hint::black_box(row.get_ref(column)?);
            }
            read += 1;
        }
        Ok(read)
    }
}
