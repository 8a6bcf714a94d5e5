//! Who may call each mutation: every mutation of the schema, as every persona, in and out
//! of scope. A mutation added to the schema without a policy row, or without a case here,
//! fails these tests.

use std::collections::BTreeSet;

use outlet_filing::authz::{Authorizer, PUBLIC_MUTATIONS};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, Persona, World, registration, spawn_app};

use Persona::{Admin, Anonymous, OwnApplicant};

/// One mutation: who may call it about institution A, and a valid call (the `n`-th call
/// must differ from earlier ones where the mutation creates something unique).
struct Case {
    mutation: &'static str,
    allowed: &'static [Persona],
    call: fn(&World, u32) -> (&'static str, Value),
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            mutation: "login",
            allowed: &Persona::ALL,
            call: |_, _| {
                (
                    "mutation($p: String!) { login(input: {username: \"reviewer\", password: $p}) { token } }",
                    json!({ "p": PASSWORD }),
                )
            },
        },
        Case {
            mutation: "registerApplicant",
            allowed: &Persona::ALL,
            call: |_, n| {
                (
                    "mutation($input: RegisterApplicantInput!) { registerApplicant(input: $input) { token } }",
                    json!({ "input": registration(n, "150100") }),
                )
            },
        },
        Case {
            mutation: "createUser",
            allowed: &[Admin],
            call: |world, n| {
                (
                    "mutation($input: CreateUserInput!) { createUser(input: $input) { user { id } } }",
                    json!({ "input": {
                        "username": format!("matrix.user{n}"), "password": "matrix-pass-1", "displayName": "矩阵",
                        "role": "APPLICANT", "institutionId": world.a.id.to_string()
                    } }),
                )
            },
        },
        Case {
            mutation: "updateInstitution",
            allowed: &[OwnApplicant],
            call: |world, n| {
                (
                    "mutation($input: UpdateInstitutionInput!) { updateInstitution(input: $input) { institution { id } } }",
                    json!({ "input": { "id": world.a.id.to_string(), "version": 1, "address": format!("{n}号") } }),
                )
            },
        },
    ]
}

/// The mutation fields of the schema, read through the API.
async fn mutation_fields() -> BTreeSet<String> {
    let app = spawn_app().await;
    let reply = app.graphql("{ __schema { mutationType { fields { name } } } }", json!({})).await;
    reply.data()["__schema"]["mutationType"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn every_mutation_has_a_policy_row_or_is_public() {
    let rules = Authorizer::new().await.unwrap().rules();
    for field in mutation_fields().await {
        let has_row = rules.iter().any(|rule| rule[3] == field);
        let public = PUBLIC_MUTATIONS.contains(&field.as_str());
        assert!(has_row || public, "mutation `{field}` has no row in authz/policy.csv and is not public");
        assert!(!(has_row && public), "mutation `{field}` is both public and in the policy");
    }
}

#[tokio::test]
async fn every_mutation_has_a_matrix_case() {
    let covered: BTreeSet<String> = cases().iter().map(|c| c.mutation.to_owned()).collect();
    assert_eq!(mutation_fields().await, covered, "add a Case for each new mutation");
}

#[tokio::test]
async fn every_mutation_as_every_persona() {
    let runs = cases().into_iter().map(|case| async move {
        let app = spawn_app().await;
        let world = app.world().await;
        // Denied callers first: an allowed call may change what the next one sees.
        let mut personas = Persona::ALL.to_vec();
        personas.sort_by_key(|p| case.allowed.contains(p));
        for (n, persona) in (1..).zip(personas) {
            let (query, variables) = (case.call)(&world, n);
            let before = app.fingerprint().await;
            let reply = app.graphql_as(world.token(persona), query, variables).await;
            if case.allowed.contains(&persona) {
                assert!(
                    reply.body.get("errors").is_none(),
                    "{} as {persona:?} should be allowed: {}",
                    case.mutation,
                    reply.body
                );
            } else {
                let want = if persona == Anonymous { "UNAUTHENTICATED" } else { "FORBIDDEN" };
                assert_eq!(reply.code(), Some(want), "{} as {persona:?}: {}", case.mutation, reply.body);
                assert_eq!(
                    app.fingerprint().await,
                    before,
                    "{} as {persona:?} changed the database",
                    case.mutation
                );
            }
        }
    });
    futures_util::future::join_all(runs).await;
}
