//! The filing workflow (DESIGN §5): application, 盟市 recommendation, 自治区 review.

use entity::sea_orm_active_enums::FilingState;
use serde_json::{Value, json};

use crate::helpers::{PDF, Persona, TestApp, World, eligible_profile, spawn_app};

const FILING_FIELDS: &str = "id state version declarationAccepted unmetConditions submittedAt
  form { name address staff { name employment } ipCategories serviceItems { serviceType } }
  attachments { id kind mediaType }
  opinions { action comment handler actorRole }
  history { action fromState toState comment }";

fn mutation(name: &str, input_type: &str) -> String {
    format!("mutation($input: {input_type}!) {{ {name}(input: $input) {{ filing {{ {FILING_FIELDS} }} }} }}")
}

/// Sends a workflow step and returns the reply.
async fn step(
    app: &TestApp,
    token: Option<&str>,
    name: &str,
    id: &Value,
    version: &Value,
    comment: Option<&str>,
) -> crate::helpers::Reply {
    let input = json!({ "id": id, "version": version, "comment": comment });
    app.graphql_as(token, &mutation(name, "FilingActionInput"), json!({ "input": input })).await
}

fn filing<'a>(reply: &'a crate::helpers::Reply, name: &str) -> &'a Value {
    &reply.data()[name]["filing"]
}

/// Asks for a new initial filing of institution A, as its applicant.
async fn try_create(app: &TestApp, world: &World) -> crate::helpers::Reply {
    let input = json!({ "institutionId": world.a.id.to_string(), "kind": "INITIAL" });
    app.graphql_as(
        world.token(Persona::OwnApplicant),
        &mutation("createFiling", "CreateFilingInput"),
        json!({ "input": input }),
    )
    .await
}

async fn create(app: &TestApp, world: &World) -> Value {
    filing(&try_create(app, world).await, "createFiling").clone()
}

