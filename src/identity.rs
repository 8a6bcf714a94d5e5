//! Who is calling: password hashing, login tokens, and the [`Caller`] of a request.
//!
//! A token names only the user; the role and scope are read from the database on every
//! request, so a changed role or a deactivated account takes effect at once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};

use anyhow::Context as _;
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Duration, Utc};
use entity::{institution, user};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use sea_orm::{DatabaseConnection, EntityTrait, QuerySelect};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;

use crate::domain::clock::Clock;
use crate::domain::role::Role;
use crate::domain::scope::Grant;
use crate::error::AppError;

/// The caller of one request.
#[derive(Debug, Clone)]
pub enum Caller {
    /// No token was sent.
    Anonymous,
    /// A valid token for an active user.
    User(Subject),
}

impl Caller {
    /// The role name for the audit trail: the user's role, or `ANONYMOUS`.
    pub fn role_label(&self) -> &'static str {
        match self {
            Self::Anonymous => "ANONYMOUS",
            Self::User(subject) => role_label(subject.role),
        }
    }

    /// The user's id, if any.
    pub fn user_id(&self) -> Option<i64> {
        match self {
            Self::Anonymous => None,
            Self::User(subject) => Some(subject.user_id),
        }
    }

    /// The signed-in user making the request: the one place that refuses anonymous callers
    /// of what needs an account.
    ///
    /// # Errors
    /// `UNAUTHENTICATED` for an anonymous caller.
    pub fn signed_in(&self) -> Result<&Subject, AppError> {
        match self {
            Self::Anonymous => Err(AppError::Unauthenticated),
            Self::User(subject) => Ok(subject),
        }
    }
}

/// An authenticated user with the role and grant they act under.
#[derive(Debug, Clone)]
pub struct Subject {
    pub user_id: i64,
    pub role: Role,
    pub grant: Grant,
}

/// A role's name as the API and the audit trail spell it.
pub fn role_label(role: Role) -> &'static str {
    role.name()
}

/// The grant a role implies, given the user's bindings; `None` when the bindings do not
/// fit the role (an applicant without an institution, say).
pub fn grant_of(
    role: Role,
    department_code: Option<String>,
    institution: Option<(i64, String)>,
) -> Option<Grant> {
    match role {
        Role::Reviewer | Role::Admin => Some(Grant::Region),
        Role::Recommender => department_code.map(|code| Grant::Department { code }),
        Role::Applicant => {
            institution.map(|(id, department_code)| Grant::Institution { department_code, id })
        }
    }
}

/// Password hashing and verification, off the async threads and bounded: argon2 takes
/// about 19 MiB and tens of milliseconds per call, so at most `concurrency` run at once and
/// at most `queue` more wait, each for at most [`QUEUE_WAIT`]. Anything beyond is refused
/// with `RATE_LIMITED` rather than queued without end, which keeps memory flat under a
/// storm of logins.
///
/// The hashing threads are the pool's own and run at a lower scheduling priority
/// ([`HASHING_NICENESS`]) than the threads that serve requests: on a busy machine a storm of
/// wrong passwords takes the CPU that serving leaves, not the other way round.
pub struct Passwords {
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    queue: usize,
    threads: rayon::ThreadPool,
}

impl std::fmt::Debug for Passwords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Passwords")
            .field("threads", &self.threads.current_num_threads())
            .field("queue", &self.queue)
            .finish_non_exhaustive()
    }
}

/// The nice value of the hashing threads (Linux; 0 is the default, 19 the lowest).
pub const HASHING_NICENESS: libc::c_int = crate::priority::BACKGROUND_NICENESS;

/// Longest a hashing job waits for its turn.
pub const QUEUE_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// A hash of a password nobody has, verified against when the user does not exist, so an
/// unknown user costs as much time as a wrong password.
static DECOY_HASH: LazyLock<String> = LazyLock::new(|| {
    Argon2::default()
        .hash_password(b"no user has this password")
        .map(|hash| hash.to_string())
        .unwrap_or_default()
});

