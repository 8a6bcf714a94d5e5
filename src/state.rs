//! What every request shares ([`AppState`]) and what it carries of its own
//! ([`RequestContext`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use entity::department;
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder};

use crate::authz::Authorizer;
use crate::config::Settings;
use crate::domain::clock::Clock;
use crate::identity::{Caller, Tokens};

/// Shared by all requests; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    /// Where reads go (see [`crate::db::Pools`]).
    pub db: DatabaseConnection,
    /// Where write transactions go ([`crate::db::begin_write`]); on PostgreSQL the same
    /// pool as `db`.
    pub writer: DatabaseConnection,
    /// A pool of its own for `/readyz`, so readiness never waits behind requests.
    pub probe: DatabaseConnection,
    /// Turns for anonymous requests, taken by the HTTP handler.
    pub anonymous: Arc<tokio::sync::Semaphore>,
    /// Permits for analytics requests ([`Self::heavy_permit`]).
    pub heavy: Arc<tokio::sync::Semaphore>,
    pub authz: Arc<Authorizer>,
    pub tokens: Tokens,
    pub clock: Arc<dyn Clock>,
    pub settings: Arc<Settings>,
    pub departments: Arc<Departments>,
    pub throttle: Arc<crate::throttle::Throttle>,
    pub passwords: Arc<crate::identity::Passwords>,
    pub files: crate::storage::FileStore,
    pub db_stats: Arc<crate::db::DbStats>,
    /// Coverage by day ([`crate::service::outlets::coverage`]).
    pub coverage: Arc<Kept<chrono::NaiveDate, Vec<crate::service::outlets::Coverage>>>,
    /// Institutions per department and kind ([`crate::service::institutions::list`]).
    pub institution_counts: Arc<Kept<(), crate::service::institutions::InstitutionCounts>>,
    /// Totals of filing pages by scope and filter ([`crate::service::filings::list`]).
    pub filing_counts: Arc<Kept<crate::service::filings::CountQuestion, u64>>,
    /// Totals of the published list by day and filter ([`crate::service::outlets::published`]).
    pub published_counts: Arc<Kept<crate::service::outlets::PublishedQuestion, u64>>,
    /// Compliance by year and departments ([`crate::service::compliance::of_year`]).
    pub compliance: Arc<Kept<ComplianceQuestion, Vec<crate::service::compliance::Compliance>>>,
}

/// A question of compliance: the year, and the departments in the caller's view.
pub type ComplianceQuestion = (i32, Vec<String>);

/// Answers that are costly to make and change only when certain tables do, kept with the
/// generation they were made at: the sum of the counters that the database's triggers raise
/// with every change to those tables (migration 22, [`crate::db::generation`]). A
/// caller reads the generation and uses a kept answer to its question `K` only when it
/// still matches, so an answer is never older than the last committed change, on any
/// replica. At most [`KEPT_ANSWERS`] questions are kept; then they are all forgotten.
#[derive(Debug)]
pub struct Kept<K, T> {
    answers: std::sync::Mutex<std::collections::HashMap<K, (i64, Arc<T>)>>,
}

/// Most questions a [`Kept`] holds answers to.
pub const KEPT_ANSWERS: usize = 1_000;

impl<K, T> Default for Kept<K, T> {
    fn default() -> Self {
        Self { answers: std::sync::Mutex::default() }
    }
}

impl<K: std::hash::Hash + Eq, T> Kept<K, T> {
    /// The answer to `question`: the kept one if the tables behind `counters` have not
    /// changed since it was made, else what `count` makes now, which is then kept.
    ///
    /// # Errors
    /// When reading the generation or counting fails.
    pub async fn answer<F>(
        &self,
        db: &DatabaseConnection,
        counters: &[&str],
        question: K,
        count: impl FnOnce() -> F,
    ) -> Result<Arc<T>, crate::error::AppError>
    where
        F: std::future::Future<Output = Result<T, crate::error::AppError>>,
    {
        let generation = crate::db::generation(db, counters).await?;
        if let Some(kept) = self.get(&question, generation) {
            return Ok(kept);
        }
        // Counted after the generation was read, so the answer is at least that new.
        let counted = Arc::new(count().await?);
        self.put(question, generation, counted.clone());
        Ok(counted)
    }

    /// How many answers are kept.
    pub fn len(&self) -> usize {
        self.answers.lock().unwrap_or_else(std::sync::PoisonError::into_inner).len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn get(&self, question: &K, generation: i64) -> Option<Arc<T>> {
        let answers = self.answers.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        answers.get(question).filter(|(made_at, _)| *made_at == generation).map(|(_, answer)| answer.clone())
    }

    fn put(&self, question: K, generation: i64, answer: Arc<T>) {
        let mut answers = self.answers.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if answers.len() >= KEPT_ANSWERS {
            answers.clear();
        }
        answers.insert(question, (generation, answer));
    }
}

/// How long an analytics request waits for its turn before it is refused.
pub const HEAVY_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

impl AppState {
    /// A turn for an expensive read (coverage, compliance): at most `max_heavy_operations`
    /// run at once, so they cannot take every database connection and worker from the
    /// rest. Held until dropped.
    ///
    /// # Errors
    /// `SERVICE_UNAVAILABLE` when no turn comes within [`HEAVY_WAIT`].
    pub async fn heavy_permit(&self) -> Result<tokio::sync::OwnedSemaphorePermit, crate::error::AppError> {
        match tokio::time::timeout(HEAVY_WAIT, self.heavy.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(crate::error::AppError::Unavailable),
        }
    }
}

/// The caller and correlation id of one request.
#[derive(Debug, Clone)]
pub struct RequestContext {
    pub caller: Caller,
    pub request_id: Option<String>,
    /// The client's address: the connection's peer, or the forwarding proxy's word for
    /// it when `trust_forwarded_for` is set. Absent when unknown.
    pub client: Option<std::net::IpAddr>,
}

/// The recommending departments, read once at start: a migration seeds them and nothing
/// changes them at run time.
#[derive(Debug, Clone, Default)]
pub struct Departments {
    ordered: Vec<department::Model>,
    by_code: BTreeMap<String, department::Model>,
}

impl Departments {
    /// Reads the departments from the database.
    ///
    /// # Errors
    /// When the query fails.
    pub async fn load(db: &DatabaseConnection) -> Result<Self, sea_orm::DbErr> {
        let ordered = department::Entity::find().order_by_asc(department::Column::SortOrder).all(db).await?;
        let by_code = ordered.iter().map(|d| (d.code.clone(), d.clone())).collect();
        Ok(Self { ordered, by_code })
    }

    /// All departments in their published order.
    pub fn all(&self) -> &[department::Model] {
        &self.ordered
    }

    /// The department with `code`.
    pub fn get(&self, code: &str) -> Option<&department::Model> {
        self.by_code.get(code)
    }

    /// Whether `code` is none (no department asked for) or a department's.
    pub fn knows(&self, code: Option<&str>) -> bool {
        code.is_none_or(|code| self.by_code.contains_key(code))
    }
}