#[tokio::test]
async fn the_whole_path_from_draft_to_recommended_with_every_detour() {
    let app = spawn_app().await;
    let world = app.world().await;
    let applicant = world.token(Persona::OwnApplicant);
    let recommender = world.token(Persona::OwnRecommender);
    let reviewer = world.token(Persona::Reviewer);

    // Draft, filled from the institution.
    let draft = create(&app, &world).await;
    assert_eq!(draft["state"], "DRAFT");
    assert_eq!(draft["form"]["name"], "呼和浩特市图书馆");
    let id = draft["id"].clone();

    // Submitting now lists every unmet condition at once.
    let reply = step(&app, applicant, "submitFiling", &id, &json!(1), None).await;
    let conditions = reply.error("INELIGIBLE")["conditions"].clone();
    assert_eq!(
        conditions,
        json!([
            "FULL_TIME_STAFF_BELOW_3",
            "NO_PART_TIME_STAFF",
            "NO_IP_CATEGORY",
            "NO_SERVICE_MODE",
            "NO_CONSULTATION_SERVICE",
            "NO_SEARCH_SERVICE",
            "NO_TRAINING_SERVICE",
            "FACILITIES_NOT_DESCRIBED",
            "NO_DATABASE_OR_TOOL",
            "NO_WORK_RULES_ATTACHED",
            "NO_APPLICATION_FORM_ATTACHED",
            "DECLARATION_NOT_ACCEPTED"
        ])
    );
    assert_eq!(draft["unmetConditions"], conditions);

    // Fixed: the profile, the declaration, the two attachments.
    let input = json!({ "id": id, "version": 1, "profile": eligible_profile(), "declarationAccepted": true });
    let reply = app
        .graphql_as(applicant, &mutation("updateFiling", "UpdateFilingInput"), json!({ "input": input }))
        .await;
    let updated = filing(&reply, "updateFiling");
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["unmetConditions"], json!(["NO_WORK_RULES_ATTACHED", "NO_APPLICATION_FORM_ATTACHED"]));
    let filing_id: i64 = id.as_str().unwrap().parse().unwrap();
    app.upload(applicant, filing_id, 2, "WORK_RULES", "工作制度.pdf", PDF).await.data();
    app.upload(applicant, filing_id, 3, "APPLICATION_FORM", "申请表.pdf", PDF).await.data();

    let reply = step(&app, applicant, "submitFiling", &id, &json!(4), None).await;
    let submitted = filing(&reply, "submitFiling");
    assert_eq!(submitted["state"], "SUBMITTED");
    assert!(submitted["submittedAt"].is_string());

    // Out of scope: the other department's recommender and the other applicant.
    step(&app, world.token(Persona::OtherRecommender), "returnFiling", &id, &json!(5), Some("x"))
        .await
        .error("FORBIDDEN");
    step(&app, world.token(Persona::OtherApplicant), "withdrawFiling", &id, &json!(5), None)
        .await
        .error("FORBIDDEN");
    // The wrong role, in scope: the reviewer cannot act for the recommender.
    step(&app, reviewer, "recommendFiling", &id, &json!(5), Some("x")).await.error("FORBIDDEN");

    // Returned with a comment, fixed, resubmitted.
    let reply = step(&app, recommender, "returnFiling", &id, &json!(5), None).await;
    assert_eq!(reply.error("BAD_USER_INPUT")["field"], "input.comment");
    let reply = step(&app, recommender, "returnFiling", &id, &json!(5), Some("请补充培训记录")).await;
    assert_eq!(filing(&reply, "returnFiling")["state"], "RETURNED");
    let reply = step(&app, applicant, "submitFiling", &id, &json!(6), None).await;
    assert_eq!(filing(&reply, "submitFiling")["state"], "SUBMITTED");

    // Recommended, sent back, recommended again.
    let reply = step(&app, recommender, "recommendFiling", &id, &json!(7), Some("同意推荐")).await;
    assert_eq!(filing(&reply, "recommendFiling")["state"], "RECOMMENDED");
    let reply = step(&app, reviewer, "sendBackFiling", &id, &json!(8), Some("请核实场地面积")).await;
    assert_eq!(filing(&reply, "sendBackFiling")["state"], "SUBMITTED");
    let reply = step(&app, recommender, "recommendFiling", &id, &json!(9), Some("已核实，同意推荐")).await;
    assert_eq!(filing(&reply, "recommendFiling")["state"], "RECOMMENDED");

    // The applicant sees every opinion, with its handler.
    let reply = app
        .graphql_as(
            applicant,
            &format!("query($id: ID!) {{ filing(id: $id) {{ {FILING_FIELDS} }} }}"),
            json!({ "id": id }),
        )
        .await;
    let seen = &reply.data()["filing"];
    let opinions: Vec<(&str, &str)> = seen["opinions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["action"].as_str().unwrap(), o["comment"].as_str().unwrap()))
        .collect();
    assert_eq!(
        opinions,
        [
            ("returnFiling", "请补充培训记录"),
            ("recommendFiling", "同意推荐"),
            ("sendBackFiling", "请核实场地面积"),
            ("recommendFiling", "已核实，同意推荐"),
        ]
    );
    assert_eq!(seen["opinions"][1]["handler"], "rec.150100");
    let states: Vec<&str> =
        seen["history"].as_array().unwrap().iter().filter_map(|h| h["toState"].as_str()).collect();
    assert_eq!(
        states,
        ["DRAFT", "DRAFT", "SUBMITTED", "RETURNED", "SUBMITTED", "RECOMMENDED", "SUBMITTED", "RECOMMENDED"]
    );

    // An ended or advanced filing cannot be moved the wrong way.
    let reply = step(&app, applicant, "withdrawFiling", &id, &json!(10), None).await;
    let ext = reply.error("INVALID_TRANSITION");
    assert_eq!((ext["from"].as_str(), ext["action"].as_str()), (Some("RECOMMENDED"), Some("withdrawFiling")));
}

#[tokio::test]
async fn withdraw_decline_and_reject_end_a_filing_and_free_the_institution() {
    let app = spawn_app().await;
    let world = app.world().await;
    let cases = [
        (FilingState::Draft, Persona::OwnApplicant, "withdrawFiling", None, "WITHDRAWN"),
        (FilingState::Submitted, Persona::OwnApplicant, "withdrawFiling", Some("不再申请"), "WITHDRAWN"),
        (
            FilingState::Submitted,
            Persona::OwnRecommender,
            "declineFiling",
            Some("团队人员不足"),
            "NOT_RECOMMENDED",
        ),
        (FilingState::Recommended, Persona::Reviewer, "rejectFiling", Some("数据库已过期"), "REJECTED"),
    ];
    for (from, persona, name, comment, to) in cases {
        let row = app.insert_filing(&world.a, from).await;
        let id = json!(row.id.to_string());
        let reply = step(&app, world.token(persona), name, &id, &json!(1), comment).await;
        assert_eq!(filing(&reply, name)["state"], to, "{name}");
        // Ended: nothing more, and a new filing may be opened.
        step(&app, world.token(Persona::OwnApplicant), "submitFiling", &id, &json!(2), None)
            .await
            .error("INVALID_TRANSITION");
        let fresh = create(&app, &world).await;
        let fresh_id = fresh["id"].clone();
        step(&app, world.token(Persona::OwnApplicant), "withdrawFiling", &fresh_id, &json!(1), None)
            .await
            .data();
    }
}

