//! HTTP: the GraphQL endpoint by the GraphQL-over-HTTP spec, health checks, request ids.
//!
//! async-graphql-axum's extractor is not used: it answers every request as
//! `application/graphql-response+json`, ignores body limits, accepts CSRF-prone content
//! types and runs mutations over GET. Here the handler checks method, content type, size
//! and token first (an upload without a token is refused before its body is read), counts
//! the files of an upload, then parses the body with async-graphql's own reader.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use async_graphql::http::{GraphiQLSource, MultipartOptions, receive_batch_body};
use async_graphql::parser::types::OperationType;
use async_graphql::{BatchRequest, BatchResponse, Request, Variables};
use axum::Extension;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use http_body_util::{BodyExt, Limited};
use tokio::sync::OwnedSemaphorePermit;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::config::Settings;
use crate::error::AppError;
use crate::graphql::Schemas;
use crate::graphql::limits::{Allowance, GRAPHQL_VALIDATION_FAILED};
use crate::identity::{Caller, authenticate};
use crate::priority;
use crate::public_answers::{PublicAnswers, PublicRead};
use crate::state::{AppState, RequestContext};

mod media;

use media::{Answer, JSON, negotiate};

/// Headers any one of which marks a multipart request as not a simple cross-site form
/// post: browsers send them only after a CORS preflight.
pub const PREFLIGHT_HEADERS: [&str; 2] = ["apollo-require-preflight", "x-apollo-operation-name"];

#[derive(Clone)]
pub(crate) struct Web {
    pub(crate) state: AppState,
    schemas: Schemas,
    public_answers: Arc<PublicAnswers>,
}

/// The service's routes, with request ids and request tracing.
pub fn router(state: AppState, schemas: Schemas) -> Router {
    Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/files/{id}", get(crate::downloads::filing_file))
        .route("/files/reports/{id}", get(crate::downloads::report_file))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(Web { state, schemas, public_answers: Arc::default() })
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        // Path only: a GET query string can carry variables.
                        .make_span_with(|request: &axum::http::Request<Body>| {
                            let id = request
                                .headers()
                                .get("x-request-id")
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or_default();
                            tracing::info_span!(
                                "http.request",
                                http.method = %request.method(),
                                http.path = %request.uri().path(),
                                request.id = %id,
                            )
                        })
                        .on_response(crate::telemetry::log_answer),
                )
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(CatchPanicLayer::custom(answer_panic)),
        )
}

