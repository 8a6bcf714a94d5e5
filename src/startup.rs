//! Building and running the application: database, state, schema, router, listener.

use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use base64::Engine as _;
use secrecy::{ExposeSecret as _, SecretString};
use tokio::net::TcpListener;

use crate::authz::Authorizer;
use crate::config::Settings;
use crate::domain::clock::{Clock, SystemClock};
use crate::graphql::Schemas;
use crate::identity::{Passwords, Tokens};
use crate::serve::{ConnectionLimits, serve};
use crate::service::accounts;
use crate::state::{AppState, Departments};
use crate::storage::FileStore;
use crate::throttle::{Limits, Throttle};
use crate::{db, web};

/// A built application, listening but not yet serving.
pub struct Application {
    listener: TcpListener,
    port: u16,
    state: AppState,
}

impl Application {
    /// Connects, migrates, creates the first admin if the database has no users, and binds
    /// the listener. Uses the system clock.
    ///
    /// # Errors
    /// When the database, the secret or the address is unusable.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, Arc::new(SystemClock)).await
    }

    /// As [`Self::build`], telling time by `clock`.
    ///
    /// # Errors
    /// As [`Self::build`].
    pub async fn build_with_clock(settings: Settings, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let pools = db::connect(&settings).await?;
        db::migrate(&pools.write).await?;
        if pools.write.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
            db::refresh_statistics(&pools.write)
                .await
                .context("cannot refresh the query planner's statistics")?;
        }
        let state = build_state(settings, pools, clock).await?;
        if let Some(password) =
            accounts::ensure_admin(&state.writer, &state, state.settings.admin_password.as_ref()).await?
        {
            // Printed once, not logged: logs may be kept and shipped elsewhere.
            eprintln!("created account `admin` with the generated password: {password}");
        }
        let listener = TcpListener::bind(state.settings.bind)
            .await
            .with_context(|| format!("cannot listen on {}", state.settings.bind))?;
        let port = listener.local_addr()?.port();
        Ok(Self { listener, port, state })
    }

    /// The port actually bound (useful with port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The shared state.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then finishes the requests under way.
    ///
    /// # Errors
    /// When the server fails.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let schemas = Schemas::new(self.state.clone());
        tracing::info!(http.port = self.port, "serving");
        let settings = &self.state.settings;
        let limits = ConnectionLimits {
            max_connections: settings.max_connections,
            header_read_timeout: Duration::from_secs(settings.header_read_timeout_seconds.max(1)),
        };
        let router = web::router(self.state, schemas);
        serve(self.listener, router, limits, shutdown).await
    }
}

/// The shared state over an open, migrated database.
///
/// # Errors
/// When the policy does not load, the departments cannot be read, or the generated JWT
/// secret cannot be kept.
pub async fn build_state(
    settings: Settings,
    pools: db::Pools,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<AppState> {
    let secret = match &settings.jwt_secret {
        Some(secret) => secret.clone(),
        None => stored_secret(&settings.data_dir)?,
    };
    let length = secret.expose_secret().len();
    anyhow::ensure!(
        length >= MIN_SECRET_BYTES,
        "the JWT secret is {length} bytes long; it must have at least {MIN_SECRET_BYTES}: set \
         OUTLET_FILING_JWT_SECRET to a random value, e.g. the output of `openssl rand -base64 48`"
    );
    let ttl = chrono::Duration::minutes(settings.token_ttl_minutes.max(1));
    let tokens = Tokens::new(&secret, ttl, clock.clone());
    let throttle = Arc::new(Throttle::new(Limits {
        window_seconds: settings.throttle_window_minutes.max(1) * 60,
        logins_per_address: settings.logins_per_address,
        logins_per_account: settings.logins_per_account,
        registrations_per_address: settings.registrations_per_address,
    }));
    let passwords =
        Arc::new(Passwords::new(settings.password_hash_concurrency, settings.password_hash_queue)?);
    let probe = db::connect_probe(&settings).await?;
    let heavy = Arc::new(tokio::sync::Semaphore::new(settings.max_heavy_operations.max(1)));
    let anonymous = Arc::new(tokio::sync::Semaphore::new(settings.max_anonymous_requests.max(1)));
    Ok(AppState {
        probe,
        heavy,
        anonymous,
        authz: Arc::new(Authorizer::new().await?),
        departments: Arc::new(Departments::load(&pools.read).await?),
        db: pools.read,
        writer: pools.write,
        db_stats: pools.stats,
        coverage: Arc::default(),
        institution_counts: Arc::default(),
        published_counts: Arc::default(),
        filing_counts: Arc::default(),
        compliance: Arc::default(),
        files: FileStore::new(&settings.data_dir),
        tokens,
        clock,
        settings: Arc::new(settings),
        throttle,
        passwords,
    })
}

/// Shortest JWT secret accepted: HS256 wants a key at least as long as its 256-bit hash.
pub const MIN_SECRET_BYTES: usize = 32;

/// The JWT secret kept in `data_dir/jwt-secret`, generated on first use.
fn stored_secret(data_dir: &Path) -> anyhow::Result<SecretString> {
    let path = data_dir.join("jwt-secret");
    if let Ok(secret) = std::fs::read_to_string(&path)
        && !secret.trim().is_empty()
    {
        return Ok(SecretString::from(secret.trim().to_owned()));
    }
    tracing::warn!(
        secret.path = %path.display(),
        "OUTLET_FILING_JWT_SECRET is not set: generating a signing key and keeping it in the data folder; \
         replicas must share one secret, so set it in production"
    );
    std::fs::create_dir_all(data_dir).with_context(|| format!("cannot create {}", data_dir.display()))?;
    let bytes: [u8; 48] = rand::random();
    let secret = base64::engine::general_purpose::STANDARD.encode(bytes);
    write_private(&path, &secret)?;
    Ok(SecretString::from(secret))
}

/// Writes a file readable by its owner only.
fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path).with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(contents.as_bytes())?;
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
