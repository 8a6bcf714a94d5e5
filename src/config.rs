//! Settings: built-in defaults, then an optional TOML file (`--config`), then the
//! environment. Environment names are `DATABASE_URL` and `OUTLET_FILING_<FIELD>` in upper
//! case, e.g. `OUTLET_FILING_BIND`; the TOML keys are the field names below.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

/// Every setting of the service.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// Database to use. Default: a SQLite file `outlet-filing.db` in `data_dir`.
    /// `postgres://user:pass@host/db` runs on PostgreSQL.
    pub database_url: Option<String>,
    /// Address to listen on. Default `127.0.0.1:8000`.
    pub bind: SocketAddr,
    /// Folder for the SQLite file, the generated JWT secret and stored files. Default `./data`.
    pub data_dir: PathBuf,
    /// Key that signs login tokens (HS256). Absent: one is generated on first start and kept
    /// in `data_dir/jwt-secret`. Replicas must share one, so set it in production.
    pub jwt_secret: Option<SecretString>,
    /// Password of the `admin` account that the first start on an empty database creates.
    /// Absent: a random one, printed once to stderr.
    pub admin_password: Option<SecretString>,
    /// How long a login token stays valid, in minutes. Default 480 (a working day).
    pub token_ttl_minutes: i64,
    /// Largest request body accepted on `POST /graphql`, in bytes. Default 1 MiB.
    pub max_body_bytes: usize,
    /// Largest uploaded file, in bytes. Default 20 MiB.
    pub max_upload_bytes: usize,
    /// Most files in one multipart request; a request with more is refused before anything
    /// is stored. Default 5.
    pub max_upload_files: usize,
    /// Most bytes the attachments of one institution's filings and annual reports may take
    /// together; an upload beyond it is refused until older attachments are removed.
    /// Default 200 MiB.
    pub max_institution_storage_bytes: u64,
    /// Largest number of operations in one batched request. Default 10.
    pub max_batch_size: usize,
    /// Cost budget of one HTTP request from a signed-in caller: the summed complexity of
    /// all its operations (a field costs 1, a connection its page size times its nodes,
    /// an analytics field 2,000). Default 20,000.
    pub max_request_cost: usize,
    /// Cost budget of one HTTP request from an anonymous caller. Default 5,000.
    pub max_anonymous_request_cost: usize,
    /// Most aliases in one HTTP request, over all its operations. Default 30.
    pub max_aliases: usize,
    /// Most directives in one HTTP request, over all its operations. Default 30.
    pub max_directives: usize,
    /// Connections in the database pool. Default 10.
    pub max_db_connections: u32,
    /// How long a request waits for a pooled database connection before it is refused
    /// with 503 and `Retry-After`, in milliseconds. Default 2,000.
    pub db_acquire_timeout_ms: u64,
    /// Longest a GraphQL request may take, end to end, in seconds; PostgreSQL also stops any
    /// statement that runs this long. Default 30.
    pub request_timeout_seconds: u64,
    /// How long a client has to send a request's headers, and how long an idle kept-alive
    /// connection stays open, in seconds. Default 10.
    pub header_read_timeout_seconds: u64,
    /// How long a client has to send a request's body, in seconds. Default 30.
    pub body_read_timeout_seconds: u64,
    /// Open connections at most; one more is closed at once. Default 1,024.
    pub max_connections: usize,
    /// Anonymous GraphQL requests read and run at once; one more gets 503 with
    /// `Retry-After`. Signed-in callers are not counted. Default 16.
    pub max_anonymous_requests: usize,
    /// How long an anonymous request beyond `max_anonymous_requests` waits before its 503,
    /// in milliseconds, so a client that retries at once cannot make the server refuse it
    /// faster than this. Default 250.
    pub anonymous_shed_delay_ms: u64,
    /// Analytics requests (coverage, compliance) running at once; more wait briefly, then
    /// get 503. Default 2.
    pub max_heavy_operations: usize,
    /// Length of the window in which attempts at logins and registrations are counted, in
    /// minutes. Default 15.
    pub throttle_window_minutes: i64,
    /// Logins allowed from one client address per window, whatever account they name.
    /// Default 30.
    pub logins_per_address: u32,
    /// Logins allowed for one account from one address per window; a success clears the
    /// count. Default 5.
    pub logins_per_account: u32,
    /// Self-registrations allowed from one client address per window. Default 5.
    pub registrations_per_address: u32,
    /// Take the client address from the first `X-Forwarded-For` entry. Only behind a proxy
    /// that sets that header itself; otherwise clients could pick their own address.
    /// Default false: the peer address of the connection.
    pub trust_forwarded_for: bool,
    /// Answer schema introspection and serve the GraphiQL console to anonymous callers.
    /// Default true, which suits development and an intranet; set false on the open
    /// internet, where only signed-in callers then see the schema.
    pub anonymous_introspection: bool,
    /// Password hashes computed at once (argon2, about 19 MiB each). Default 2.
    pub password_hash_concurrency: usize,
    /// Password hashes allowed to wait for a turn; beyond that `RATE_LIMITED`. Default 16.
    pub password_hash_queue: usize,
    /// How many days before an outlet's validity ends a renewal may be applied for (Art 9).
    /// Default 90.
    pub renewal_window_days: u32,
}