/// Answers a request whose handler panicked as any internal error is answered: status 500,
/// code `INTERNAL`, the cause in the log and not in the body. The process lives on.
fn answer_panic(cause: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let cause = cause
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| cause.downcast_ref::<&str>().copied())
        .unwrap_or("a panic without a message");
    tracing::error!(error.cause = cause, "a request handler panicked");
    refuse(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", "internal error")
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(web): State<Web>) -> Response {
    match tokio::time::timeout(Duration::from_secs(2), web.state.probe.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready").into_response(),
        Ok(Err(error)) => {
            tracing::warn!(error.cause = %error, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database timed out").into_response(),
    }
}

/// A response in GraphQL's error shape, for requests refused before execution.
/// The HTTP status of an error answered outside GraphQL (file downloads, the token check).
/// Its `extensions.code` comes from the one table in [`crate::graphql::error`].
fn status_of(error: &AppError) -> StatusCode {
    match error {
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::NotFound { .. } => StatusCode::NOT_FOUND,
        AppError::Validation { .. } => StatusCode::BAD_REQUEST,
        AppError::Conflict { .. } | AppError::InvalidTransition { .. } => StatusCode::CONFLICT,
        AppError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        AppError::Ineligible { .. } | AppError::ExemptInstitution | AppError::Banned { .. } => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        AppError::StorageFull(_) => StatusCode::INSUFFICIENT_STORAGE,
        AppError::Unavailable | AppError::Timeout => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Answers `error` with its status, code and client message.
pub(crate) fn refuse_with(error: &AppError) -> Response {
    crate::graphql::error::log_internal(error);
    let response = refuse(status_of(error), crate::graphql::error::code(error), &error.message());
    if matches!(error, AppError::Unavailable | AppError::Timeout) { retry_later(response) } else { response }
}

pub(crate) fn refuse(status: StatusCode, code: &str, message: &str) -> Response {
    let body = serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    let mut response = (status, [(header::CONTENT_TYPE, JSON)], body.to_string()).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

async fn graphql_post(
    State(web): State<Web>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Some(answer) = negotiate(&headers) else {
        return refuse(
            StatusCode::NOT_ACCEPTABLE,
            "BAD_REQUEST",
            "accept application/json or application/graphql-response+json",
        );
    };
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let media = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let settings = &web.state.settings;
    let limit = match media.as_str() {
        JSON => settings.max_body_bytes,
        "multipart/form-data" if PREFLIGHT_HEADERS.iter().any(|h| headers.contains_key(*h)) => {
            settings.max_body_bytes + settings.max_upload_bytes
        }
        "multipart/form-data" => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "multipart requests need an Apollo-Require-Preflight or X-Apollo-Operation-Name header",
            );
        }
        _ => {
            return refuse(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "BAD_REQUEST",
                "send application/json (or multipart/form-data for uploads)",
            );
        }
    };
    let multipart = media == "multipart/form-data";
    let (caller, _turn) = match admitted_caller(&web.state, &headers).await {
        Ok(admitted) => admitted,
        Err(response) => return response,
    };
    // No public operation takes a file: refuse an anonymous upload before reading its body.
    if multipart && matches!(caller, Caller::Anonymous) {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            "uploads need a signed-in caller: send Authorization: Bearer <token>",
        );
    }
    let body_timeout = Duration::from_secs(settings.body_read_timeout_seconds.max(1));
    let Ok(read) = tokio::time::timeout(body_timeout, Limited::new(body, limit).collect()).await else {
        let message = format!("the request body did not arrive within {} s", body_timeout.as_secs());
        return refuse(StatusCode::REQUEST_TIMEOUT, "BAD_REQUEST", &message);
    };
    let bytes: Bytes = match read {
        Ok(collected) => collected.to_bytes(),
        Err(error) if error.downcast_ref::<http_body_util::LengthLimitError>().is_some() => {
            return refuse(StatusCode::PAYLOAD_TOO_LARGE, "BAD_REQUEST", "request body too large");
        }
        Err(_) => return refuse(StatusCode::BAD_REQUEST, "BAD_REQUEST", "could not read the request body"),
    };
    if multipart && count_files(content_type, bytes.clone()).await > settings.max_upload_files {
        let message = format!("a request may carry at most {} files", settings.max_upload_files);
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, "BAD_USER_INPUT", &message);
    }
    // async-graphql's `max_num_files` only scales its whole-stream limit; the count above
    // is what limits the number of files.
    let options = MultipartOptions::default()
        .max_file_size(settings.max_upload_bytes)
        .max_num_files(settings.max_upload_files);
    let batch = match receive_batch_body(Some(content_type), bytes.as_ref(), options).await {
        Ok(batch) => batch,
        Err(async_graphql::ParseRequestError::PayloadTooLarge) => {
            let message = format!("a file may hold at most {} bytes", settings.max_upload_bytes);
            return refuse(StatusCode::PAYLOAD_TOO_LARGE, "BAD_USER_INPUT", &message);
        }
        Err(error) => {
            tracing::debug!(error.cause = %error, "unparsable GraphQL request");
            return refuse(StatusCode::BAD_REQUEST, "BAD_REQUEST", "the body is not a GraphQL request");
        }
    };
    let client = client_address(&web.state.settings, &headers, peer);
    execute(&web, &headers, Who { caller, client }, batch, answer).await
}

/// How many files a multipart request carries: its file parts or the places its `map`
/// puts files, whichever is more (one part mapped to two variables is two uploads). Read
/// from the body in memory, before async-graphql spools each file part to a temporary
/// file. A body that does not parse counts 0 here and is refused by the parser.
async fn count_files(content_type: &str, body: Bytes) -> usize {
    let Ok(boundary) = multer::parse_boundary(content_type) else {
        return 0;
    };
    let stream = futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let (mut parts, mut mapped) = (0, 0);
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("map") {
            let map = field
                .bytes()
                .await
                .ok()
                .and_then(|map| serde_json::from_slice::<HashMap<String, Vec<String>>>(&map).ok());
            mapped = map.map_or(0, |map| map.values().map(Vec::len).sum());
        } else if field.file_name().is_some() {
            parts += 1;
        }
    }
    parts.max(mapped)
}

