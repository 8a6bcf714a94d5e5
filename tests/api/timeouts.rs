//! Time limits: slow clients are cut off, a saturated service sheds requests fast with 503
//! and `Retry-After`, and readiness never waits behind user traffic.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use crate::helpers::{Persona, TestApp, spawn_app_with};

fn port_of(app: &TestApp) -> u16 {
    app.address.rsplit(':').next().unwrap().parse().unwrap()
}

/// Reads until the server closes the connection; returns what it sent and how long it took.
async fn read_until_closed(stream: &mut TcpStream, within: Duration) -> (String, Duration) {
    let start = Instant::now();
    let mut received = Vec::new();
    let read = tokio::time::timeout(within, stream.read_to_end(&mut received)).await;
    assert!(read.is_ok(), "the server kept the connection open for {within:?}");
    (String::from_utf8_lossy(&received).into_owned(), start.elapsed())
}

#[tokio::test]
async fn a_client_trickling_headers_is_cut_off() {
    let app = spawn_app_with(|s| s.header_read_timeout_seconds = 1).await;
    let mut stream = TcpStream::connect(("127.0.0.1", port_of(&app))).await.unwrap();
    stream.write_all(b"POST /graphql HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let (_, took) = read_until_closed(&mut stream, Duration::from_secs(5)).await;
    assert!(took >= Duration::from_millis(900), "closed after {took:?}");
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed() {
    let app = spawn_app_with(|s| s.header_read_timeout_seconds = 1).await;
    let mut stream = TcpStream::connect(("127.0.0.1", port_of(&app))).await.unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let (answer, _) = read_until_closed(&mut stream, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn a_body_that_does_not_arrive_in_time_gets_408() {
    let app = spawn_app_with(|s| s.body_read_timeout_seconds = 1).await;
    let mut stream = TcpStream::connect(("127.0.0.1", port_of(&app))).await.unwrap();
    let head =
        "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(b"{\"query\":").await.unwrap();
    let (answer, _) = read_until_closed(&mut stream, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

#[tokio::test]
async fn connections_beyond_the_cap_are_closed_at_once() {
    let app = spawn_app_with(|s| {
        s.max_connections = 2;
        s.header_read_timeout_seconds = 30;
    })
    .await;
    let port = port_of(&app);
    let held = [
        TcpStream::connect(("127.0.0.1", port)).await.unwrap(),
        TcpStream::connect(("127.0.0.1", port)).await.unwrap(),
    ];
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut third = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let (answer, took) = read_until_closed(&mut third, Duration::from_secs(5)).await;
    assert!(answer.is_empty() && took < Duration::from_secs(2), "{answer:?} after {took:?}");
    drop(held);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let health = reqwest::get(format!("{}/healthz", app.address)).await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_request_past_its_deadline_is_answered_503_and_changes_nothing() {
    let app = spawn_app_with(|s| s.request_timeout_seconds = 1).await;
    let world = app.world().await;
    // Another writer holds the database's write lock for longer than the deadline.
    let blocker = outlet_filing::db::begin_write(&app.state.writer).await.unwrap();
    let update = "mutation($input: UpdateInstitutionInput!) { updateInstitution(input: $input) { institution { address } } }";
    let input = json!({ "id": world.a.id.to_string(), "version": world.a.version, "address": "新地址" });
    let started = Instant::now();
    let reply = app.graphql_as(world.token(Persona::OwnApplicant), update, json!({ "input": input })).await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{}", reply.body);
    reply.error("TIMEOUT");
    assert!(started.elapsed() < Duration::from_secs(4));
    blocker.rollback().await.unwrap();
    let now = app
        .graphql_as(
            world.token(Persona::OwnApplicant),
            "query($id: ID!) { institution(id: $id) { address } }",
            json!({ "id": world.a.id.to_string() }),
        )
        .await;
    assert_eq!(now.data()["institution"]["address"], world.a.address.as_str());
}

#[tokio::test]
async fn a_saturated_pool_sheds_fast_while_readiness_still_answers() {
    let app = spawn_app_with(|s| {
        s.max_db_connections = 1;
        // Opening a connection counts against this wait too; leave a busy test machine
        // room to open the first one.
        s.db_acquire_timeout_ms = 600;
    })
    .await;
    let world = app.world().await;
    let reviewer = world.token(Persona::Reviewer).unwrap().to_owned();
    // Hold the one pooled connection.
    use sea_orm::TransactionTrait as _;
    let holder = app.state.db.begin().await.unwrap();
    let started = Instant::now();
    let response = app
        .client
        .post(app.endpoint())
        .bearer_auth(&reviewer)
        .json(&json!({ "query": "{ institutions(first: 5) { totalCount } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()["retry-after"], "1");
    assert!(started.elapsed() < Duration::from_secs(2), "shed after {:?}", started.elapsed());
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "SERVICE_UNAVAILABLE");

    let ready = reqwest::get(format!("{}/readyz", app.address)).await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK, "readiness has its own connection");
    holder.rollback().await.unwrap();
}

#[tokio::test]
async fn anonymous_requests_beyond_their_share_are_shed_and_signed_in_ones_are_not() {
    let app = spawn_app_with(|s| {
        s.max_anonymous_requests = 1;
        s.anonymous_shed_delay_ms = 400;
    })
    .await;
    let world = app.world().await;
    let held = app.state.anonymous.clone().acquire_owned().await.unwrap();
    let started = Instant::now();
    let anonymous = app.graphql("{ regions { code } }", json!({})).await;
    assert_eq!(anonymous.status, StatusCode::SERVICE_UNAVAILABLE);
    anonymous.error("SERVICE_UNAVAILABLE");
    // A flood that retries at once is refused at the delay's pace, not as fast as possible.
    assert!(started.elapsed() >= Duration::from_millis(400), "refused after {:?}", started.elapsed());
    let started = Instant::now();
    app.graphql_as(world.token(Persona::Reviewer), "{ regions { code } }", json!({})).await.data();
    assert!(
        started.elapsed() < Duration::from_millis(400),
        "a signed-in caller waited {:?}",
        started.elapsed()
    );
    drop(held);
    app.graphql("{ regions { code } }", json!({})).await.data();
}

#[tokio::test]
async fn an_anonymous_request_waits_for_a_turn_that_frees_within_the_delay() {
    let app = spawn_app_with(|s| {
        s.max_anonymous_requests = 1;
        s.anonymous_shed_delay_ms = 2_000;
    })
    .await;
    let held = app.state.anonymous.clone().acquire_owned().await.unwrap();
    let release = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        drop(held);
    });
    let started = Instant::now();
    let reply = app.graphql("{ regions { code } }", json!({})).await;
    assert_eq!(reply.status, StatusCode::OK, "a burst queues for a turn instead of being refused");
    reply.data();
    assert!(started.elapsed() >= Duration::from_millis(150), "served after {:?}", started.elapsed());
    release.await.unwrap();
}

#[tokio::test]
async fn analytics_wait_their_turn_and_are_shed_when_none_comes() {
    let app = spawn_app_with(|s| s.max_heavy_operations = 1).await;
    let turn = app.state.heavy.clone().acquire_owned().await.unwrap();
    let reply = app.graphql("{ coverage { total } }", json!({})).await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    reply.error("SERVICE_UNAVAILABLE");
    drop(turn);
    app.graphql("{ coverage { total } }", json!({})).await.data();
}

#[tokio::test]
async fn a_runaway_statement_is_stopped_at_the_deadline() {
    use sea_orm::{ConnectionTrait as _, Statement};
    let app = spawn_app_with(|s| s.request_timeout_seconds = 1).await;
    let backend = app.state.db.get_database_backend();
    let forever = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";
    let started = Instant::now();
    let outcome = app.state.db.query_one_raw(Statement::from_string(backend, forever)).await;
    assert!(outcome.is_err(), "an endless statement cannot succeed");
    assert!(started.elapsed() < Duration::from_secs(5), "stopped after {:?}", started.elapsed());
}

/// On SQLite, reads go to read-only connections and writes take turns on one connection of
/// their own (`db::Pools`): a write sent to the read pool fails, and a second write
/// transaction waits for the first instead of running beside it.
#[tokio::test]
async fn on_sqlite_reads_cannot_write_and_writes_take_turns_on_one_connection() {
    use sea_orm::{ConnectionTrait as _, DatabaseBackend, Statement};
    let app = crate::helpers::spawn_app().await;
    if app.state.db.get_database_backend() != DatabaseBackend::Sqlite {
        return; // one pool on PostgreSQL
    }
    let write = Statement::from_string(DatabaseBackend::Sqlite, "UPDATE counters SET value = value");
    let refused = app.state.db.execute_raw(write.clone()).await;
    assert!(refused.is_err(), "the read pool wrote");
    app.state.writer.execute_raw(write).await.expect("the writer writes");

    let first = outlet_filing::db::begin_write(&app.state.writer).await.unwrap();
    let second =
        tokio::time::timeout(Duration::from_millis(300), outlet_filing::db::begin_write(&app.state.writer));
    assert!(second.await.is_err(), "a second writer started while the first held the connection");
    first.rollback().await.unwrap();
    outlet_filing::db::begin_write(&app.state.writer).await.expect("the next writer gets its turn");
}
