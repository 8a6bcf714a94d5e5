//! Guessing is slowed, not the owner: one atomic count per attempt, per address and per
//! account from an address; growing delays; bounded password hashing.

use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_PASSWORD, TestApp, registration, spawn_app_with};

const LOGIN: &str =
    "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token } }";
const REGISTER: &str =
    "mutation($input: RegisterApplicantInput!) { registerApplicant(input: $input) { token } }";

fn login(username: &str, password: &str) -> Value {
    json!({ "query": LOGIN, "variables": { "u": username, "p": password } })
}

/// Sends `body` as if from `address` (the test apps trust `X-Forwarded-For`).
async fn from(app: &TestApp, address: &str, body: &Value) -> Value {
    app.client
        .post(app.endpoint())
        .header(CONTENT_TYPE, "application/json")
        .header("x-forwarded-for", address)
        .json(body)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON body")
}

fn code(reply: &Value) -> Option<&str> {
    reply["errors"][0]["extensions"]["code"].as_str()
}

async fn trusting_proxy() -> TestApp {
    spawn_app_with(|s| s.trust_forwarded_for = true).await
}

#[tokio::test]
async fn parallel_guesses_are_each_counted() {
    let app = trusting_proxy().await;
    let guesses = (0..12).map(|i| {
        let (app_client, endpoint) = (app.client.clone(), app.endpoint());
        let body = login("admin", &format!("guess-{i}"));
        tokio::spawn(async move {
            let reply: Value =
                app_client.post(endpoint).json(&body).send().await.unwrap().json().await.unwrap();
            code(&reply).map(str::to_owned)
        })
    });
    let mut codes = Vec::new();
    for guess in guesses.collect::<Vec<_>>() {
        codes.push(guess.await.unwrap());
    }
    let checked = codes.iter().filter(|c| c.as_deref() == Some("UNAUTHENTICATED")).count();
    assert!(checked <= 5, "at most five passwords were checked: {codes:?}");
    assert!(codes.iter().all(|c| matches!(c.as_deref(), Some("UNAUTHENTICATED" | "RATE_LIMITED"))));
    let right = from(&app, "127.0.0.1", &login("admin", ADMIN_PASSWORD)).await;
    assert_eq!(code(&right), Some("RATE_LIMITED"), "{right}");
}

#[tokio::test]
async fn the_operations_of_a_batch_are_each_counted() {
    let app = trusting_proxy().await;
    let batch: Vec<Value> = (0..5).map(|i| login("admin", &format!("guess-{i}"))).collect();
    let replies = from(&app, "198.51.100.7", &Value::Array(batch)).await;
    assert!(replies.as_array().unwrap().iter().all(|r| code(r) == Some("UNAUTHENTICATED")), "{replies}");
    let after = from(&app, "198.51.100.7", &login("admin", ADMIN_PASSWORD)).await;
    assert_eq!(code(&after), Some("RATE_LIMITED"));
}

#[tokio::test]
async fn a_stranger_guessing_does_not_lock_the_owner_out() {
    let app = trusting_proxy().await;
    for i in 0..8 {
        from(&app, "203.0.113.9", &login("admin", &format!("guess-{i}"))).await;
    }
    let stranger = from(&app, "203.0.113.9", &login("admin", ADMIN_PASSWORD)).await;
    assert_eq!(code(&stranger), Some("RATE_LIMITED"));
    let owner = from(&app, "192.0.2.1", &login("admin", ADMIN_PASSWORD)).await;
    assert!(owner["data"]["login"]["token"].is_string(), "{owner}");
}

#[tokio::test]
async fn delays_grow_while_the_guesser_keeps_trying() {
    let app = trusting_proxy().await;
    for i in 0..10 {
        from(&app, "203.0.113.9", &login("admin", &format!("guess-{i}"))).await;
    }
    app.clock.set(app.clock_now() + chrono::Duration::minutes(16));
    let early = from(&app, "203.0.113.9", &login("admin", ADMIN_PASSWORD)).await;
    assert_eq!(code(&early), Some("RATE_LIMITED"), "ten attempts earn a second window");
    app.clock.set(app.clock_now() + chrono::Duration::minutes(15));
    let later = from(&app, "203.0.113.9", &login("admin", ADMIN_PASSWORD)).await;
    assert!(later["data"]["login"]["token"].is_string(), "{later}");
}

#[tokio::test]
async fn one_address_may_try_only_so_many_accounts() {
    let app = spawn_app_with(|s| {
        s.trust_forwarded_for = true;
        s.logins_per_address = 6;
    })
    .await;
    for i in 0..6 {
        let reply = from(&app, "203.0.113.9", &login(&format!("user{i}"), "guess")).await;
        assert_eq!(code(&reply), Some("UNAUTHENTICATED"));
    }
    let seventh = from(&app, "203.0.113.9", &login("admin", ADMIN_PASSWORD)).await;
    assert_eq!(code(&seventh), Some("RATE_LIMITED"));
    let elsewhere = from(&app, "192.0.2.1", &login("admin", ADMIN_PASSWORD)).await;
    assert!(elsewhere["data"]["login"]["token"].is_string());
}

#[tokio::test]
async fn registration_is_throttled_per_address() {
    let app = spawn_app_with(|s| {
        s.trust_forwarded_for = true;
        s.registrations_per_address = 2;
    })
    .await;
    for n in 1..=2 {
        let body = json!({ "query": REGISTER, "variables": { "input": registration(n, "150100") } });
        let reply = from(&app, "203.0.113.9", &body).await;
        assert!(reply["data"]["registerApplicant"]["token"].is_string(), "{reply}");
    }
    let body = json!({ "query": REGISTER, "variables": { "input": registration(3, "150100") } });
    assert_eq!(code(&from(&app, "203.0.113.9", &body).await), Some("RATE_LIMITED"));
    let elsewhere = from(&app, "192.0.2.1", &body).await;
    assert!(elsewhere["data"]["registerApplicant"]["token"].is_string(), "{elsewhere}");
}

#[tokio::test]
async fn password_checks_beyond_the_queue_are_refused_not_queued() {
    let app = spawn_app_with(|s| {
        s.password_hash_concurrency = 1;
        s.password_hash_queue = 0;
        s.logins_per_address = 1_000;
    })
    .await;
    let attempts = (0..16).map(|i| {
        let (client, endpoint) = (app.client.clone(), app.endpoint());
        let body = login(&format!("user{i}"), "guess");
        tokio::spawn(async move {
            let reply: Value = client.post(endpoint).json(&body).send().await.unwrap().json().await.unwrap();
            code(&reply).map(str::to_owned)
        })
    });
    let mut codes = Vec::new();
    for attempt in attempts.collect::<Vec<_>>() {
        codes.push(attempt.await.unwrap());
    }
    assert!(codes.iter().any(|c| c.as_deref() == Some("RATE_LIMITED")), "{codes:?}");
    assert!(codes.iter().any(|c| c.as_deref() == Some("UNAUTHENTICATED")), "{codes:?}");
}