/// The defaults, as a serializable layer under the file and the environment.
#[derive(Serialize)]
struct Defaults {
    bind: &'static str,
    data_dir: &'static str,
    token_ttl_minutes: i64,
    max_body_bytes: usize,
    max_upload_bytes: usize,
    max_upload_files: usize,
    max_institution_storage_bytes: u64,
    max_batch_size: usize,
    max_request_cost: usize,
    max_anonymous_request_cost: usize,
    max_aliases: usize,
    max_directives: usize,
    max_db_connections: u32,
    db_acquire_timeout_ms: u64,
    request_timeout_seconds: u64,
    header_read_timeout_seconds: u64,
    body_read_timeout_seconds: u64,
    max_connections: usize,
    max_heavy_operations: usize,
    max_anonymous_requests: usize,
    anonymous_shed_delay_ms: u64,
    throttle_window_minutes: i64,
    logins_per_address: u32,
    logins_per_account: u32,
    registrations_per_address: u32,
    trust_forwarded_for: bool,
    anonymous_introspection: bool,
    password_hash_concurrency: usize,
    password_hash_queue: usize,
    renewal_window_days: u32,
}

const DEFAULTS: Defaults = Defaults {
    bind: "127.0.0.1:8000",
    data_dir: "data",
    token_ttl_minutes: 480,
    max_body_bytes: 1024 * 1024,
    max_upload_bytes: 20 * 1024 * 1024,
    max_upload_files: 5,
    max_institution_storage_bytes: 200 * 1024 * 1024,
    max_batch_size: 10,
    max_request_cost: 20_000,
    max_anonymous_request_cost: 5_000,
    max_aliases: 30,
    max_directives: 30,
    max_db_connections: 10,
    db_acquire_timeout_ms: 2_000,
    request_timeout_seconds: 30,
    header_read_timeout_seconds: 10,
    body_read_timeout_seconds: 30,
    max_connections: 1_024,
    max_heavy_operations: 2,
    max_anonymous_requests: 16,
    anonymous_shed_delay_ms: 250,
    throttle_window_minutes: 15,
    logins_per_address: 30,
    logins_per_account: 5,
    registrations_per_address: 5,
    trust_forwarded_for: false,
    anonymous_introspection: true,
    password_hash_concurrency: 2,
    password_hash_queue: 16,
    renewal_window_days: 90,
};

impl Settings {
    /// Reads the settings: defaults, then `file` if given, then the environment.
    ///
    /// # Errors
    /// When the file cannot be read or a value has the wrong type.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Serialized::defaults(DEFAULTS));
        if let Some(file) = file {
            anyhow::ensure!(file.exists(), "config file {} does not exist", file.display());
            figment = figment.merge(Toml::file(file));
        }
        let settings = figment
            .merge(Env::raw().only(&["DATABASE_URL"]).map(|_| "database_url".into()))
            .merge(Env::prefixed("OUTLET_FILING_"))
            .extract()?;
        Ok(settings)
    }

    /// The built-in defaults alone, without file or environment: a base for tests and
    /// tools that set what they need on top.
    ///
    /// # Panics
    /// Never: the defaults hold every required setting.
    pub fn defaults() -> Self {
        Figment::from(Serialized::defaults(DEFAULTS)).extract().expect("the defaults are complete")
    }

    /// The database URL in effect: the configured one, or the SQLite file in `data_dir`.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.trim().is_empty() => url.clone(),
            _ => format!("sqlite://{}?mode=rwc", self.data_dir.join("outlet-filing.db").display()),
        }
    }
}
