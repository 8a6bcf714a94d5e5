//! File downloads: `GET /files/{id}` and `GET /files/reports/{id}`, answered outside GraphQL
//! with the same token and the same authorization as the records they belong to.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::identity::Caller;
use crate::state::AppState;
use crate::web::{Web, caller, refuse, refuse_with};

/// A stored file on its way out: what a download needs to answer.
struct Download {
    id: i64,
    file_name: String,
    media_type: String,
    content: Vec<u8>,
}

/// `GET /files/{id}`: a filing's attachment, for whoever may read the filing.
pub(crate) async fn filing_file(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    serve_file(&web, &headers, &id, |state, caller, id| async move {
        let (a, content) = crate::service::filings::download(&state, &caller, id).await?;
        Ok(Download { id: a.id, file_name: a.file_name, media_type: a.media_type, content })
    })
    .await
}

/// `GET /files/reports/{id}`: an annual report's attachment, for whoever may read the report.
pub(crate) async fn report_file(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    serve_file(&web, &headers, &id, |state, caller, id| async move {
        let (a, content) = crate::service::annual_reports::download(&state, &caller, id).await?;
        Ok(Download { id: a.id, file_name: a.file_name, media_type: a.media_type, content })
    })
    .await
}

/// Authenticates, loads through `fetch` (which authorizes), and answers with the file as
/// an attachment that browsers will not sniff or cache.
async fn serve_file<F, Fut>(web: &Web, headers: &HeaderMap, id: &str, fetch: F) -> Response
where
    F: FnOnce(AppState, Caller, i64) -> Fut,
    Fut: std::future::Future<Output = Result<Download, AppError>>,
{
    let caller = match caller(&web.state, headers).await {
        Ok(caller) => caller,
        Err(response) => return response,
    };
    let Some(id) = id.parse::<i64>().ok().filter(|id| *id > 0) else {
        return refuse(StatusCode::NOT_FOUND, "NOT_FOUND", "attachment not found");
    };
    match fetch(web.state.clone(), caller, id).await {
        Ok(file) => {
            let disposition = format!(
                "attachment; filename=\"attachment-{}\"; filename*=UTF-8''{}",
                file.id,
                percent_encode(&file.file_name)
            );
            let mut response = (StatusCode::OK, file.content).into_response();
            let headers = response.headers_mut();
            for (name, value) in [
                (header::CONTENT_TYPE, file.media_type.as_str()),
                (header::CONTENT_DISPOSITION, disposition.as_str()),
                (header::CACHE_CONTROL, "private, no-store"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ] {
                if let Ok(value) = HeaderValue::from_str(value) {
                    headers.insert(name, value);
                }
            }
            response
        }
        Err(error) => refuse_with(&error),
    }
}

/// Percent-encodes a file name for `filename*` (RFC 5987): everything but unreserved
/// characters.
fn percent_encode(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
