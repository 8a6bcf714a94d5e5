//! Internal failures reach the client opaque, with the code `INTERNAL`.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::helpers::{Persona, spawn_app};

#[tokio::test]
async fn a_database_failure_is_internal_and_opaque_and_rolls_back() {
    let app = spawn_app().await;
    let world = app.world().await;
    let backend = app.state.db.get_database_backend();
    // Break the audit trail: the update's own write succeeds, its audit insert fails.
    app.state.writer.execute_raw(Statement::from_string(backend, "DROP TABLE audit_events")).await.unwrap();
    let input = json!({ "id": world.a.id.to_string(), "version": 1, "address": "一号" });
    let reply = app
        .graphql_as(
            world.token(Persona::OwnApplicant),
            "mutation($input: UpdateInstitutionInput!) { updateInstitution(input: $input) { institution { id } } }",
            json!({ "input": input }),
        )
        .await;
    reply.error("INTERNAL");
    let message = reply.body["errors"][0]["message"].as_str().unwrap();
    assert_eq!(message, "internal error");
    assert!(!reply.body.to_string().contains("audit_events"));

    let one = app
        .graphql_as(
            world.token(Persona::OwnApplicant),
            "query($id: ID!) { institution(id: $id) { version address } }",
            json!({ "id": world.a.id.to_string() }),
        )
        .await;
    assert_eq!(one.data()["institution"]["version"], 1);
    assert_eq!(one.data()["institution"]["address"], "新华大街1号");
}

#[tokio::test]
async fn unknown_fields_get_no_suggestions() {
    let app = spawn_app().await;
    let reply = app.graphql("{ regionz { code } }", json!({})).await;
    let message = reply.body["errors"][0]["message"].as_str().unwrap();
    assert!(!message.contains("Did you mean"), "{message}");
}
