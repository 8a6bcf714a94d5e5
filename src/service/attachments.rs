//! Attachments of filings and annual reports: one check of what may be stored, one store
//! by content hash, one quota per institution, and the life of stored files. Each owner
//! keeps its own rows and decides when its attachments may change.
//!
//! A file outlives its rows by at most a moment: a removal deletes the file once no
//! attachment row references its hash ([`release`]), and `gc-files` ([`sweep`]) collects
//! what a crash or a failed transaction left behind.

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use entity::{annual_report, filing, filing_attachment, report_attachment};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

pub use crate::db::mapping::Stored;
use crate::domain::media;
use crate::domain::text::Name;
use crate::error::AppError;
use crate::service::usecase::UseCase;
use crate::state::AppState;
use crate::storage::{EntryKind, FileStore};

/// A file to attach.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub file_name: Name,
    pub content: Vec<u8>,
}

/// The media type of an upload, if its size and content are acceptable.
///
/// # Errors
/// `BAD_USER_INPUT` on `input.file` for an empty or oversized file, a kind not accepted, a
/// malformed PDF, or a ZIP container beyond its limits (the message names the limit).
pub fn check(state: &AppState, content: &[u8]) -> Result<&'static str, AppError> {
    let limit = state.settings.max_upload_bytes;
    if content.is_empty() || content.len() > limit {
        return Err(AppError::invalid("input.file", format!("must hold 1 to {limit} bytes")));
    }
    media::sniff(content).map_err(|unaccepted| AppError::invalid("input.file", unaccepted.to_string()))
}

/// Refuses a file of `size` bytes that would take the attachments of institution
/// `institution_id` beyond `max_institution_storage_bytes`. The sizes are those of the
/// rows, so the same file attached twice counts twice. Two uploads at once may both pass
/// and overshoot by one file; the quota bounds growth, it is not a ledger.
///
/// # Errors
/// `BAD_USER_INPUT` on `input.file` over the quota.
pub async fn check_quota(uc: &UseCase<'_>, institution_id: i64, size: usize) -> Result<(), AppError> {
    let filings: Vec<i64> = filing_attachment::Entity::find()
        .select_only()
        .column(filing_attachment::Column::SizeBytes)
        .inner_join(filing::Entity)
        .filter(filing::Column::InstitutionId.eq(institution_id))
        .into_tuple()
        .all(&uc.txn)
        .await?;
    let reports: Vec<i64> = report_attachment::Entity::find()
        .select_only()
        .column(report_attachment::Column::SizeBytes)
        .filter(
            report_attachment::Column::ReportId.in_subquery(
                Query::select()
                    .column(annual_report::Column::Id)
                    .from(annual_report::Entity)
                    .and_where(annual_report::Column::InstitutionId.eq(institution_id))
                    .to_owned(),
            ),
        )
        .into_tuple()
        .all(&uc.txn)
        .await?;
    let used: u64 = filings.iter().chain(&reports).map(|b| u64::try_from(*b).unwrap_or(0)).sum();
    let quota = uc.state.settings.max_institution_storage_bytes;
    if used.saturating_add(size as u64) > quota {
        return Err(AppError::invalid(
            "input.file",
            format!(
                "the institution's attachments take {used} of its {quota} bytes, too many for \
                 this file of {size}; remove attachments it no longer needs from drafts and \
                 returned filings or reports, then try again"
            ),
        ));
    }
    Ok(())
}

/// Stores the content under its SHA-256, before the row that references it: a failed
/// transaction leaves at most an unreferenced file, never a row without its file.
///
/// # Errors
/// When the file cannot be written: `INTERNAL` saying the store is full for a full disk,
/// an opaque `INTERNAL` otherwise. Nothing half-written stays behind.
pub async fn store(uc: &UseCase<'_>, media_type: &str, new: &NewAttachment) -> Result<Stored, AppError> {
    let sha256 = uc.state.files.put(&new.content).await.map_err(|error| {
        if crate::storage::is_full(&error) { AppError::StorageFull(error) } else { AppError::Internal(error) }
    })?;
    Ok(Stored {
        file_name: new.file_name.to_string(),
        media_type: media_type.to_owned(),
        size_bytes: i64::try_from(new.content.len()).unwrap_or(i64::MAX),
        sha256,
        uploaded_by: uc.subject.user_id,
        created_at: uc.now(),
    })
}

/// After an upload committed: makes sure its file is still there. A removal of the same
/// content may have deleted it between [`store`] and the commit (see
/// [`FileStore::remove_unreferenced`]); then the content is stored again. A failure is
/// logged, not returned: the row is committed, and the upload answered.
pub async fn keep(state: &AppState, new: &NewAttachment) {
    if let Err(error) = state.files.put(&new.content).await {
        tracing::error!(
            error.cause = format!("{error:#}"),
            file.sha256 = FileStore::hash(&new.content),
            "an attachment's file is missing after its upload committed"
        );
    }
}

