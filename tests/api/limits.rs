//! What one HTTP request may cost: a budget over every operation of a batch and every
//! alias, refused before any resolver runs; caps on aliases and directives; directives the
//! schema does not know are refused everywhere.

use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};

use entity::user;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::helpers::{Persona, TestApp, registration, spawn_app};

/// Posts a raw body (a single operation or a batch) as `token`'s holder.
async fn post(app: &TestApp, token: Option<&str>, body: Value) -> Value {
    let mut request = app.client.post(app.endpoint()).header(CONTENT_TYPE, "application/json").json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("sent").json().await.expect("JSON body")
}

fn codes(replies: &Value) -> Vec<Option<&str>> {
    replies
        .as_array()
        .expect("a batch answers with a list")
        .iter()
        .map(|r| r["errors"][0]["extensions"]["code"].as_str())
        .collect()
}

fn aliases(field: &str, count: usize) -> String {
    let fields: Vec<String> = (0..count).map(|i| format!("a{i}: {field}")).collect();
    format!("{{ {} }}", fields.join(" "))
}

#[tokio::test]
async fn a_batch_shares_one_budget_and_nothing_runs_when_it_is_spent() {
    let app = spawn_app().await;
    // One coverage is within an anonymous request's budget.
    let one = app.graphql("{ coverage { total } }", json!({})).await;
    assert!(one.data()["coverage"]["total"].is_number());

    // Three in one batch are not, though each alone would be: every operation is refused,
    // the first as well as the last.
    let batch: Vec<Value> = (0..3).map(|_| json!({ "query": "{ coverage { total } }" })).collect();
    let replies = post(&app, None, Value::Array(batch)).await;
    assert_eq!(codes(&replies), vec![Some("COST_LIMIT_EXCEEDED"); 3], "{replies}");
    for reply in replies.as_array().unwrap() {
        assert!(reply["data"].is_null(), "no resolver ran: {reply}");
    }

    // A mutation first in an over-budget batch does not run either.
    let register = "mutation($input: RegisterApplicantInput!) { registerApplicant(input: $input) { token } }";
    let mut batch = vec![json!({ "query": register, "variables": { "input": registration(1, "150100") } })];
    batch.extend((0..3).map(|_| json!({ "query": "{ coverage { total } }" })));
    let replies = post(&app, None, Value::Array(batch)).await;
    assert_eq!(codes(&replies), vec![Some("COST_LIMIT_EXCEEDED"); 4], "{replies}");
    let users = user::Entity::find().filter(user::Column::Username.eq("new.applicant1")).count(&app.state.db);
    assert_eq!(users.await.unwrap(), 0, "the mutation was not applied");
}

#[tokio::test]
async fn signed_in_callers_get_a_larger_budget() {
    let app = spawn_app().await;
    let world = app.world().await;
    let reviewer = world.token(Persona::Reviewer);
    let batch: Vec<Value> = (0..3).map(|_| json!({ "query": "{ coverage { total } }" })).collect();
    let replies = post(&app, reviewer, Value::Array(batch.clone())).await;
    assert_eq!(codes(&replies), vec![None; 3], "{replies}");
    let anonymous = post(&app, None, Value::Array(batch)).await;
    assert_eq!(codes(&anonymous), vec![Some("COST_LIMIT_EXCEEDED"); 3]);
}

#[tokio::test]
async fn aliases_of_an_analytics_field_are_each_charged() {
    let app = spawn_app().await;
    let reply = app.graphql(&aliases("coverage { total }", 3), json!({})).await;
    reply.error("COST_LIMIT_EXCEEDED");
    assert!(reply.body["data"].is_null());
}

#[tokio::test]
async fn a_connection_costs_its_page_size_times_its_nodes() {
    let app = spawn_app().await;
    let query =
        "query($n: Int) { publishedOutlets(first: $n) { edges { node { id number name address } } } }";
    app.graphql(query, json!({ "n": 20 })).await.data();
    // The text is parsed once and kept (`graphql::documents`); the cost is still the one
    // its variables give, each time.
    app.graphql(query, json!({ "n": 5000 })).await.error("COST_LIMIT_EXCEEDED");
    app.graphql(query, json!({ "n": 20 })).await.data();
}

#[tokio::test]
async fn aliases_are_capped_over_the_whole_request() {
    let app = spawn_app().await;
    app.graphql(&aliases("__typename", 30), json!({})).await.data();
    app.graphql(&aliases("__typename", 31), json!({})).await.error("COST_LIMIT_EXCEEDED");

    // Two operations of 16 aliases each are 32 in one request.
    let batch: Vec<Value> = (0..2).map(|_| json!({ "query": aliases("__typename", 16) })).collect();
    let replies = post(&app, None, Value::Array(batch)).await;
    assert_eq!(codes(&replies), vec![Some("COST_LIMIT_EXCEEDED"); 2], "{replies}");
}

#[tokio::test]
async fn directives_are_capped_and_must_be_known_and_not_repeated() {
    let app = spawn_app().await;
    let many: Vec<String> = (0..31).map(|i| format!("a{i}: __typename @include(if: true)")).collect();
    // 31 aliases would also be refused; keep aliases within their cap with fragments.
    let within = format!("{{ {} }}", many[..30].join(" "));
    app.graphql(&within, json!({})).await.data();
    let query = format!("{{ {} __typename @skip(if: false) }}", many[..30].join(" "));
    app.graphql(&query, json!({})).await.error("COST_LIMIT_EXCEEDED");

    let unknown = app.graphql("{ __typename @nonsense }", json!({})).await;
    unknown.error("GRAPHQL_VALIDATION_FAILED");
    assert!(unknown.body["data"].is_null());
    let repeated = app.graphql("{ __typename @include(if: true) @include(if: true) }", json!({})).await;
    repeated.error("GRAPHQL_VALIDATION_FAILED");
}

#[tokio::test]
async fn errors_raised_by_the_graphql_layer_carry_a_code() {
    let app = spawn_app().await;
    app.graphql("{ regions { nope } }", json!({})).await.error("GRAPHQL_VALIDATION_FAILED");
    app.graphql("{ regions { code ", json!({})).await.error("GRAPHQL_VALIDATION_FAILED");
}

#[tokio::test]
async fn introspection_and_the_console_can_be_closed_to_anonymous_callers() {
    let app = crate::helpers::spawn_app_with(|s| s.anonymous_introspection = false).await;
    let world = app.world().await;
    let query = "{ __schema { queryType { name } } }";
    let anonymous = app.graphql(query, json!({})).await;
    // async-graphql answers a closed introspection with null, not an error.
    assert!(anonymous.body["data"]["__schema"].is_null(), "{}", anonymous.body);
    let reviewer = app.graphql_as(world.token(Persona::Reviewer), query, json!({})).await;
    assert_eq!(reviewer.data()["__schema"]["queryType"]["name"], "QueryRoot");

    let console = app.client.get(app.endpoint()).header("accept", "text/html").send().await.unwrap();
    assert_eq!(console.status(), reqwest::StatusCode::NOT_FOUND);
    let open = spawn_app().await;
    let console = open.client.get(open.endpoint()).header("accept", "text/html").send().await.unwrap();
    assert_eq!(console.status(), reqwest::StatusCode::OK);
}
