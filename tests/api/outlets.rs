//! Publicity, the list, outlets, validity and renewal, sanctions (DESIGN §6).

use entity::institution;
use entity::sea_orm_active_enums::FilingState;
use serde_json::{Value, json};

use crate::helpers::{Persona, Reply, TestApp, World, eligible_profile, spawn_app};

const OPEN: &str = "mutation($input: OpenPublicityInput!) { openPublicity(input: $input) {
  announcement { id title startDate endDate workingDays } filings { id state version } } }";
const CONFIRM: &str = "mutation($id: ID!) { confirmPublicity(input: {announcementId: $id}) {
  list { id kind title year batchNo publicityId entries { institutionName outletNumber department { code } } } } }";
const OUTLET: &str = "query($id: ID!) { outlet(id: $id) { id number status validFrom validUntil version
  nationalRecommendedOn sanctionReason sanctionedOn } }";
const PUBLISHED: &str = "query($filter: PublishedOutletFilterInput) { publishedOutlets(filter: $filter) { totalCount
  edges { node { number name kind department { code name } address publicContact { name website }
  ipCategories serviceModes serviceItems { category serviceType description channels } validFrom validUntil } } } }";

/// Opens a publicity over `filings` (id, version) as the reviewer.
async fn open(app: &TestApp, world: &World, filings: &[(i64, i32)], days: i32) -> Value {
    let filings: Vec<Value> =
        filings.iter().map(|(id, v)| json!({ "id": id.to_string(), "version": v })).collect();
    let reply = app
        .graphql_as(
            world.token(Persona::Reviewer),
            OPEN,
            json!({ "input": { "filings": filings, "workingDays": days } }),
        )
        .await;
    reply.data()["openPublicity"].clone()
}

async fn confirm(app: &TestApp, world: &World, announcement: &Value) -> Reply {
    app.graphql_as(world.token(Persona::Reviewer), CONFIRM, json!({ "id": announcement })).await
}

/// Takes a recommended filing of `institution` through publicity to an outlet; returns the
/// outlet as `outlet(id)` shows it.
async fn file_outlet(app: &TestApp, world: &mut World, which: char) -> Value {
    let institution: institution::Model = match which {
        'a' => world.a.clone(),
        'b' => world.b.clone(),
        _ => world.c.clone(),
    };
    let filing = app.insert_filing(&institution, FilingState::Recommended).await;
    let opened = open(app, world, &[(filing.id, 1)], 5).await;
    app.advance(world, chrono::Duration::days(14));
    let list = confirm(app, world, &opened["announcement"]["id"]).await;
    list.data();
    let outlet_id = app
        .graphql_as(
            world.token(Persona::Reviewer),
            "query($id: ID!) { filing(id: $id) { state outletId } }",
            json!({ "id": filing.id.to_string() }),
        )
        .await
        .data()["filing"]["outletId"]
        .clone();
    app.graphql_as(world.token(Persona::Reviewer), OUTLET, json!({ "id": outlet_id })).await.data()["outlet"]
        .clone()
}

