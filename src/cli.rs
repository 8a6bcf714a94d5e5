//! The command line: `serve` (the default), `migrate`, `print-schema`, `create-user`,
//! `seed-demo`, `import-calendar`, `gc-files`, `verify-audit`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};
use entity::sea_orm_active_enums::Role;
use indicatif::{ProgressBar, ProgressStyle};

use crate::config::Settings;
use crate::domain::clock::SystemClock;
use crate::domain::text::{Name, NewPassword, Username};
use crate::error::AppError;
use crate::service::accounts::{self, NewUser};
use crate::service::attachments::{self, Sweep, SweepReport};
use crate::service::{audit, demo};
use crate::startup::{Application, build_state, shutdown_signal};
use crate::{db, graphql};

/// Filing of Inner Mongolia's IP information public-service outlets.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    /// A TOML settings file, read after the defaults and before the environment.
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply migrations and serve the API (the default).
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Print the GraphQL schema (SDL) to stdout.
    PrintSchema,
    /// Create an account.
    CreateUser {
        #[arg(long)]
        username: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        #[arg(long)]
        display_name: Option<String>,
        /// The department of a recommender, e.g. 150100.
        #[arg(long)]
        department: Option<String>,
        /// The institution id of an applicant.
        #[arg(long)]
        institution: Option<i64>,
        /// The password; absent: a random one, printed once.
        #[arg(long, env = "OUTLET_FILING_NEW_USER_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Create demo accounts for every role and sample institutions, and print the logins.
    /// With sizes, also grow the data to that many institutions, filings and outlets, for
    /// benchmarks (see `bench/perf`).
    SeedDemo {
        /// Institutions to add, each with the first demo institution's profile.
        #[arg(long, default_value_t = 0)]
        institutions: u32,
        /// Filings to add: one per new institution, and older closed ones up to this number
        /// (between `--institutions` and twice that).
        #[arg(long, default_value_t = 0)]
        filings: u32,
        /// Outlets to add, filed over the last 42 months (some have expired).
        #[arg(long, default_value_t = 0)]
        outlets: u32,
    },
    /// Import holidays and make-up working days from a CSV file (`date,kind,name`, the
    /// format of `data/cn-public-holidays.csv`), replacing marks on the same dates.
    ImportCalendar {
        /// The CSV file.
        file: PathBuf,
    },
    /// Delete stored files that no attachment references and temporary files left behind,
    /// once they are older than the grace period; list them and print a summary.
    GcFiles {
        /// List what would be deleted; delete nothing.
        #[arg(long)]
        dry_run: bool,
        /// Leave files younger than this many minutes alone: an upload writes its file
        /// before its row commits, and a temporary file may be a write in progress.
        #[arg(long, default_value_t = 60)]
        grace_minutes: u64,
    },
    /// Check the audit trail's hash chain: every event unchanged, none removed, inserted or
    /// moved. Prints the number of events and the head hash; keep the head somewhere else.
    VerifyAudit {
        /// A head hash printed by an earlier run: also check that the chain still holds it,
        /// i.e. the events up to it were not rewritten since.
        #[arg(long, value_name = "HASH")]
        known_head: Option<String>,
    },
}

/// A role, as the command line spells it.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Applicant,
    Recommender,
    Reviewer,
    Admin,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Applicant => Role::Applicant,
            RoleArg::Recommender => Role::Recommender,
            RoleArg::Reviewer => Role::Reviewer,
            RoleArg::Admin => Role::Admin,
        }
    }
}

/// Parses the command line and runs it.
///
/// # Errors
/// Whatever the command fails with.
pub async fn run() -> anyhow::Result<()> {
    execute(Cli::parse()).await
}

/// Runs a parsed command line.
///
/// # Errors
/// Whatever the command fails with.
pub async fn execute(cli: Cli) -> anyhow::Result<()> {
    // Read on demand: printing the schema needs no settings.
    let settings = || Settings::load(cli.config.as_deref());
    match cli.command.unwrap_or(Command::Serve) {
        Command::PrintSchema => {
            print!("{}", graphql::sdl());
            Ok(())
        }
        Command::Serve => {
            let settings = settings()?;
            let app = Application::build(settings).await?;
            app.run_until_stopped(shutdown_signal()).await.context("server failed")
        }
        Command::Migrate => {
            db::migrate(&db::connect(&settings()?).await?.write).await?;
            eprintln!("migrations applied");
            Ok(())
        }
        Command::CreateUser { username, role, display_name, department, institution, password } => {
            let state = operator_state(settings()?).await?;
            let (password, generated) = match password {
                Some(p) => (p, false),
                None => (accounts::random_password(), true),
            };
            let new = NewUser {
                username: Username::parse(&username).map_err(|e| anyhow::anyhow!("username: {e}"))?,
                password: NewPassword::parse(&password).map_err(|e| anyhow::anyhow!("password: {e}"))?,
                display_name: Name::parse(display_name.as_deref().unwrap_or(&username))
                    .map_err(|e| anyhow::anyhow!("display name: {e}"))?,
                role: role.into(),
                department_code: department,
                institution_id: institution,
            };
            let user = accounts::create_user_as_operator(&state, new)
                .await
                .map_err(|e| anyhow::anyhow!("{}: {}", crate::graphql::error::code(&e), e.message()))?;
            println!("created user {} (id {})", user.username, user.id);
            if generated {
                println!("password: {password}");
            }
            Ok(())
        }
        Command::SeedDemo { institutions, filings, outlets } => {
            let state = operator_state(settings()?).await?;
            let logins = demo::seed(&state).await?;
            println!("{logins}");
            if institutions > 0 {
                let scale = demo::scale::Scale { institutions, filings, outlets };
                let bar = ProgressBar::new(scale.institutions_to_write()).with_style(
                    ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} institutions, {eta} left")
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                bar.set_message("writing demo data");
                demo::scale::grow(&state, scale, |n| bar.inc(n)).await?;
                bar.finish_with_message("demo data written");
            }
            Ok(())
        }
        Command::ImportCalendar { file } => {
            let csv =
                std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let state = operator_state(settings()?).await?;
            let count = crate::service::calendar::import_csv(&state, &csv)
                .await
                .map_err(|e| anyhow::anyhow!("{}: {}", crate::graphql::error::code(&e), e.message()))?;
            println!("imported {count} calendar days");
            Ok(())
        }
        Command::VerifyAudit { known_head } => verify_audit(settings()?, known_head.as_deref()).await,
        Command::GcFiles { dry_run, grace_minutes } => {
            let state = operator_state(settings()?).await?;
            let sweep = Sweep { dry_run, grace: Duration::from_secs(grace_minutes.saturating_mul(60)) };
            // On stderr, and drawn only on a terminal: stdout keeps the list and summary.
            let bar = ProgressBar::new(0).with_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} files ({eta})")
                    .context("progress bar template")?,
            );
            let report = attachments::sweep(&state, sweep, |done, total| {
                bar.set_length(total);
                bar.set_position(done);
            })
            .await
            .map_err(|e| anyhow::anyhow!("{}: {}", crate::graphql::error::code(&e), e.message()))?;
            bar.finish_and_clear();
            print!("{}", sweep_summary(&report, dry_run));
            Ok(())
        }
    }
}