#[tokio::test]
async fn one_open_filing_per_institution() {
    let app = spawn_app().await;
    let world = app.world().await;
    create(&app, &world).await;
    let before = app.fingerprint().await;
    try_create(&app, &world).await.error("CONFLICT");
    assert_eq!(app.fingerprint().await, before);
}

#[tokio::test]
async fn exempt_and_banned_institutions_cannot_file() {
    use sea_orm::{ActiveModelTrait as _, ActiveValue::Set, EntityTrait as _, IntoActiveModel as _};
    let app = spawn_app().await;
    let world = app.world().await;
    let mut exempt = world.a.clone().into_active_model();
    exempt.exempt_category = Set(Some(entity::sea_orm_active_enums::ExemptCategory::Tisc));
    exempt.update(&app.state.writer).await.unwrap();
    let input = json!({ "institutionId": world.a.id.to_string(), "kind": "INITIAL" });
    let create_a = mutation("createFiling", "CreateFilingInput");
    app.graphql_as(world.token(Persona::OwnApplicant), &create_a, json!({ "input": input }))
        .await
        .error("EXEMPT_INSTITUTION");

    let today = app.clock_now().date_naive();
    let until = today + chrono::Duration::days(400);
    entity::institution_ban::Entity::insert(entity::institution_ban::ActiveModel {
        institution_id: Set(world.b.id),
        reason: Set("提供虚假材料".into()),
        decided_on: Set(today),
        until: Set(until),
        created_at: Set(app.clock_now()),
        ..Default::default()
    })
    .exec(&app.state.writer)
    .await
    .unwrap();
    let input = json!({ "institutionId": world.b.id.to_string(), "kind": "INITIAL" });
    let reply =
        app.graphql_as(world.token(Persona::OtherApplicant), &create_a, json!({ "input": input })).await;
    assert_eq!(reply.error("BANNED")["bannedUntil"], until.to_string());

    app.clock.set(app.clock_now() + chrono::Duration::days(401));
    let reply = app
        .graphql_as(
            Some(&app.token_for(app.user_by_name("applicant.b").await.id)),
            &create_a,
            json!({ "input": input }),
        )
        .await;
    assert_eq!(filing(&reply, "createFiling")["state"], "DRAFT");
}