#[tokio::test]
async fn publicity_over_the_national_day_files_the_outlet_and_publishes_the_list() {
    let app = spawn_app().await;
    let mut world = app.world().await;
    app.travel_to(&mut world, "2026-09-30 09:00");
    let filing = app.insert_filing(&world.a, FilingState::Recommended).await;

    let opened = open(&app, &world, &[(filing.id, 1)], 5).await;
    let announcement = &opened["announcement"];
    // 30 Sep, then 1–7 Oct off; 8, 9 Oct, Saturday 10 Oct worked, Monday 12 Oct.
    assert_eq!(announcement["startDate"], "2026-09-30");
    assert_eq!(announcement["endDate"], "2026-10-12");
    assert_eq!(opened["filings"][0]["state"], "PUBLICIZING");

    // Early: the last day of the period is still running.
    app.travel_to(&mut world, "2026-10-12 23:30");
    let early = confirm(&app, &world, &announcement["id"]).await;
    assert_eq!(early.error("INVALID_TRANSITION")["from"], "PUBLICIZING");

    app.travel_to(&mut world, "2026-10-13 08:30");
    let reply = confirm(&app, &world, &announcement["id"]).await;
    let list = &reply.data()["confirmPublicity"]["list"];
    assert_eq!(list["title"], "2026年第1批自治区知识产权信息公共服务网点名单");
    assert_eq!(
        list["entries"],
        json!([{ "institutionName": "呼和浩特市图书馆", "outletNumber": "NM-IPIS-2026-0001", "department": { "code": "150100" } }])
    );
    let twice = confirm(&app, &world, &announcement["id"]).await;
    assert_eq!(twice.error("INVALID_TRANSITION")["from"], "CONFIRMED");

    // The outlet: valid three years from the filing date.
    let reply = app
        .graphql_as(
            world.token(Persona::OwnApplicant),
            "{ outlets { edges { node { number status validFrom validUntil } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        reply.data()["outlets"]["edges"][0]["node"],
        json!({ "number": "NM-IPIS-2026-0001", "status": "ACTIVE", "validFrom": "2026-10-13", "validUntil": "2029-10-12" })
    );

    // Anyone reads the list and the announcements, without personal data.
    let public = app.graphql(PUBLISHED, json!({})).await;
    let text = public.body.to_string();
    let node = &public.data()["publishedOutlets"]["edges"][0]["node"];
    assert_eq!(node["number"], "NM-IPIS-2026-0001");
    assert_eq!(node["publicContact"]["name"], "李娜");
    assert_eq!(node["serviceItems"].as_array().unwrap().len(), 3);
    for personal in ["0471-6900001", "13800000001", "contact@example.cn", "12150100"] {
        assert!(!text.contains(personal), "the public list shows {personal}");
    }
    let announcements = app
        .graphql("{ announcements { edges { node { kind title entries { institutionName } } } } }", json!({}))
        .await;
    let kinds: Vec<&str> = announcements.data()["announcements"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["LIST", "PUBLICITY"]);
    assert!(!announcements.body.to_string().contains("0471"));
}

#[tokio::test]
async fn the_public_list_filters_by_department_kind_category_and_service() {
    let app = spawn_app().await;
    let mut world = app.world().await;
    file_outlet(&app, &mut world, 'a').await;
    file_outlet(&app, &mut world, 'c').await;
    let count = |filter: Value| {
        let app = &app;
        async move {
            app.graphql(PUBLISHED, json!({ "filter": filter })).await.data()["publishedOutlets"]["totalCount"]
                .clone()
        }
    };
    assert_eq!(count(json!({})).await, 2);
    assert_eq!(count(json!({ "departmentCode": "150200" })).await, 1);
    assert_eq!(count(json!({ "kind": "PUBLIC_LIBRARY", "ipCategory": "PATENT" })).await, 2);
    assert_eq!(count(json!({ "ipCategory": "TRADEMARK" })).await, 0);
    assert_eq!(count(json!({ "serviceType": "SEARCH", "serviceMode": "OFFLINE" })).await, 2);
    assert_eq!(count(json!({ "serviceType": "SME_SERVICE" })).await, 0);

    // Coverage counts, open to everyone.
    let coverage = app
        .graphql("{ coverage { total departments { department { code } outlets byKind { name count } byIpCategory { name count } byServiceType { name count } } } }", json!({}))
        .await;
    let coverage = &coverage.data()["coverage"];
    assert_eq!(coverage["total"], 2);
    assert_eq!(coverage["departments"].as_array().unwrap().len(), 14);
    let hohhot = &coverage["departments"][0];
    assert_eq!(hohhot["department"]["code"], "150100");
    assert_eq!(hohhot["outlets"], 1);
    assert_eq!(hohhot["byKind"], json!([{ "name": "PUBLIC_LIBRARY", "count": 1 }]));
    assert_eq!(hohhot["byIpCategory"], json!([{ "name": "PATENT", "count": 1 }]));
    assert_eq!(
        hohhot["byServiceType"],
        json!([{ "name": "CONSULTATION", "count": 1 }, { "name": "SEARCH", "count": 1 }, { "name": "TRAINING", "count": 1 }])
    );
    assert_eq!(coverage["departments"][2]["outlets"], 0);
}

