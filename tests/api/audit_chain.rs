//! The audit trail is a hash chain: `verify` finds every change made to it behind the
//! service's back — an edited, a deleted, a moved and a rewritten-and-rehashed event — on
//! SQLite and PostgreSQL alike.

use entity::audit_event;
use entity::sea_orm_active_enums::Role;
use futures_util::future::join_all;
use migration::{Migrator, MigratorTrait};
use outlet_filing::db::mapping::event_content;
use outlet_filing::domain::audit_chain::GENESIS;
use outlet_filing::service::audit::{BrokenLink, ChainReport, Fault, verify};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder, Statement};
use serde_json::json;

use crate::helpers::{ADMIN_PASSWORD, Persona, TestApp, registration, spawn_app};

const UPDATE: &str = "mutation($input: UpdateInstitutionInput!) { updateInstitution(input: $input) { institution { version } } }";
const REGISTER: &str =
    "mutation($input: RegisterApplicantInput!) { registerApplicant(input: $input) { institution { id } } }";
const LOGIN: &str =
    "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token } }";

/// An app with a trail of real mutations through the API, and the events' ids in order.
async fn app_with_trail() -> (TestApp, Vec<i64>) {
    let app = spawn_app().await;
    let world = app.world().await;
    // A time finer than PostgreSQL's microseconds: stored and hashed truncated alike.
    app.clock.set(app.clock_now() + chrono::Duration::nanoseconds(123_456_789));
    let own = world.token(Persona::OwnApplicant);
    for (version, address) in [(1, "一号"), (2, "二号"), (3, "三号")] {
        let input = json!({ "id": world.a.id.to_string(), "version": version, "address": address });
        app.graphql_as(own, UPDATE, json!({ "input": input })).await.data();
    }
    for n in [1, 2] {
        app.graphql(REGISTER, json!({ "input": registration(n, "150200") })).await.data();
    }
    app.graphql(LOGIN, json!({ "u": "admin", "p": ADMIN_PASSWORD })).await.data();
    let ids = events(&app).await.iter().map(|e| e.id).collect::<Vec<_>>();
    assert!(ids.len() >= 6, "{ids:?}");
    (app, ids)
}

async fn events(app: &TestApp) -> Vec<audit_event::Model> {
    audit_event::Entity::find().order_by_asc(audit_event::Column::Id).all(&app.state.db).await.unwrap()
}

async fn sql(app: &TestApp, sql: String) {
    let backend = app.state.db.get_database_backend();
    app.state.writer.execute_raw(Statement::from_string(backend, sql)).await.unwrap();
}

/// The verdict on the app's trail.
async fn check(app: &TestApp) -> Result<ChainReport, BrokenLink> {
    verify(&app.state.db, None, |_, _| ()).await.expect("the trail is readable")
}

#[tokio::test]
async fn the_chain_of_real_mutations_holds() {
    let (app, ids) = app_with_trail().await;
    let rows = events(&app).await;

    let mut seen = Vec::new();
    let report =
        verify(&app.state.db, None, |checked, total| seen.push((checked, total))).await.unwrap().unwrap();

    assert_eq!(report.events, ids.len() as u64);
    assert_eq!(report.head, rows.last().unwrap().hash);
    assert_eq!(rows[0].prev_hash, GENESIS);
    assert_eq!(rows.last().unwrap().occurred_at.timestamp_subsec_nanos(), 123_456_000);
    assert!(rows.windows(2).all(|pair| pair[1].prev_hash == pair[0].hash));
    assert!(rows.iter().all(|row| row.hash.len() == 64 && event_content(row).hash() == row.hash));
    assert_eq!(seen.first(), Some(&(0, ids.len() as u64)));
    assert_eq!(seen.last(), Some(&(ids.len() as u64, ids.len() as u64)));
}

#[tokio::test]
async fn an_edited_event_is_found_at_its_id() {
    let (app, ids) = app_with_trail().await;
    let target = ids[ids.len() / 2];

    sql(&app, format!("UPDATE audit_events SET comment = 'nothing happened' WHERE id = {target}")).await;

    assert_eq!(check(&app).await, Err(BrokenLink { event_id: target, fault: Fault::Altered }));
}

#[tokio::test]
async fn an_edited_action_is_found_at_its_id() {
    let (app, ids) = app_with_trail().await;
    let target = ids[1];

    sql(&app, format!("UPDATE audit_events SET action = 'viewInstitution' WHERE id = {target}")).await;

    assert_eq!(check(&app).await, Err(BrokenLink { event_id: target, fault: Fault::Altered }));
}

#[tokio::test]
async fn a_deleted_event_breaks_the_link_of_the_next() {
    let (app, ids) = app_with_trail().await;
    let middle = ids.len() / 2;

    sql(&app, format!("DELETE FROM audit_events WHERE id = {}", ids[middle])).await;

    let broken = check(&app).await.unwrap_err();
    assert_eq!(
        broken,
        BrokenLink { event_id: ids[middle + 1], fault: Fault::Unlinked { previous: Some(ids[middle - 1]) } }
    );
    assert_eq!(broken.first_suspect(), ids[middle - 1]);
    assert_eq!(
        broken.to_string(),
        format!(
            "event {}: prev_hash does not match event {} (event {} was rewritten with a fresh hash, or \
             events between the two were removed, inserted or moved)",
            ids[middle + 1],
            ids[middle - 1],
            ids[middle - 1]
        )
    );
}

