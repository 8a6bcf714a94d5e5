//! The one shape of every mutation:
//!
//! ```text
//! let uc = UseCase::begin(state, request).await?;      // signed-in caller, write transaction
//! let (record, scope) = load(&uc.txn, id).await?;      // load the aggregate and its scope
//! uc.authorize(Action::RecommendFiling, &scope)?;      // casbin: who and where
//! let to = uc.decide::<Filings>(from, action, comment)?; // the pure table: when
//! let record = uc.update::<filing::Entity>(id, version, set).await?; // one versioned update
//! uc.audit(AuditEntry::new(..).moved(..)).await?;      // one audit event
//! uc.commit().await?;
//! ```
//!
//! A use case is then a dozen lines of decisions; what differs between them is data.
//!
//! Two kinds of writes have no signed-in caller and open their transaction with
//! `db::begin_write` instead: the public mutations `login` and `registerApplicant`, which
//! record their audit event as the account they log in or create, and the operator's
//! subcommands (`create-user`, `import-calendar`, the first admin), recorded as `SYSTEM`.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, DatabaseTransaction};

use crate::authz::Action;
use crate::db::moving::{Changes, Moving};
use crate::db::{Versioned, begin_write, versioned_update};
use crate::domain::Named as _;
use crate::domain::clock::china_standard_time;
use crate::domain::scope::ScopePath;
use crate::domain::text::Prose;
use crate::domain::workflow::{self, Refusal, Workflow};
use crate::error::AppError;
use crate::identity::Subject;
use crate::service::audit::{self, AuditEntry};
use crate::state::{AppState, RequestContext};

/// The actions of a moving row's workflow.
type Step<M> = <<M as Moving>::Flow as Workflow>::Action;

/// A mutation in progress: the caller, the clock, the authorizer and one write transaction.
/// Dropped without [`UseCase::commit`], it writes nothing.
pub struct UseCase<'a> {
    pub state: &'a AppState,
    pub request: &'a RequestContext,
    /// The signed-in caller.
    pub subject: &'a Subject,
    pub txn: DatabaseTransaction,
}

impl<'a> UseCase<'a> {
    /// Starts a mutation for a signed-in caller.
    ///
    /// # Errors
    /// `UNAUTHENTICATED` for an anonymous caller; when the transaction cannot start.
    pub async fn begin(state: &'a AppState, request: &'a RequestContext) -> Result<Self, AppError> {
        let subject = request.caller.signed_in()?;
        let txn = begin_write(&state.writer).await?;
        Ok(Self { state, request, subject, txn })
    }

    /// Allows the caller to take `action` on a resource at `scope`.
    ///
    /// # Errors
    /// `FORBIDDEN` when the policy or the caller's grant does not allow it.
    pub fn authorize(&self, action: Action, scope: &ScopePath) -> Result<(), AppError> {
        self.state.authz.authorize(&self.request.caller, action, scope).map(|_| ())
    }

    /// The state after `action` from `from` in workflow `W`.
    ///
    /// # Errors
    /// `INVALID_TRANSITION`, or `BAD_USER_INPUT` on `input.comment` when the move needs a
    /// comment and none came.
    pub fn decide<W: Workflow>(
        &self,
        from: W::State,
        action: W::Action,
        comment: Option<&Prose>,
    ) -> Result<W::State, AppError> {
        Ok(workflow::decide::<W>(from, action, comment.is_some())?)
    }

    /// The state a record of workflow `W` starts in when `action` creates it.
    ///
    /// # Errors
    /// `INTERNAL` when the table has no creating row for `action`: a table out of step with
    /// its use case, which the tables' tests rule out.
    pub fn start<W: Workflow>(&self, action: W::Action) -> Result<W::State, AppError> {
        workflow::initial::<W>(action).ok_or_else(|| {
            AppError::Internal(anyhow::anyhow!("no row of the table creates by {}", action.name()))
        })
    }

    /// Writes `set` to row `id` if it is still at `version`, raising its version.
    ///
    /// # Errors
    /// `CONFLICT` for a stale version.
    pub async fn update<E: Versioned>(
        &self,
        id: i64,
        version: i32,
        set: E::ActiveModel,
    ) -> Result<E::Model, AppError> {
        versioned_update::<E>(&self.txn, id, version, set).await
    }

