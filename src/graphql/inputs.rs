//! What every area's inputs share: row ids, field parsing that names the field's path in
//! the input (e.g. `input.institution.uscc`) in every refusal, and uploads.

use async_graphql::{ID, Upload};

use crate::domain::reports;
use crate::domain::text::{InvalidValue, Name, Prose, Text};
use crate::error::AppError;
use crate::service::attachments::NewAttachment;

/// Parses one field, naming it in the error.
pub(crate) fn field<T>(path: &str, parsed: Result<T, InvalidValue>) -> Result<T, AppError> {
    parsed.map_err(|e| AppError::invalid(path, e.0))
}

/// Parses an optional field; a blank value counts as left out.
pub(crate) fn optional<T>(
    path: &str,
    value: Option<&str>,
    parse: impl Fn(&str) -> Result<T, InvalidValue>,
) -> Result<Option<T>, AppError> {
    value.filter(|v| !v.trim().is_empty()).map(|v| field(path, parse(v))).transpose()
}

/// Parses an `ID` that stands for a row id.
/// A year argument, within [`reports::YEARS`].
///
/// # Errors
/// `BAD_USER_INPUT` naming `path` for any other number.
pub fn year(path: &str, year: i32) -> Result<i32, AppError> {
    if reports::YEARS.contains(&year) {
        Ok(year)
    } else {
        let (first, last) = (reports::YEARS.start(), reports::YEARS.end());
        Err(AppError::invalid(path, format!("must be a year from {first} to {last}")))
    }
}

/// The year of an optional year argument, as [`year`].
///
/// # Errors
/// As [`year`].
pub fn optional_year(path: &str, value: Option<i32>) -> Result<Option<i32>, AppError> {
    value.map(|v| year(path, v)).transpose()
}

pub fn row_id(path: &str, id: &ID) -> Result<i64, AppError> {
    id.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| AppError::invalid(path, "not a valid id"))
}

/// The parts of a workflow step's input: the row id (`input.id`), the version the caller
/// read, and the comment (`input.comment`), a blank one counting as none.
///
/// # Errors
/// `BAD_USER_INPUT` for a bad id or an overlong comment.
pub(crate) fn step_input(
    id: &ID,
    version: i32,
    comment: Option<&str>,
) -> Result<(i64, i32, Option<Prose>), AppError> {
    Ok((row_id("input.id", id)?, version, optional("input.comment", comment, Text::parse)?))
}

/// Reads an uploaded file whole, with its name, as an attachment to store.
///
/// # Errors
/// `BAD_USER_INPUT` on `input.file` when no file came or its name is unusable.
pub async fn read_upload(ctx: &async_graphql::Context<'_>, file: &Upload) -> Result<NewAttachment, AppError> {
    let upload = file.value(ctx).map_err(|_| AppError::invalid("input.file", "no file was sent"))?;
    let file_name = Name::parse(&upload.filename)
        .map_err(|e| AppError::invalid("input.file", format!("file name {e}")))?;
    let content = tokio::task::spawn_blocking(move || {
        use std::io::Read as _;
        let mut content = Vec::new();
        upload.into_read().read_to_end(&mut content).map(|_| content)
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::Error::new(e)))?
    .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("reading an upload")))?;
    Ok(NewAttachment { file_name, content })
}
