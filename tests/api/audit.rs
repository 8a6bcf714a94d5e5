//! Every mutation leaves an audit event, readable by the actors in scope.

use serde_json::json;

use crate::helpers::{Persona, registration, spawn_app};

const EVENTS: &str = "query($filter: AuditFilterInput) { auditEvents(filter: $filter, first: 100) {
  edges { node { action actorRole actorUserId scope entityType entityId requestId } } } }";

#[tokio::test]
async fn mutations_are_audited_with_actor_scope_and_request_id() {
    let app = spawn_app().await;
    let world = app.world().await;
    let update = json!({ "id": world.a.id.to_string(), "version": 1, "address": "一号" });
    app.graphql_as(
        world.token(Persona::OwnApplicant),
        "mutation($input: UpdateInstitutionInput!) { updateInstitution(input: $input) { institution { id } } }",
        json!({ "input": update }),
    )
    .await
    .data();
    let registered = app
        .graphql(
            "mutation($input: RegisterApplicantInput!) { registerApplicant(input: $input) { institution { id department { code } } } }",
            json!({ "input": registration(1, "150200") }),
        )
        .await;
    let new_id = registered.data()["registerApplicant"]["institution"]["id"].as_str().unwrap().to_owned();

    let reply = app
        .graphql_as(
            world.token(Persona::Reviewer),
            EVENTS,
            json!({ "filter": { "entityType": "institution" } }),
        )
        .await;
    let events = reply.data()["auditEvents"]["edges"].as_array().unwrap().clone();
    assert_eq!(events.len(), 2);
    let update = &events[0]["node"];
    assert_eq!(update["action"], "updateInstitution");
    assert_eq!(update["actorRole"], "APPLICANT");
    assert_eq!(update["scope"], format!("/nm/150100/inst/{}", world.a.id));
    assert!(update["requestId"].as_str().is_some_and(|id| id.len() == 36));
    let register = &events[1]["node"];
    assert_eq!(register["action"], "registerApplicant");
    assert_eq!(register["actorRole"], "ANONYMOUS");
    assert!(register["actorUserId"].is_null());
    assert_eq!(register["entityId"], new_id);

    // The recommender of 包头 sees the registration in its department, not the update.
    let reply = app
        .graphql_as(
            world.token(Persona::OtherRecommender),
            EVENTS,
            json!({ "filter": { "entityType": "institution" } }),
        )
        .await;
    let actions: Vec<_> = reply.data()["auditEvents"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["action"].clone())
        .collect();
    assert_eq!(actions, [json!("registerApplicant")]);
    // The other applicant sees neither.
    let reply = app.graphql_as(world.token(Persona::OtherApplicant), EVENTS, json!({})).await;
    assert!(reply.data()["auditEvents"]["edges"].as_array().unwrap().is_empty());
    app.graphql(EVENTS, json!({})).await.error("UNAUTHENTICATED");
}

#[tokio::test]
async fn logins_are_audited() {
    let app = spawn_app().await;
    app.graphql(
        "mutation { login(input: {username: \"admin\", password: \"admin-pass-2026\"}) { token } }",
        json!({}),
    )
    .await
    .data();
    let admin = app.admin_token().await;
    let reply = app.graphql_as(Some(&admin), EVENTS, json!({ "filter": { "action": "login" } })).await;
    let events = reply.data()["auditEvents"]["edges"].as_array().unwrap().clone();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["node"]["actorRole"], "ADMIN");
}

#[tokio::test]
async fn the_api_offers_no_way_to_change_the_trail() {
    let app = spawn_app().await;
    let reply = app.graphql("{ __schema { mutationType { fields { name } } } }", json!({})).await;
    let names: Vec<String> = reply.data()["__schema"]["mutationType"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_lowercase())
        .collect();
    assert!(names.iter().all(|n| !n.contains("audit")), "{names:?}");
}