    /// Moves `row` through `action` of its workflow: checks the version the caller read,
    /// asks the table, writes the new state with `set`'s other columns in one versioned
    /// update, and records the move with `comment` in the audit trail. Use cases that move
    /// other records (publicity its filings, a summary its reports) call it on their own
    /// transaction.
    ///
    /// # Errors
    /// `CONFLICT` for a stale version, `INVALID_TRANSITION`, `BAD_USER_INPUT` for a missing
    /// comment.
    pub async fn step<M: Moving>(
        &self,
        scope: &ScopePath,
        row: &M,
        version: i32,
        action: Step<M>,
        comment: Option<&Prose>,
        mut set: Changes<M>,
    ) -> Result<M, AppError> {
        ensure_version(M::Table::NAME, row.version(), version)?;
        let from = row.state();
        let to = self.decide::<M::Flow>(from, action, comment)?;
        row.moved(&mut set, to);
        M::stamp(&mut set, self.now());
        let updated = self.update::<M::Table>(row.id(), version, set).await?;
        let entry = AuditEntry::new(Action::to_take(action)?, scope, M::ENTITY, row.id())
            .moved(Some(from.name()), Some(to.name()))
            .noting(comment.map(AsRef::as_ref));
        self.audit(entry).await?;
        Ok(updated)
    }

    /// Refuses a change beside the state (an attachment) unless `row` is at `version` and
    /// `action` is allowed where it stands.
    ///
    /// # Errors
    /// `CONFLICT` for a stale version, `INVALID_TRANSITION`.
    pub fn check<M: Moving>(&self, row: &M, version: i32, action: Step<M>) -> Result<(), AppError> {
        ensure_version(M::Table::NAME, row.version(), version)?;
        workflow::decide::<M::Flow>(row.state(), action, false)?;
        Ok(())
    }

    /// Raises `row`'s version for a change beside its state (an attachment) and audits it
    /// as `action` with `note`, so that a step that read the older row fails with `CONFLICT`.
    ///
    /// # Errors
    /// `CONFLICT` when the row changed meanwhile.
    pub async fn touch<M: Moving>(
        &self,
        scope: &ScopePath,
        row: &M,
        action: Action,
        note: &str,
    ) -> Result<M, AppError> {
        let mut set = <Changes<M> as ActiveModelTrait>::default();
        M::stamp(&mut set, self.now());
        let updated = self.update::<M::Table>(row.id(), row.version(), set).await?;
        self.audit(AuditEntry::new(action, scope, M::ENTITY, row.id()).noting(Some(note))).await?;
        Ok(updated)
    }

    /// Appends the mutation's audit event.
    ///
    /// # Errors
    /// When the insert fails.
    pub async fn audit(&self, entry: AuditEntry<'_>) -> Result<(), AppError> {
        audit::record(&self.txn, self.state, self.request, entry).await
    }

    /// Commits everything the mutation wrote.
    ///
    /// # Errors
    /// When the commit fails; nothing is then written.
    pub async fn commit(self) -> Result<(), AppError> {
        Ok(self.txn.commit().await?)
    }

    /// Now, by the injected clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.state.clock.now()
    }

    /// Today in China Standard Time.
    pub fn today(&self) -> NaiveDate {
        today(self.state)
    }
}

/// Refuses a write based on a stale read: the record of `entity` is at `current`, the
/// caller read `expected`. Checked before the workflow, so a stale caller hears `CONFLICT`
/// whatever else changed.
///
/// # Errors
/// `CONFLICT` when the versions differ.
pub fn ensure_version(entity: &str, current: i32, expected: i32) -> Result<(), AppError> {
    if current == expected { Ok(()) } else { Err(AppError::stale(entity)) }
}

/// Today in China Standard Time, by the state's clock.
pub fn today(state: &AppState) -> NaiveDate {
    state.clock.now().with_timezone(&china_standard_time()).date_naive()
}

impl From<Refusal> for AppError {
    /// The one way `INVALID_TRANSITION` is built.
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::NotAllowed { from, action } => AppError::InvalidTransition { from, action },
            Refusal::CommentRequired => AppError::invalid("input.comment", "this action needs a comment"),
        }
    }
}
