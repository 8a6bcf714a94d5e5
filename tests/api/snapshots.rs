//! The shape of the answers clients build on, as snapshots (`tests/api/snapshots/`): the
//! public list, a filing's record as the bureaus read it, coverage, and the error envelope.
//! A change to any of them shows up as a diff to review (`cargo insta review`), on SQLite
//! and PostgreSQL alike. Ids and instants are redacted; dates follow the test clock.

use entity::sea_orm_active_enums::FilingState;
use insta::assert_json_snapshot;
use serde_json::json;

use crate::helpers::{Persona, file_outlets, spawn_app};

#[tokio::test]
async fn the_published_list_shows_the_public_fields() {
    let app = spawn_app().await;
    let mut world = app.world().await;
    let institutions = [world.a.clone(), world.c.clone()];
    file_outlets(&app, &mut world, &institutions).await;

    let reply = app
        .graphql(
            "{ publishedOutlets(first: 10) { totalCount nodes {
                id number name kind department { code name } address
                publicContact { name website } ipCategories serviceModes
                serviceItems { category serviceType description channels freeOrLowCost }
                validFrom validUntil recommendedToNational } } }",
            json!({}),
        )
        .await;
    assert_json_snapshot!("published_list", reply.data(), { ".**.id" => "[id]" });
}

#[tokio::test]
async fn a_filing_reads_as_its_steps_and_opinions() {
    let app = spawn_app().await;
    let world = app.world().await;
    let filing = app.insert_filing(&world.a, FilingState::Submitted).await;
    let id = filing.id.to_string();
    let step = |token: Option<&str>, name: &str, version: i32, comment: &str| {
        let query = format!(
            "mutation($input: FilingActionInput!) {{ {name}(input: $input) {{ filing {{ version }} }} }}"
        );
        let input = json!({ "input": { "id": id, "version": version, "comment": comment } });
        let token = token.map(str::to_owned);
        let app = &app;
        async move { app.graphql_as(token.as_deref(), &query, input).await.data().clone() }
    };
    step(world.token(Persona::OwnRecommender), "returnFiling", 1, "请补充服务事项说明").await;
    step(world.token(Persona::OwnApplicant), "submitFiling", 2, "已补充").await;
    step(world.token(Persona::OwnRecommender), "recommendFiling", 3, "同意推荐").await;

    let reply = app
        .graphql_as(
            world.token(Persona::Reviewer),
            "query($id: ID!) { filing(id: $id) {
                kind state version declarationAccepted unmetConditions
                form { name departmentCode ipCategories serviceModes }
                attachments { kind fileName mediaType }
                history { action fromState toState comment actorRole handler }
                opinions { action comment actorRole handler } } }",
            json!({ "id": id }),
        )
        .await;
    assert_json_snapshot!("filing_record", reply.data());
}

#[tokio::test]
async fn coverage_counts_by_department_and_kind() {
    let app = spawn_app().await;
    let mut world = app.world().await;
    let institutions = [world.a.clone(), world.b.clone(), world.c.clone()];
    file_outlets(&app, &mut world, &institutions).await;

    let reply = app
        .graphql(
            "{ coverage { asOf total departments { department { code name } outlets
                byKind { name count } byIpCategory { name count } byServiceMode { name count } } } }",
            json!({}),
        )
        .await;
    let mut coverage = reply.data()["coverage"].clone();
    // The 11 departments without outlets are all alike; keep the ones that have some.
    let departments = coverage["departments"].as_array().expect("departments").clone();
    coverage["departments"] = departments.into_iter().filter(|d| d["outlets"] != 0).collect();
    assert_json_snapshot!("coverage", coverage);
}

#[tokio::test]
async fn errors_carry_a_code_and_what_the_client_needs_to_act() {
    let app = spawn_app().await;
    let world = app.world().await;
    let filing = app.insert_filing(&world.a, FilingState::Recommended).await;
    let mutation = "mutation($input: FilingActionInput!) { withdrawFiling(input: $input) { filing { id } } }";

    let id = filing.id.to_string();
    let applicant = world.token(Persona::OwnApplicant);
    let withdraw = async |token: Option<&str>, id: &str, version: i32| {
        let input = json!({ "input": { "id": id, "version": version } });
        app.graphql_as(token, mutation, input).await
    };
    let refused = withdraw(applicant, &id, 1).await;
    let stale = withdraw(applicant, &id, 7).await;
    let invalid = withdraw(applicant, "x", 1).await;
    let anonymous = withdraw(None, &id, 1).await;
    assert_json_snapshot!(
        "errors",
        json!({
            "invalidTransition": refused.body,
            "stale": stale.body,
            "badInput": invalid.body,
            "anonymous": anonymous.body,
        })
    );
}