#[tokio::test]
async fn a_renewal_two_years_ten_months_on_continues_the_validity_without_a_gap() {
    let app = spawn_app().await;
    let mut world = app.world().await;
    app.travel_to(&mut world, "2026-03-02 10:00");
    let outlet = file_outlet(&app, &mut world, 'a').await;
    let (number, until) = (outlet["number"].clone(), outlet["validUntil"].as_str().unwrap().to_owned());
    let create = "mutation($input: CreateFilingInput!) { createFiling(input: $input) { filing { id version kind outletId } } }";
    let renewal = json!({ "input": { "institutionId": world.a.id.to_string(), "kind": "RENEWAL" } });
    let initial = json!({ "input": { "institutionId": world.a.id.to_string(), "kind": "INITIAL" } });

    // A first filing while valid, or a renewal before the window, is refused.
    let reply = app.graphql_as(world.token(Persona::OwnApplicant), create, initial).await;
    assert_eq!(reply.error("BAD_USER_INPUT")["field"], "input.kind");
    app.travel_to(&mut world, "2028-09-01 10:00");
    let reply = app.graphql_as(world.token(Persona::OwnApplicant), create, renewal.clone()).await;
    assert_eq!(reply.error("BAD_USER_INPUT")["field"], "input.kind");

    // Two years and ten months on, the window is open.
    app.travel_to(&mut world, "2029-01-16 10:00");
    let reply = app.graphql_as(world.token(Persona::OwnApplicant), create, renewal).await;
    let filing = reply.data()["createFiling"]["filing"].clone();
    assert_eq!(filing["kind"], "RENEWAL");
    assert_eq!(filing["outletId"], outlet["id"]);
    let id = filing["id"].clone();
    app.insert_attachment(
        id.as_str().unwrap().parse().unwrap(),
        entity::sea_orm_active_enums::AttachmentKind::WorkRules,
    )
    .await;
    app.insert_attachment(
        id.as_str().unwrap().parse().unwrap(),
        entity::sea_orm_active_enums::AttachmentKind::ApplicationForm,
    )
    .await;
    let step = |name: &'static str, version: i32, comment: Option<&'static str>, persona: Persona| {
        let app = &app;
        let token = world.token(persona).map(str::to_owned);
        let id = id.clone();
        async move {
            let query = format!(
                "mutation($input: FilingActionInput!) {{ {name}(input: $input) {{ filing {{ state version }} }} }}"
            );
            app.graphql_as(
                token.as_deref(),
                &query,
                json!({ "input": { "id": id, "version": version, "comment": comment } }),
            )
            .await
        }
    };
    let update =
        "mutation($input: UpdateFilingInput!) { updateFiling(input: $input) { filing { version } } }";
    app.graphql_as(world.token(Persona::OwnApplicant), update, json!({ "input": { "id": id, "version": 1, "declarationAccepted": true, "profile": eligible_profile() } })).await.data();
    step("submitFiling", 2, None, Persona::OwnApplicant).await.data();
    step("recommendFiling", 3, Some("同意续期"), Persona::OwnRecommender).await.data();
    let opened = open(&app, &world, &[(id.as_str().unwrap().parse().unwrap(), 4)], 5).await;
    app.advance(&mut world, chrono::Duration::days(10));
    confirm(&app, &world, &opened["announcement"]["id"]).await.data();

    let renewed = app.graphql_as(world.token(Persona::Reviewer), OUTLET, json!({ "id": outlet["id"] })).await;
    let renewed = &renewed.data()["outlet"];
    assert_eq!(renewed["number"], number, "a renewal keeps the number");
    let old_end: chrono::NaiveDate = until.parse().unwrap();
    let new_end: chrono::NaiveDate = renewed["validUntil"].as_str().unwrap().parse().unwrap();
    assert_eq!(old_end, "2029-03-15".parse::<chrono::NaiveDate>().unwrap());
    assert_eq!(new_end, "2032-03-15".parse::<chrono::NaiveDate>().unwrap());
    assert_eq!(renewed["validFrom"], outlet["validFrom"]);
    assert_eq!(renewed["status"], "ACTIVE");
}