#[tokio::test]
async fn deleting_the_first_event_leaves_the_next_without_genesis() {
    let (app, ids) = app_with_trail().await;

    sql(&app, format!("DELETE FROM audit_events WHERE id = {}", ids[0])).await;

    assert_eq!(
        check(&app).await,
        Err(BrokenLink { event_id: ids[1], fault: Fault::Unlinked { previous: None } })
    );
}

#[tokio::test]
async fn swapped_events_break_the_chain() {
    let (app, ids) = app_with_trail().await;
    let (first, second) = (ids[1], ids[3]);

    // Each row keeps its content and hashes, and takes the other's place.
    sql(&app, format!("UPDATE audit_events SET id = -1 WHERE id = {first}")).await;
    sql(&app, format!("UPDATE audit_events SET id = {first} WHERE id = {second}")).await;
    sql(&app, format!("UPDATE audit_events SET id = {second} WHERE id = -1")).await;

    assert_eq!(
        check(&app).await,
        Err(BrokenLink { event_id: first, fault: Fault::Unlinked { previous: Some(ids[0]) } })
    );
}

#[tokio::test]
async fn a_rewritten_and_rehashed_event_breaks_the_next_link() {
    let (app, ids) = app_with_trail().await;
    let middle = ids.len() / 2;
    let target = ids[middle];

    sql(&app, format!("UPDATE audit_events SET comment = 'approved by the director' WHERE id = {target}"))
        .await;
    let rewritten = audit_event::Entity::find_by_id(target).one(&app.state.db).await.unwrap().unwrap();
    let rehash = event_content(&rewritten).hash();
    sql(&app, format!("UPDATE audit_events SET hash = '{rehash}' WHERE id = {target}")).await;

    // The rewritten event holds on its own; its successor still names the old hash.
    assert_eq!(
        check(&app).await,
        Err(BrokenLink { event_id: ids[middle + 1], fault: Fault::Unlinked { previous: Some(target) } })
    );
}

#[tokio::test]
async fn a_cleared_hash_is_reported_missing() {
    let (app, ids) = app_with_trail().await;

    sql(&app, format!("UPDATE audit_events SET hash = '' WHERE id = {}", ids[2])).await;

    assert_eq!(check(&app).await, Err(BrokenLink { event_id: ids[2], fault: Fault::Missing }));
}

#[tokio::test]
async fn a_cut_tail_is_found_only_against_a_head_kept_elsewhere() {
    let (app, ids) = app_with_trail().await;
    let kept = check(&app).await.unwrap();
    assert_eq!(kept.known_head_at, None);

    sql(&app, format!("DELETE FROM audit_events WHERE id = {}", ids[ids.len() - 1])).await;

    // What remains is a whole chain; only the head printed before tells it is shorter.
    let now = verify(&app.state.db, Some(&kept.head), |_, _| ()).await.unwrap().unwrap();
    assert_eq!(now.events, kept.events - 1);
    assert_eq!(now.holds(Some(&kept.head)), Some(false));
    let earlier = verify(&app.state.db, Some(&now.head), |_, _| ()).await.unwrap().unwrap();
    assert_eq!(earlier.known_head_at, Some(ids[ids.len() - 2]));
    assert_eq!(earlier.holds(Some(&now.head)), Some(true));
}

#[tokio::test]
async fn concurrent_mutations_append_to_one_chain() {
    let (app, ids) = app_with_trail().await;
    let mut updates = Vec::new();
    for n in 0..12u32 {
        let institution = app.insert_institution(&format!("机构{n}"), "150300", 100 + n).await;
        let user =
            app.insert_user(&format!("applicant.{n}"), Role::Applicant, None, Some(institution.id)).await;
        let input = json!({ "id": institution.id.to_string(), "version": 1, "address": format!("{n}号") });
        updates.push((app.token_for(user.id), input));
    }

    // Twelve writers on twelve rows at once: each appends to the chain.
    let replies = join_all(
        updates.iter().map(|(token, input)| app.graphql_as(Some(token), UPDATE, json!({ "input": input }))),
    )
    .await;

    for reply in &replies {
        reply.data();
    }
    let report = check(&app).await.unwrap();
    assert_eq!(report.events, ids.len() as u64 + 12);
}

#[tokio::test]
async fn events_older_than_the_chain_are_chained_by_the_migration() {
    let app = spawn_app().await;
    let db = &app.state.writer;
    let before = events(&app).await.len();
    // Back to before the chain: its migration and every later one.
    let names: Vec<String> = Migrator::migrations().iter().map(|m| m.name().to_owned()).collect();
    let chain = names.iter().position(|n| n.ends_with("chain_audit_events")).expect("the chain's migration");
    Migrator::down(db, Some(u32::try_from(names.len() - chain).unwrap())).await.unwrap();
    // Rows as the service wrote them before the chain, one with a time finer than either
    // database's microseconds.
    for (at, comment) in
        [("2025-12-31 23:59:59.123456789+00:00", "NULL"), ("2026-01-01 08:00:00+00:00", "'注释'")]
    {
        sql(
            &app,
            format!(
                "INSERT INTO audit_events (occurred_at, actor_user_id, actor_role, scope, action, entity_type, \
                 entity_id, comment) VALUES ('{at}', 1, 'ADMIN', '/nm/region', 'createUser', 'user', '2', {comment})"
            ),
        )
        .await;
    }

    Migrator::up(db, None).await.unwrap();
    app.graphql(LOGIN, json!({ "u": "admin", "p": ADMIN_PASSWORD })).await.data();

    let rows = events(&app).await;
    assert_eq!(rows.len(), before + 3);
    assert_eq!(rows[0].prev_hash, GENESIS);
    assert_eq!(check(&app).await.unwrap().events, rows.len() as u64);
}
