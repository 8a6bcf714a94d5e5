//! Attachments of filings and annual reports: one check of what may be stored, one store
//! by content hash. Each owner keeps its own rows and decides when its attachments may
//! change.

pub use crate::db::mapping::Stored;
use crate::domain::media;
use crate::domain::text::Name;
use crate::error::AppError;
use crate::service::usecase::UseCase;
use crate::state::AppState;

/// A file to attach.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub file_name: Name,
    pub content: Vec<u8>,
}

/// The media type of an upload, if its size and content are acceptable.
///
/// # Errors
/// `BAD_USER_INPUT` on `input.file` for an empty or oversized file, or a kind not accepted.
pub fn check(state: &AppState, content: &[u8]) -> Result<&'static str, AppError> {
    let limit = state.settings.max_upload_bytes;
    if content.is_empty() || content.len() > limit {
        return Err(AppError::invalid("input.file", format!("must hold 1 to {limit} bytes")));
    }
    media::sniff(content).ok_or_else(|| {
        AppError::invalid(
            "input.file",
            "must be a PDF, OFD, DOC, DOCX, JPEG or PNG file (judged by its content)",
        )
    })
}

/// Stores the content under its SHA-256, before the row that references it: a failed
/// transaction leaves at most an unreferenced file, never a row without its file.
///
/// # Errors
/// When the file cannot be written.
pub async fn store(uc: &UseCase<'_>, media_type: &str, new: &NewAttachment) -> Result<Stored, AppError> {
    let sha256 = uc.state.files.put(&new.content).await?;
    Ok(Stored {
        file_name: new.file_name.to_string(),
        media_type: media_type.to_owned(),
        size_bytes: i64::try_from(new.content.len()).unwrap_or(i64::MAX),
        sha256,
        uploaded_by: uc.subject.user_id,
        created_at: uc.now(),
    })
}