#[tokio::test]
async fn an_outlet_expires_without_renewal_and_leaves_the_public_list() {
    let app = spawn_app().await;
    let mut world = app.world().await;
    let outlet = file_outlet(&app, &mut world, 'a').await;
    let until = outlet["validUntil"].as_str().unwrap().to_owned();
    async fn listed(app: &TestApp) -> Value {
        app.graphql(PUBLISHED, json!({})).await.data()["publishedOutlets"]["totalCount"].clone()
    }

    let last: chrono::NaiveDate = until.parse().unwrap();
    let ten_before = last - chrono::Duration::days(10);
    app.travel_to(&mut world, &format!("{ten_before} 12:00"));
    let expiring = "query($days: Int) { outlets(filter: {expiringWithinDays: $days}) { totalCount } }";
    for (days, count) in [(30, 1), (10, 1), (9, 0)] {
        let reply =
            app.graphql_as(world.token(Persona::OwnRecommender), expiring, json!({ "days": days })).await;
        assert_eq!(reply.data()["outlets"]["totalCount"], count, "expiring within {days} days");
    }

    app.travel_to(&mut world, &format!("{until} 23:59"));
    assert_eq!(listed(&app).await, 1, "valid through its last day");
    let status =
        app.graphql_as(world.token(Persona::OwnRecommender), OUTLET, json!({ "id": outlet["id"] })).await;
    assert_eq!(status.data()["outlet"]["status"], "ACTIVE");

    let next: chrono::NaiveDate = until.parse::<chrono::NaiveDate>().unwrap().succ_opt().unwrap();
    app.travel_to(&mut world, &format!("{next} 00:00"));
    assert_eq!(listed(&app).await, 0);
    let status =
        app.graphql_as(world.token(Persona::OwnRecommender), OUTLET, json!({ "id": outlet["id"] })).await;
    assert_eq!(status.data()["outlet"]["status"], "EXPIRED");
    let expired = app
        .graphql_as(
            world.token(Persona::Reviewer),
            "{ outlets(filter: {status: EXPIRED}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(expired.data()["outlets"]["totalCount"], 1);
    // Expired, it may file anew.
    let create = "mutation($input: CreateFilingInput!) { createFiling(input: $input) { filing { kind } } }";
    let reply = app
        .graphql_as(
            world.token(Persona::OwnApplicant),
            create,
            json!({ "input": { "institutionId": world.a.id.to_string(), "kind": "INITIAL" } }),
        )
        .await;
    assert_eq!(reply.data()["createFiling"]["filing"]["kind"], "INITIAL");
}

#[tokio::test]
async fn objections_decide_who_is_filed() {
    let app = spawn_app().await;
    let mut world = app.world().await;
    let a = app.insert_filing(&world.a, FilingState::Recommended).await;
    let c = app.insert_filing(&world.c, FilingState::Recommended).await;
    let opened = open(&app, &world, &[(a.id, 1), (c.id, 1)], 5).await;
    let reviewer = world.token(Persona::Reviewer);
    let record = "mutation($input: RecordObjectionInput!) { recordObjection(input: $input) { objection { id status version } } }";
    let resolve = "mutation($input: ResolveObjectionInput!) { resolveObjection(input: $input) { objection { id status resolution } } }";
    let objection_a = app
        .graphql_as(
            reviewer,
            record,
            json!({ "input": { "filingId": a.id.to_string(), "content": "场地系租借且已到期" } }),
        )
        .await;
    let objection_a = objection_a.data()["recordObjection"]["objection"].clone();
    let objection_c = app
        .graphql_as(
            reviewer,
            record,
            json!({ "input": { "filingId": c.id.to_string(), "content": "人员不实" } }),
        )
        .await;
    let objection_c = objection_c.data()["recordObjection"]["objection"].clone();

    // Rejecting during publicity needs an upheld objection.
    let reject = "mutation($input: FilingActionInput!) { rejectFiling(input: $input) { filing { state } } }";
    app.graphql_as(
        reviewer,
        reject,
        json!({ "input": { "id": a.id.to_string(), "version": 2, "comment": "x" } }),
    )
    .await
    .error("INVALID_TRANSITION");

    // Confirming waits for every objection to be resolved.
    app.advance(&mut world, chrono::Duration::days(14));
    let reviewer = world.token(Persona::Reviewer);
    confirm(&app, &world, &opened["announcement"]["id"]).await.error("CONFLICT");
    let upheld = app
        .graphql_as(reviewer, resolve, json!({ "input": { "objectionId": objection_a["id"], "version": 1, "outcome": "UPHELD", "resolution": "经核实属实" } }))
        .await;
    assert_eq!(upheld.data()["resolveObjection"]["objection"]["status"], "UPHELD");
    app.graphql_as(reviewer, resolve, json!({ "input": { "objectionId": objection_c["id"], "version": 1, "outcome": "DISMISSED", "resolution": "经核实不属实" } }))
        .await
        .data();
    app.graphql_as(reviewer, resolve, json!({ "input": { "objectionId": objection_c["id"], "version": 2, "outcome": "UPHELD", "resolution": "再议" } }))
        .await
        .error("INVALID_TRANSITION");

    let reply = confirm(&app, &world, &opened["announcement"]["id"]).await;
    let entries = &reply.data()["confirmPublicity"]["list"]["entries"];
    assert_eq!(entries.as_array().unwrap().len(), 1);
    assert_eq!(entries[0]["institutionName"], "包头市图书馆");
    let states = app
        .graphql_as(
            reviewer,
            "{ filings { edges { node { state opinions { action comment } objections { status } } } } }",
            json!({}),
        )
        .await;
    let nodes = &states.data()["filings"]["edges"];
    assert_eq!(nodes[0]["node"]["state"], "REJECTED");
    assert_eq!(nodes[0]["node"]["opinions"][0]["comment"], "异议成立：经核实属实");
    assert_eq!(nodes[1]["node"]["state"], "FILED");
}

#[tokio::test]
async fn revocation_bans_the_institution_for_three_years() {
    let app = spawn_app().await;
    let mut world = app.world().await;
    app.travel_to(&mut world, "2026-05-09 10:00");
    let outlet = file_outlet(&app, &mut world, 'a').await;
    let reviewer = world.token(Persona::Reviewer);
    let national = "mutation($input: RecommendOutletToNationalInput!) { recommendOutletToNational(input: $input) { outlet { nationalRecommendedOn version } } }";
    let reply = app
        .graphql_as(
            reviewer,
            national,
            json!({ "input": { "outletId": outlet["id"], "version": 1, "note": "服务成效突出" } }),
        )
        .await;
    assert_eq!(reply.data()["recommendOutletToNational"]["outlet"]["nationalRecommendedOn"], "2026-05-23");

    let revoke = "mutation($input: SanctionOutletInput!) { revokeOutlet(input: $input) { outlet { status sanctionReason sanctionedOn } } }";
    let reply = app
        .graphql_as(
            reviewer,
            revoke,
            json!({ "input": { "outletId": outlet["id"], "version": 2, "reason": "提供虚假材料" } }),
        )
        .await;
    let revoked = &reply.data()["revokeOutlet"]["outlet"];
    assert_eq!(revoked["status"], "REVOKED");
    assert_eq!(revoked["sanctionedOn"], "2026-05-23");
    assert_eq!(app.graphql(PUBLISHED, json!({})).await.data()["publishedOutlets"]["totalCount"], 0);
    let terminate =
        "mutation($input: SanctionOutletInput!) { terminateOutlet(input: $input) { outlet { status } } }";
    let again = app
        .graphql_as(
            reviewer,
            terminate,
            json!({ "input": { "outletId": outlet["id"], "version": 3, "reason": "x" } }),
        )
        .await;
    assert_eq!(again.error("INVALID_TRANSITION")["from"], "REVOKED");

    let create = "mutation($input: CreateFilingInput!) { createFiling(input: $input) { filing { state } } }";
    let input = json!({ "input": { "institutionId": world.a.id.to_string(), "kind": "INITIAL" } });
    let reply = app.graphql_as(world.token(Persona::OwnApplicant), create, input.clone()).await;
    assert_eq!(reply.error("BANNED")["bannedUntil"], "2029-05-23");
    app.travel_to(&mut world, "2029-05-22 23:59");
    app.graphql_as(world.token(Persona::OwnApplicant), create, input.clone()).await.error("BANNED");
    app.travel_to(&mut world, "2029-05-23 00:00");
    let reply = app.graphql_as(world.token(Persona::OwnApplicant), create, input).await;
    assert_eq!(reply.data()["createFiling"]["filing"]["state"], "DRAFT");
}

#[tokio::test]
async fn concurrent_confirmations_number_outlets_without_gaps_or_duplicates() {
    let app = spawn_app().await;
    let mut world = app.world().await;
    let mut publicities = Vec::new();
    for batch in 0..4u32 {
        let mut filings = Vec::new();
        for n in 0..3u32 {
            let institution =
                app.insert_institution(&format!("机构{batch}-{n}"), "150400", 200 + batch * 10 + n).await;
            let filing = app.insert_filing(&institution, FilingState::Recommended).await;
            filings.push((filing.id, 1));
        }
        publicities.push(open(&app, &world, &filings, 3).await["announcement"]["id"].clone());
    }
    app.advance(&mut world, chrono::Duration::days(10));
    let token = world.token(Persona::Reviewer).unwrap().to_owned();
    let bodies =
        publicities.into_iter().map(|id| json!({ "query": CONFIRM, "variables": { "id": id } })).collect();
    let mut numbers = Vec::new();
    let mut batches = Vec::new();
    for reply in app.race(&token, bodies).await {
        assert!(reply.get("errors").is_none(), "{reply}");
        let list = &reply["data"]["confirmPublicity"]["list"];
        batches.push(list["batchNo"].as_i64().unwrap());
        numbers.extend(
            list["entries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["outletNumber"].as_str().unwrap().to_owned()),
        );
    }
    numbers.sort();
    batches.sort_unstable();
    let expected: Vec<String> = (1..=12).map(|n| format!("NM-IPIS-2026-{n:04}")).collect();
    assert_eq!(numbers, expected);
    assert_eq!(batches, [1, 2, 3, 4]);
}

#[tokio::test]
async fn the_calendar_is_seeded_and_kept_by_admins() {
    let app = spawn_app().await;
    let mut world = app.world().await;
    let days = app.graphql("{ calendarDays(year: 2026) { date kind name } }", json!({})).await;
    let days = days.data()["calendarDays"].as_array().unwrap().clone();
    assert!(days.contains(&json!({ "date": "2026-02-14", "kind": "MAKEUP_WORKDAY", "name": "春节" })));
    assert!(days.contains(&json!({ "date": "2026-10-01", "kind": "HOLIDAY", "name": "国庆节" })));

    // A day the admin marks changes the next publicity's period.
    let set =
        "mutation($input: SetCalendarDayInput!) { setCalendarDay(input: $input) { day { date kind } } }";
    app.graphql_as(
        world.token(Persona::Admin),
        set,
        json!({ "input": { "date": "2026-03-04", "kind": "HOLIDAY", "name": "测试假日" } }),
    )
    .await
    .data();
    app.travel_to(&mut world, "2026-03-02 09:00");
    let filing = app.insert_filing(&world.a, FilingState::Recommended).await;
    let opened = open(&app, &world, &[(filing.id, 1)], 5).await;
    // Mon 2, Tue 3, (Wed 4 off), Thu 5, Fri 6, Mon 9.
    assert_eq!(opened["announcement"]["endDate"], "2026-03-09");
}