/// After a removal committed: deletes the file with `sha256` if no attachment row of a
/// filing or a report references it any more. A failure is logged, not returned: the
/// removal stands, and `gc-files` collects the file later.
pub async fn release(state: &AppState, sha256: &str) {
    let released = async {
        if is_referenced(&state.db, sha256).await? {
            return Ok(0);
        }
        state
            .files
            .remove_unreferenced(sha256, || async { Ok(is_referenced(&state.db, sha256).await?) })
            .await
    };
    match released.await {
        Ok(0) => {}
        Ok(bytes) => tracing::info!(
            file.sha256 = sha256,
            file.bytes = bytes,
            "deleted a file no attachment references"
        ),
        Err(error) => tracing::warn!(
            error.cause = format!("{error:#}"),
            file.sha256 = sha256,
            "cannot delete a file no attachment references; gc-files will"
        ),
    }
}

/// Whether an attachment row of a filing or a report references `sha256`.
async fn is_referenced(db: &impl ConnectionTrait, sha256: &str) -> Result<bool, DbErr> {
    let filing: Option<i64> = filing_attachment::Entity::find()
        .select_only()
        .column(filing_attachment::Column::Id)
        .filter(filing_attachment::Column::Sha256.eq(sha256))
        .into_tuple()
        .one(db)
        .await?;
    if filing.is_some() {
        return Ok(true);
    }
    let report: Option<i64> = report_attachment::Entity::find()
        .select_only()
        .column(report_attachment::Column::Id)
        .filter(report_attachment::Column::Sha256.eq(sha256))
        .into_tuple()
        .one(db)
        .await?;
    Ok(report.is_some())
}

/// How a sweep of the file store goes.
#[derive(Debug, Clone, Copy)]
pub struct Sweep {
    /// Report only; delete nothing.
    pub dry_run: bool,
    /// Files younger than this are left alone: an upload writes its file before its row
    /// commits, and a temporary file may be a write in progress.
    pub grace: Duration,
}

/// What a sweep found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Files looked at.
    pub checked: u64,
    /// Stored files no attachment row references, older than the grace period.
    pub orphans: Vec<PathBuf>,
    /// Temporary files older than the grace period: abandoned writes and deletions.
    pub strays: Vec<PathBuf>,
    /// Files younger than the grace period that would otherwise go, left for a later sweep.
    pub young: u64,
    /// Files that are not the store's (odd names, folders), left alone.
    pub foreign: Vec<PathBuf>,
    /// Bytes freed; in a dry run, the bytes a sweep would free.
    pub bytes_freed: u64,
    /// Files that could not be deleted (each logged).
    pub failed: u64,
}

/// Finds the files of the store no attachment row references (orphans) and temporary
/// files left behind (strays), both older than `sweep.grace`, and deletes them unless
/// `sweep.dry_run`. Orphans are deleted as a removal deletes them, asking the database
/// once more for each, so an upload of the same content that commits meanwhile keeps its
/// file. `progress` is told `(done, total)` after each file.
///
/// # Errors
/// When the store cannot be listed or the database read.
pub async fn sweep(
    state: &AppState,
    sweep: Sweep,
    mut progress: impl FnMut(u64, u64),
) -> Result<SweepReport, AppError> {
    let entries = state.files.entries().await?;
    let referenced = referenced_hashes(&state.db).await?;
    let cutoff = SystemTime::now().checked_sub(sweep.grace).unwrap_or(SystemTime::UNIX_EPOCH);
    let total = entries.len() as u64;
    let mut report = SweepReport::default();
    for entry in entries {
        report.checked += 1;
        let goes = match &entry.kind {
            EntryKind::Content { sha256 } => !referenced.contains(sha256),
            EntryKind::Temporary => true,
            EntryKind::Foreign => {
                report.foreign.push(entry.path.clone());
                false
            }
        };
        if goes && entry.modified <= cutoff {
            let freed = if sweep.dry_run {
                Ok(entry.size)
            } else if let EntryKind::Content { sha256 } = &entry.kind {
                let db = &state.db;
                state
                    .files
                    .remove_unreferenced(sha256, || async { Ok(is_referenced(db, sha256).await?) })
                    .await
            } else {
                state.files.remove_temporary(&entry).await
            };
            match freed {
                Ok(bytes) => report.bytes_freed += bytes,
                Err(error) => {
                    tracing::warn!(
                        error.cause = format!("{error:#}"),
                        file.path = %entry.path.display(),
                        "cannot delete a file no attachment references"
                    );
                    report.failed += 1;
                }
            }
            match entry.kind {
                EntryKind::Content { .. } => report.orphans.push(entry.path),
                _ => report.strays.push(entry.path),
            }
        } else if goes {
            report.young += 1;
        }
        progress(report.checked, total);
    }
    Ok(report)
}

/// Every hash an attachment row references.
async fn referenced_hashes(db: &impl ConnectionTrait) -> Result<HashSet<String>, DbErr> {
    let mut hashes: HashSet<String> = filing_attachment::Entity::find()
        .select_only()
        .column(filing_attachment::Column::Sha256)
        .distinct()
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let reports: Vec<String> = report_attachment::Entity::find()
        .select_only()
        .column(report_attachment::Column::Sha256)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    hashes.extend(reports);
    Ok(hashes)
}