async fn graphql_get(
    State(web): State<Web>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Some(query) = params.get("query") else {
        let wants_html = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/html"));
        return if wants_html && web.state.settings.anonymous_introspection {
            Html(GraphiQLSource::build().endpoint("/graphql").finish()).into_response()
        } else if wants_html {
            refuse(StatusCode::NOT_FOUND, "NOT_FOUND", "the console is turned off on this server")
        } else {
            refuse(StatusCode::BAD_REQUEST, "BAD_REQUEST", "missing the query parameter")
        };
    };
    let Some(answer) = negotiate(&headers) else {
        return refuse(
            StatusCode::NOT_ACCEPTABLE,
            "BAD_REQUEST",
            "accept application/json or application/graphql-response+json",
        );
    };
    let mut request = Request::new(query.as_str());
    // The spec's name is `operationName`; async-graphql's own GET reader wants another.
    if let Some(name) = params.get("operationName").filter(|n| !n.is_empty()) {
        request = request.operation_name(name.as_str());
    }
    if let Some(variables) = params.get("variables").filter(|v| !v.is_empty()) {
        match serde_json::from_str::<serde_json::Value>(variables) {
            Ok(value @ serde_json::Value::Object(_)) => {
                request = request.variables(Variables::from_json(value))
            }
            _ => return refuse(StatusCode::BAD_REQUEST, "BAD_REQUEST", "variables must be a JSON object"),
        }
    }
    let operation_name = request.operation_name.clone();
    let is_mutation = match request.parsed_query() {
        Ok(document) => document.operations.iter().any(|(name, op)| {
            let selected =
                operation_name.as_deref().is_none_or(|wanted| name.is_some_and(|n| n.as_str() == wanted));
            selected && op.node.ty == OperationType::Mutation
        }),
        // Execution reports the syntax error in the usual shape.
        Err(_) => false,
    };
    if is_mutation {
        let mut response =
            refuse(StatusCode::METHOD_NOT_ALLOWED, "BAD_REQUEST", "mutations must be sent with POST");
        response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    let (caller, _turn) = match admitted_caller(&web.state, &headers).await {
        Ok(admitted) => admitted,
        Err(response) => return response,
    };
    let client = client_address(&web.state.settings, &headers, peer);
    execute(&web, &headers, Who { caller, client }, BatchRequest::Single(request), answer).await
}

/// The caller, and their turn when they are anonymous: refused when the token is bad or
/// when anonymous callers already hold their share of the service.
async fn admitted_caller(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(Caller, Option<OwnedSemaphorePermit>), Response> {
    let caller = caller(state, headers).await?;
    let turn = priority::admit(state, &caller).await.map_err(|error| refuse_with(&error))?;
    Ok((caller, turn))
}

/// The caller named by the bearer token, anonymous without one.
pub(crate) async fn caller(state: &AppState, headers: &HeaderMap) -> Result<Caller, Response> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(Caller::Anonymous);
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim);
    let Some(token) = token else {
        return Err(refuse(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", "use Authorization: Bearer <token>"));
    };
    match authenticate(&state.db, &state.tokens, token).await {
        Ok(caller) => Ok(caller),
        Err(AppError::Unauthenticated) => Err(refuse(
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            "the token is invalid or expired; log in again",
        )),
        Err(error) => Err(refuse_with(&error)),
    }
}

/// The client's address: the first `X-Forwarded-For` entry when the settings trust the
/// proxy in front, else the peer of the connection.
fn client_address(
    settings: &Settings,
    headers: &HeaderMap,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
) -> Option<IpAddr> {
    let forwarded = || {
        let value = headers.get("x-forwarded-for")?.to_str().ok()?;
        value.split(',').next()?.trim().parse().ok()
    };
    let peer = peer.map(|Extension(ConnectInfo(address))| address.ip());
    if settings.trust_forwarded_for { forwarded().or(peer) } else { peer }
}

/// Who sent a request, and from where.
struct Who {
    caller: Caller,
    client: Option<IpAddr>,
}

async fn execute(web: &Web, headers: &HeaderMap, who: Who, batch: BatchRequest, answer: Answer) -> Response {
    let Who { caller, client } = who;
    let anonymous = matches!(caller, Caller::Anonymous);
    let size = match &batch {
        BatchRequest::Single(_) => 1,
        BatchRequest::Batch(requests) => requests.len(),
    };
    if size == 0 || size > web.state.settings.max_batch_size {
        let message = format!("a batch holds 1 to {} operations", web.state.settings.max_batch_size);
        return refuse(StatusCode::BAD_REQUEST, "BAD_REQUEST", &message);
    }
    let settings = &web.state.settings;
    let allowance = Allowance {
        cost: if anonymous { settings.max_anonymous_request_cost } else { settings.max_request_cost },
        aliases: settings.max_aliases,
        directives: settings.max_directives,
    };
    let request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let context = RequestContext { caller, request_id, client };
    let closed = anonymous && !settings.anonymous_introspection;
    let mut batch = if closed { batch.disable_introspection() } else { batch };
    let public_read = match &mut batch {
        BatchRequest::Single(request) if anonymous => {
            web.public_answers.read(&web.state, &web.schemas, request).await
        }
        _ => None,
    };
    if let Some(body) = public_read.as_ref().and_then(PublicRead::kept) {
        return answered(StatusCode::OK, answer, body);
    }
    let deadline = Duration::from_secs(settings.request_timeout_seconds.max(1));
    // A stranger's request runs below signed-in users' in priority (see `crate::priority`).
    let run = async {
        if anonymous {
            let schemas = web.schemas.clone();
            priority::run_anonymous(async move { schemas.execute(batch, context, allowance).await }).await
        } else {
            Ok(web.schemas.execute(batch, context, allowance).await)
        }
    };
    let Ok(run) = tokio::time::timeout(deadline, run).await else {
        // Dropping the execution rolls back any transaction it had open.
        tracing::warn!(deadline.seconds = deadline.as_secs(), "a request ran past its deadline");
        let message =
            format!("the request took longer than {} s; ask for less, or retry later", deadline.as_secs());
        return retry_later(refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            crate::graphql::error::TIMEOUT,
            &message,
        ));
    };
    let mut response = match run {
        Ok(response) => response,
        Err(error) => return refuse_with(&AppError::Internal(error.into())),
    };
    let clean = matches!(&response, BatchResponse::Single(r) if r.errors.is_empty());
    match &mut response {
        BatchResponse::Single(r) => name_codeless_errors(r),
        BatchResponse::Batch(rs) => rs.iter_mut().for_each(name_codeless_errors),
    }

    let request_error = |r: &async_graphql::Response| {
        r.data == async_graphql::Value::Null
            && !r.errors.is_empty()
            && r.errors.iter().all(|e| e.path.is_empty())
    };
    let failed = match &response {
        BatchResponse::Single(r) => request_error(r),
        BatchResponse::Batch(rs) => rs.iter().all(request_error),
    };
    // Saturated, or stopped at the deadline by the database: 503, retry later.
    let saturated = |r: &async_graphql::Response| {
        use crate::graphql::error::{SERVICE_UNAVAILABLE, TIMEOUT};
        r.errors.iter().any(|e| {
            let code = e.extensions.as_ref().and_then(|x| x.get("code"));
            [SERVICE_UNAVAILABLE, TIMEOUT].into_iter().any(|c| code == Some(&async_graphql::Value::from(c)))
        })
    };
    let shed = match &response {
        BatchResponse::Single(r) => saturated(r),
        BatchResponse::Batch(rs) => rs.iter().any(saturated),
    };
    let status = if shed {
        StatusCode::SERVICE_UNAVAILABLE
    } else if failed && answer == Answer::GraphqlResponse {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let encoded = if failed && answer == Answer::GraphqlResponse {
        // A request error has no `data` at all in the GraphQL response type, not null.
        serde_json::to_value(&response).and_then(|mut value| {
            let without_data = |v: &mut serde_json::Value| {
                if let Some(object) = v.as_object_mut() {
                    object.remove("data");
                }
            };
            match &mut value {
                serde_json::Value::Array(items) => items.iter_mut().for_each(without_data),
                single => without_data(single),
            }
            serde_json::to_vec(&value)
        })
    } else {
        // Straight to bytes: going through a `serde_json::Value` copied every answer once more.
        serde_json::to_vec(&response)
    };
    let body = match encoded {
        Ok(body) => Bytes::from(body),
        Err(error) => {
            tracing::error!(error.cause = %error, "cannot serialize a response");
            return refuse(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", "internal error");
        }
    };
    if let Some(read) = public_read.filter(|_| clean && status == StatusCode::OK) {
        read.keep(body.clone());
    }
    let response = answered(status, answer, body);
    if shed { retry_later(response) } else { response }
}

fn answered(status: StatusCode, answer: Answer, body: Bytes) -> Response {
    (status, [(header::CONTENT_TYPE, answer.content_type()), (header::CACHE_CONTROL, "no-store")], body)
        .into_response()
}

/// Adds `Retry-After: 1` to a response that sheds load.
fn retry_later(mut response: Response) -> Response {
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

/// Gives errors that async-graphql raised itself (syntax, validation) the code
/// `GRAPHQL_VALIDATION_FAILED`: every error a client sees carries a code.
fn name_codeless_errors(response: &mut async_graphql::Response) {
    for error in &mut response.errors {
        let extensions = error.extensions.get_or_insert_with(Default::default);
        if extensions.get("code").is_none() {
            extensions.set("code", GRAPHQL_VALIDATION_FAILED);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_is_answered_as_an_internal_error() {
        use tower::ServiceExt as _;
        async fn boom() -> &'static str {
            panic!("index out of bounds in a handler")
        }
        let router: Router =
            Router::new().route("/boom", get(boom)).layer(CatchPanicLayer::custom(answer_panic));
        let request = axum::http::Request::get("/boom").body(Body::empty()).unwrap();
        let response = router.oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "INTERNAL");
        assert!(!body.to_string().contains("out of bounds"), "the cause stays in the log");
    }
}