/// Counts a waiting job while it waits.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Passwords {
    /// At most `concurrency` jobs at once (at least one) and `queue` waiting.
    ///
    /// # Errors
    /// When the hashing threads cannot be started.
    pub fn new(concurrency: usize, queue: usize) -> anyhow::Result<Self> {
        let concurrency = concurrency.max(1);
        let threads = rayon::ThreadPoolBuilder::new()
            .num_threads(concurrency)
            .thread_name(|i| format!("password-hash-{i}"))
            .start_handler(|_| crate::priority::lower_priority())
            .panic_handler(|_| tracing::error!("a password hashing job panicked"))
            .build()
            .context("cannot start the password hashing threads")?;
        Ok(Self {
            permits: Arc::new(Semaphore::new(concurrency)),
            waiting: AtomicUsize::new(0),
            queue,
            threads,
        })
    }

    /// Runs `job` on a blocking thread once a permit is free.
    async fn run<T: Send + 'static>(&self, job: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        let permit = match self.permits.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.queue {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    return Err(AppError::RateLimited);
                }
                let _waiting = Waiting(&self.waiting);
                match tokio::time::timeout(QUEUE_WAIT, self.permits.clone().acquire_owned()).await {
                    Ok(Ok(permit)) => permit,
                    _ => return Err(AppError::RateLimited),
                }
            }
        };
        let (answer, answered) = tokio::sync::oneshot::channel();
        self.threads.spawn(move || {
            let _permit = permit;
            // Nobody is waiting for the answer when the request was abandoned.
            let _ = answer.send(job());
        });
        answered.await.context("password task failed").map_err(AppError::Internal)
    }

    /// Hashes a password with argon2id and a random salt.
    ///
    /// # Errors
    /// `RATE_LIMITED` when too many hashes are under way; `INTERNAL` if hashing fails.
    pub async fn hash(&self, password: SecretString) -> Result<String, AppError> {
        self.run(move || {
            Argon2::default()
                .hash_password(password.expose_secret().as_bytes())
                .map(|hash| hash.to_string())
                .map_err(|e| AppError::Internal(anyhow::anyhow!("argon2 hashing failed: {e}")))
        })
        .await?
    }

    /// Checks `password` against a stored hash, or against the decoy when there is none.
    ///
    /// # Errors
    /// `RATE_LIMITED` when too many checks are under way; `INTERNAL` if the task fails.
    pub async fn verify(&self, password: SecretString, stored: Option<String>) -> Result<bool, AppError> {
        self.run(move || {
            let known = stored.is_some();
            let hash = stored.unwrap_or_else(|| DECOY_HASH.clone());
            let matches = PasswordHash::new(&hash).is_ok_and(|parsed| {
                Argon2::default().verify_password(password.expose_secret().as_bytes(), &parsed).is_ok()
            });
            known && matches
        })
        .await
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iat: i64,
    exp: i64,
}

/// Issues and checks login tokens (HS256 JWTs).
#[derive(Clone)]
pub struct Tokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    ttl: Duration,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens").field("ttl", &self.ttl).finish_non_exhaustive()
    }
}

impl Tokens {
    /// Tokens signed with `secret`, valid for `ttl`, timed by `clock`.
    pub fn new(secret: &SecretString, ttl: Duration, clock: Arc<dyn Clock>) -> Self {
        let key = secret.expose_secret().as_bytes();
        Self { encoding: EncodingKey::from_secret(key), decoding: DecodingKey::from_secret(key), ttl, clock }
    }

    /// A token for `user_id`, and when it expires.
    ///
    /// # Errors
    /// Only if signing fails.
    pub fn issue(&self, user_id: i64) -> anyhow::Result<(String, DateTime<Utc>)> {
        let now = self.clock.now();
        let expires = now + self.ttl;
        let claims = Claims { sub: user_id.to_string(), iat: now.timestamp(), exp: expires.timestamp() };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .context("signing a token failed")?;
        Ok((token, expires))
    }

    /// The user a token was issued to, if its signature holds and it has not expired by
    /// this service's clock.
    ///
    /// # Errors
    /// `Unauthenticated` for a malformed, forged or expired token.
    pub fn verify(&self, token: &str) -> Result<i64, AppError> {
        let mut validation = Validation::new(Algorithm::HS256);
        // Expiry is checked against the injected clock below, not the system clock.
        validation.validate_exp = false;
        validation.required_spec_claims = ["exp", "sub"].into_iter().map(String::from).collect();
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map_err(|_| AppError::Unauthenticated)?;
        if data.claims.exp <= self.clock.now().timestamp() {
            return Err(AppError::Unauthenticated);
        }
        data.claims.sub.parse().map_err(|_| AppError::Unauthenticated)
    }
}

/// An account as [`authenticate`] reads it: id, role, whether active, department, institution,
/// and that institution's department.
type Account = (i64, entity::sea_orm_active_enums::Role, bool, Option<String>, Option<i64>, Option<String>);

/// Resolves a bearer token to the caller it stands for.
///
/// # Errors
/// `Unauthenticated` when the token is invalid or its user is gone, inactive, or bound to
/// nothing its role needs.
pub async fn authenticate(db: &DatabaseConnection, tokens: &Tokens, token: &str) -> Result<Caller, AppError> {
    let user_id = tokens.verify(token)?;
    // What a grant needs and no more: this runs before every signed-in request.
    let account: Option<Account> = user::Entity::find_by_id(user_id)
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::Role)
        .column(user::Column::Active)
        .column(user::Column::DepartmentCode)
        .column(user::Column::InstitutionId)
        .column_as(institution::Column::DepartmentCode, "institution_department_code")
        .left_join(institution::Entity)
        .into_tuple()
        .one(db)
        .await?;
    let Some((user_id, role, active, department_code, institution_id, institution_department)) = account
    else {
        return Err(AppError::Unauthenticated);
    };
    if !active {
        return Err(AppError::Unauthenticated);
    }
    let role = Role::from(role);
    let grant = grant_of(role, department_code, institution_id.zip(institution_department))
        .ok_or(AppError::Unauthenticated)?;
    Ok(Caller::User(Subject { user_id, role, grant }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn passwords_are_hashed_on_threads_of_lower_priority_than_serving() {
        let niceness = crate::priority::current_niceness;
        let serving = niceness();
        let passwords = Passwords::new(1, 0).unwrap();
        let hashing = passwords.run(niceness).await.unwrap();
        assert_eq!(hashing, HASHING_NICENESS, "serving threads run at {serving}");
        assert_eq!(niceness(), serving, "the serving thread keeps its priority");
    }
}
