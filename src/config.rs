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
    /// Connections in the database pool. Default 10.
    pub max_db_connections: u32,
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
    max_db_connections: u32,
    renewal_window_days: u32,
}

impl Settings {
    /// Reads the settings: defaults, then `file` if given, then the environment.
    ///
    /// # Errors
    /// When the file cannot be read or a value has the wrong type.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Self> {
        let defaults = Defaults {
            bind: "127.0.0.1:8000",
            data_dir: "data",
            token_ttl_minutes: 480,
            max_body_bytes: 1024 * 1024,
            max_upload_bytes: 20 * 1024 * 1024,
            max_upload_files: 5,
            max_institution_storage_bytes: 200 * 1024 * 1024,
            max_batch_size: 10,
            max_db_connections: 10,
            renewal_window_days: 90,
        };
        let mut figment = Figment::from(Serialized::defaults(defaults));
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

    /// The database URL in effect: the configured one, or the SQLite file in `data_dir`.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.trim().is_empty() => url.clone(),
            _ => format!("sqlite://{}?mode=rwc", self.data_dir.join("outlet-filing.db").display()),
        }
    }
}