#[tokio::test]
async fn a_submitted_form_does_not_follow_later_edits_of_the_institution() {
    let app = spawn_app().await;
    let world = app.world().await;
    let filing_row = app.insert_filing(&world.a, FilingState::Draft).await;
    let id = json!(filing_row.id.to_string());
    step(&app, world.token(Persona::OwnApplicant), "submitFiling", &id, &json!(1), None).await.data();
    let change = json!({ "id": world.a.id.to_string(), "version": 1, "address": "新地址88号" });
    app.graphql_as(
        world.token(Persona::OwnApplicant),
        "mutation($input: UpdateInstitutionInput!) { updateInstitution(input: $input) { institution { address } } }",
        json!({ "input": change }),
    )
    .await
    .data();
    let reply = app
        .graphql_as(
            world.token(Persona::Reviewer),
            "query($id: ID!) { filing(id: $id) { form { address } institution { address } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(reply.data()["filing"]["form"]["address"], "新华大街1号");
    assert_eq!(reply.data()["filing"]["institution"]["address"], "新地址88号");
    // And a submitted filing's form cannot be edited.
    let input = json!({ "id": id, "version": 2, "declarationAccepted": false });
    let reply = app
        .graphql_as(
            world.token(Persona::OwnApplicant),
            &mutation("updateFiling", "UpdateFilingInput"),
            json!({ "input": input }),
        )
        .await;
    reply.error("INVALID_TRANSITION");
}

#[tokio::test]
async fn attachments_are_sniffed_stored_by_hash_frozen_after_submit_and_served_in_scope() {
    let app = spawn_app().await;
    let world = app.world().await;
    let applicant = world.token(Persona::OwnApplicant);
    let filing_row = app.insert_filing(&world.a, FilingState::Draft).await;

    // Content decides: an executable named .pdf is refused, a real PDF is taken.
    let reply =
        app.upload(applicant, filing_row.id, 1, "OTHER", "说明.pdf", b"MZ\x90\x00\x03\x00\x00\x00").await;
    assert_eq!(reply.error("BAD_USER_INPUT")["field"], "input.file");
    let reply = app.upload(applicant, filing_row.id, 1, "OTHER", "说明.pdf", PDF).await;
    let attachment = reply.data()["uploadFilingAttachment"]["attachment"].clone();
    assert_eq!(attachment["mediaType"], "application/pdf");
    assert_eq!(attachment["sha256"], outlet_filing::storage::FileStore::hash(PDF));
    assert_eq!(attachment["sizeBytes"], PDF.len());

    // Too large for the limit (256 KiB in tests): refused before anything is stored.
    let mut big = PDF.to_vec();
    big.resize(300 * 1024, b' ');
    let reply = app.upload(applicant, filing_row.id, 2, "OTHER", "大.pdf", &big).await;
    assert_eq!(reply.status, reqwest::StatusCode::PAYLOAD_TOO_LARGE);
    reply.error("BAD_USER_INPUT");

    // Download with the filing's authorization.
    let url = format!("{}{}", app.address, attachment["url"].as_str().unwrap());
    let get = |token: Option<&str>| {
        let mut request = app.client.get(&url);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    let response = get(applicant).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert_eq!(response.bytes().await.unwrap().as_ref(), PDF);
    assert_eq!(get(world.token(Persona::OwnRecommender)).await.unwrap().status(), 200);
    assert_eq!(get(world.token(Persona::OtherRecommender)).await.unwrap().status(), 403);
    assert_eq!(get(world.token(Persona::Admin)).await.unwrap().status(), 403);
    assert_eq!(get(None).await.unwrap().status(), 401);

    // Removed while a draft; frozen once submitted.
    let remove = "mutation($input: RemoveFilingAttachmentInput!) { removeFilingAttachment(input: $input) { filing { version attachments { id } } } }";
    let reply = app
        .graphql_as(applicant, remove, json!({ "input": { "attachmentId": attachment["id"], "version": 2 } }))
        .await;
    assert_eq!(reply.data()["removeFilingAttachment"]["filing"]["attachments"].as_array().unwrap().len(), 2);
    step(&app, applicant, "submitFiling", &json!(filing_row.id.to_string()), &json!(3), None).await.data();
    let reply = app.upload(applicant, filing_row.id, 4, "OTHER", "补充.pdf", PDF).await;
    reply.error("INVALID_TRANSITION");
}

const LIST: &str =
    "query($filter: FilingFilterInput, $first: Int) { filings(filter: $filter, first: $first) {
  totalCount edges { node { id state institution { name department { code } }
  attachments { kind } opinions { comment handler } history { action } form { name } } } } }";

#[tokio::test]
async fn lists_are_scoped_filtered_and_cost_the_same_statements_for_any_page_size() {
    let app = spawn_app().await;
    let world = app.world().await;
    app.insert_filing(&world.a, FilingState::Submitted).await;
    app.insert_filing(&world.c, FilingState::Recommended).await;
    let count = |persona| {
        let app = &app;
        let token = world.token(persona).map(str::to_owned);
        async move {
            app.graphql_as(token.as_deref(), LIST, json!({})).await.data()["filings"]["totalCount"].clone()
        }
    };
    assert_eq!(count(Persona::OwnApplicant).await, 1);
    assert_eq!(count(Persona::OtherApplicant).await, 0);
    assert_eq!(count(Persona::OwnRecommender).await, 1);
    assert_eq!(count(Persona::OtherRecommender).await, 1);
    assert_eq!(count(Persona::Reviewer).await, 2);
    app.graphql_as(world.token(Persona::Admin), LIST, json!({})).await.error("FORBIDDEN");
    let reply = app
        .graphql_as(world.token(Persona::Reviewer), LIST, json!({ "filter": { "state": "RECOMMENDED" } }))
        .await;
    assert_eq!(reply.data()["filings"]["edges"][0]["node"]["institution"]["department"]["code"], "150200");

    // Many more filings: the statements a page costs do not grow with its size.
    for n in 0..12 {
        let institution = app.insert_institution(&format!("机构{n}"), "150300", 100 + n).await;
        let row = app.insert_filing(&institution, FilingState::Submitted).await;
        let _ = row;
    }
    let token = world.token(Persona::Reviewer);
    // The filings just added moved the kept totals: the first page counts them again.
    app.graphql_as(token, LIST, json!({ "first": 1 })).await.data();
    let mut costs = Vec::new();
    for first in [2, 12] {
        let before = app.state.db_stats.statements();
        let reply = app.graphql_as(token, LIST, json!({ "first": first })).await;
        assert_eq!(reply.data()["filings"]["edges"].as_array().unwrap().len(), first);
        costs.push(app.state.db_stats.statements() - before);
    }
    eprintln!("statements for a page of 2 and of 12 filings with related rows: {costs:?}");
    assert_eq!(costs[0], costs[1], "statements for 2 and 12 filings: {costs:?}");

    // Newest first, page by page, is the reverse of oldest first.
    let ids = |reply: &crate::helpers::Reply| -> Vec<String> {
        reply.data()["filings"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let order = "query($order: ListOrder, $first: Int, $after: String) { filings(order: $order, first: $first, after: $after) {
      pageInfo { endCursor } edges { node { id } } } }";
    let oldest = ids(&app.graphql_as(token, order, json!({ "first": 100 })).await);
    let first_page = app.graphql_as(token, order, json!({ "order": "NEWEST_FIRST", "first": 5 })).await;
    let cursor = first_page.data()["filings"]["pageInfo"]["endCursor"].clone();
    let second_page =
        app.graphql_as(token, order, json!({ "order": "NEWEST_FIRST", "first": 100, "after": cursor })).await;
    let mut newest = ids(&first_page);
    newest.extend(ids(&second_page));
    newest.reverse();
    assert_eq!(newest, oldest);
    // Authentication, the page, and one batch per kind of related row.
    assert!(costs[0] <= 8, "{costs:?}");
}

