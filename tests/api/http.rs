//! GraphQL over HTTP: content types, methods, limits, health checks.

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, ALLOW, CONTENT_TYPE};
use serde_json::{Value, json};

use crate::helpers::spawn_app;

const REGIONS: &str = r#"{"query":"{ regions { code } }"}"#;

#[tokio::test]
async fn json_is_answered_as_json_when_accept_is_absent_or_asks_for_it() {
    let app = spawn_app().await;
    for accept in [None, Some("application/json"), Some("*/*")] {
        let mut request =
            app.client.post(app.endpoint()).header(CONTENT_TYPE, "application/json").body(REGIONS);
        if let Some(accept) = accept {
            request = request.header(ACCEPT, accept);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json", "Accept: {accept:?}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["data"]["regions"].as_array().unwrap().len(), 14);
    }
}

#[tokio::test]
async fn graphql_response_type_is_used_when_asked_for_and_request_errors_get_400() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.endpoint())
        .header(CONTENT_TYPE, "application/json")
        .header(ACCEPT, "application/graphql-response+json")
        .body(r#"{"query":"{ regions { code "}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(response.headers()[CONTENT_TYPE], "application/graphql-response+json");
    let body: Value = response.json().await.unwrap();
    assert!(body.get("data").is_none(), "a request error carries no data: {body}");

    let legacy = app
        .client
        .post(app.endpoint())
        .header(CONTENT_TYPE, "application/json")
        .body(r#"{"query":"{ regions { code "}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(legacy.status(), StatusCode::OK);
    let body: Value = legacy.json().await.unwrap();
    assert!(body["errors"].as_array().is_some_and(|e| !e.is_empty()));
}

#[tokio::test]
async fn unacceptable_accept_gets_406() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.endpoint())
        .header(CONTENT_TYPE, "application/json")
        .header(ACCEPT, "text/html")
        .body(REGIONS)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_ACCEPTABLE);
}

#[tokio::test]
async fn csrf_prone_content_types_are_refused() {
    let app = spawn_app().await;
    for content_type in ["text/plain", "application/x-www-form-urlencoded"] {
        let response = app
            .client
            .post(app.endpoint())
            .header(CONTENT_TYPE, content_type)
            .body(REGIONS)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{content_type}");
    }
    let response = app.client.post(app.endpoint()).body(REGIONS).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "no content type");
}

#[tokio::test]
async fn multipart_without_a_preflight_header_is_refused() {
    let app = spawn_app().await;
    let form = reqwest::multipart::Form::new()
        .text("operations", r#"{"query":"{ regions { code } }"}"#)
        .text("map", "{}");
    let response = app.client.post(app.endpoint()).multipart(form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let form = reqwest::multipart::Form::new()
        .text("operations", r#"{"query":"{ regions { code } }"}"#)
        .text("map", "{}");
    let response = app
        .client
        .post(app.endpoint())
        .header("Apollo-Require-Preflight", "true")
        .bearer_auth(app.admin_token().await)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"]["regions"].as_array().unwrap().len(), 14);
}

#[tokio::test]
async fn mutations_over_get_get_405_and_queries_work() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.endpoint())
        .query(&[("query", "mutation { login(input: {username: \"admin\", password: \"x\"}) { token } }")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()[ALLOW], "POST");

    let response = app
        .client
        .get(app.endpoint())
        .query(&[
            ("query", "query A { regions { code } } mutation B { login(input: {username: \"a\", password: \"b\"}) { token } }"),
            ("operationName", "A"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"]["regions"][0]["code"], "150100");

    let response = app
        .client
        .get(app.endpoint())
        .query(&[
            ("query", "query A { regions { code } } mutation B { login(input: {username: \"a\", password: \"b\"}) { token } }"),
            ("operationName", "B"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let app = spawn_app().await;
    let padding = "x".repeat(100 * 1024);
    let body = json!({ "query": "{ regions { code } }", "variables": { "pad": padding } }).to_string();
    let response = app
        .client
        .post(app.endpoint())
        .header(CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn batches_are_capped() {
    let app = spawn_app().await;
    let one = json!({ "query": "{ regions { code } }" });
    let ok = app.client.post(app.endpoint()).json(&vec![one.clone(); 5]).send().await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    let body: Value = ok.json().await.unwrap();
    assert_eq!(body.as_array().unwrap().len(), 5);
    let too_many = app.client.post(app.endpoint()).json(&vec![one; 6]).send().await.unwrap();
    assert_eq!(too_many.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn invalid_tokens_get_401_with_unauthenticated() {
    let app = spawn_app().await;
    for header in ["Bearer not-a-token", "Basic YWRtaW46eA=="] {
        let response = app
            .client
            .post(app.endpoint())
            .header(CONTENT_TYPE, "application/json")
            .header("Authorization", header)
            .body(REGIONS)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    }
}

#[tokio::test]
async fn health_checks_answer() {
    let app = spawn_app().await;
    let health = app.client.get(format!("{}/healthz", app.address)).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let ready = app.client.get(format!("{}/readyz", app.address)).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
    // Readiness asks the database through a connection of its own.
    app.state.probe.clone().close().await.unwrap();
    let not_ready = app.client.get(format!("{}/readyz", app.address)).send().await.unwrap();
    assert_eq!(not_ready.status(), StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn responses_carry_a_request_id_and_are_not_cached() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.endpoint())
        .header(CONTENT_TYPE, "application/json")
        .body(REGIONS)
        .send()
        .await
        .unwrap();
    assert!(response.headers().contains_key("x-request-id"));
    assert_eq!(response.headers()["cache-control"], "no-store");
}

#[tokio::test]
async fn graphiql_is_served_to_browsers() {
    let app = spawn_app().await;
    let response = app.client.get(app.endpoint()).header(ACCEPT, "text/html").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("graphiql"));
}

#[tokio::test]
async fn hostile_queries_hit_the_depth_limit() {
    let app = spawn_app().await;
    let nested = format!(
        "{{ __schema {{ types {{ {} name {} }} }} }}",
        "fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType {",
        "} } } } } } } } } } } } } } } }"
    );
    let reply = app.graphql(&nested, json!({})).await;
    let message = reply.body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("nested too deep"), "{}", reply.body);
}