/// The files a sweep found, one a line, and its summary.
fn sweep_summary(report: &SweepReport, dry_run: bool) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for (what, paths) in
        [("orphan", &report.orphans), ("stray", &report.strays), ("foreign", &report.foreign)]
    {
        for path in paths {
            let _ = writeln!(out, "{what}\t{}", path.display());
        }
    }
    let _ = writeln!(
        out,
        "checked {} files: {} orphans, {} stray temporary files, {} younger than the grace period (left), \
         {} not the store's (left)",
        report.checked,
        report.orphans.len(),
        report.strays.len(),
        report.young,
        report.foreign.len(),
    );
    if dry_run {
        let _ = writeln!(out, "dry run: nothing deleted; {} bytes would be freed", report.bytes_freed);
    } else {
        let _ =
            writeln!(out, "{} bytes freed; {} files could not be deleted", report.bytes_freed, report.failed);
    }
    out
}

/// Walks the audit chain with a progress bar on stderr and prints what it found.
async fn verify_audit(settings: Settings, known_head: Option<&str>) -> anyhow::Result<()> {
    // Only reads: no migrations, no admin account, no audit event of its own.
    let db = db::connect(&settings).await?.read;
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} events ({eta})")
            .context("progress bar template")?,
    );
    bar.set_message("verifying the audit trail");
    let verdict = audit::verify(&db, known_head, |checked, total| {
        bar.set_length(total);
        bar.set_position(checked);
    })
    .await
    .map_err(|error| match error {
        // An operator may read the cause, which a client never sees.
        AppError::Internal(cause) => cause,
        other => anyhow::anyhow!("{}", other.message()),
    })
    .context("cannot read the audit trail (is the database migrated? `outlet-filing migrate`)")?;
    bar.finish_and_clear();
    let chain = match verdict {
        Ok(chain) => chain,
        Err(broken) => anyhow::bail!(
            "the audit trail is broken at {broken}. The events before {suspect} hold. Compare the \
             rows from event {suspect} on with a backup of `audit_events` to see what changed, find \
             out who could write to the database, and restore the rows from the backup.",
            suspect = broken.first_suspect()
        ),
    };
    if chain.holds(known_head) == Some(false) {
        anyhow::bail!(
            "the chain is whole, but no event has the head hash given ({}): events up to that \
             head were rewritten, or removed, since it was printed. Restore `audit_events` from a \
             backup taken when that head was printed, and compare.",
            known_head.unwrap_or_default()
        );
    }
    println!("audit trail intact: {} events", chain.events);
    println!("head: {}", chain.head);
    if let Some(id) = chain.known_head_at {
        println!("the known head is event {id}");
    }
    Ok(())
}

/// State for subcommands that act on the database directly.
async fn operator_state(settings: Settings) -> anyhow::Result<crate::state::AppState> {
    let pools = db::connect(&settings).await?;
    db::migrate(&pools.write).await?;
    let state = build_state(settings, pools, Arc::new(SystemClock)).await?;
    if let Some(password) =
        accounts::ensure_admin(&state.writer, &state, state.settings.admin_password.as_ref()).await?
    {
        eprintln!("created account `admin` with the generated password: {password}");
    }
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sweep_lists_each_file_and_sums_up() {
        let report = SweepReport {
            checked: 4,
            orphans: vec![PathBuf::from("files/ab/ab12")],
            strays: vec![PathBuf::from("files/ab/.ab12.tmp")],
            young: 1,
            foreign: vec![],
            bytes_freed: 300,
            failed: 0,
        };
        assert_eq!(
            sweep_summary(&report, true),
            "orphan\tfiles/ab/ab12\nstray\tfiles/ab/.ab12.tmp\n\
             checked 4 files: 1 orphans, 1 stray temporary files, 1 younger than the grace period \
             (left), 0 not the store's (left)\n\
             dry run: nothing deleted; 300 bytes would be freed\n"
        );
        assert!(sweep_summary(&report, false).ends_with("300 bytes freed; 0 files could not be deleted\n"));
    }
}