#[tokio::test]
async fn fifty_concurrent_decisions_on_one_filing_let_exactly_one_win() {
    let app = spawn_app().await;
    let world = app.world().await;
    let row = app.insert_filing(&world.a, FilingState::Submitted).await;
    let token = world.token(Persona::OwnRecommender).unwrap().to_owned();
    let bodies = (0..50)
        .map(|n| {
            let (name, comment) =
                if n % 2 == 0 { ("recommendFiling", "同意推荐") } else { ("returnFiling", "请补充") };
            json!({
                "query": mutation(name, "FilingActionInput"),
                "variables": { "input": { "id": row.id.to_string(), "version": 1, "comment": comment } }
            })
        })
        .collect();
    let outcomes = app.race_codes(&token, bodies).await;
    assert_eq!(outcomes.iter().filter(|o| o.is_none()).count(), 1, "{outcomes:?}");
    assert!(outcomes.iter().flatten().all(|c| c == "CONFLICT" || c == "INVALID_TRANSITION"), "{outcomes:?}");
    let reply = app
        .graphql_as(
            world.token(Persona::Reviewer),
            "query($id: ID!) { filing(id: $id) { version history { action } } }",
            json!({ "id": row.id.to_string() }),
        )
        .await;
    assert_eq!(reply.data()["filing"]["version"], 2);
    assert_eq!(reply.data()["filing"]["history"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn filings_made_before_they_carried_their_department_get_their_institutions() {
    use migration::{Migrator, MigratorTrait as _};
    use sea_orm::{EntityTrait as _, QueryOrder as _};

    let app = spawn_app().await;
    let world = app.world().await;
    app.insert_filing(&world.a, FilingState::Submitted).await;
    app.insert_filing(&world.c, FilingState::Submitted).await;
    let db = &app.state.writer;
    // Back to before filings carried a department, and forward again.
    let names: Vec<String> = Migrator::migrations().iter().map(|m| m.name().to_owned()).collect();
    let added = names.iter().position(|n| n.ends_with("filings_department")).expect("the migration");
    Migrator::down(db, Some(u32::try_from(names.len() - added).unwrap())).await.unwrap();
    Migrator::up(db, None).await.unwrap();

    let filings =
        entity::filing::Entity::find().order_by_asc(entity::filing::Column::Id).all(db).await.unwrap();
    let departments: Vec<&str> = filings.iter().map(|f| f.department_code.as_str()).collect();
    assert_eq!(departments, ["150100", "150200"]);
    // Each bureau sees its own.
    let query = "{ filings { totalCount edges { node { institution { name } } } } }";
    let reply = app.graphql_as(world.token(Persona::OtherRecommender), query, json!({})).await;
    assert_eq!(reply.data()["filings"]["totalCount"], 1);
    assert_eq!(reply.data()["filings"]["edges"][0]["node"]["institution"]["name"], "包头市图书馆");
}
