//! What a request costs the database: the statements behind each page the benchmark
//! measures stay the same however long the page, and analytics are a fixed number of
//! statements however many outlets there are. The data is the demo data grown by
//! `seed-demo --institutions …`, the same code the benchmark's data set comes from.

use outlet_filing::service::demo::{self, scale::Scale};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

async fn grown(scale: Scale) -> TestApp {
    let app = spawn_app().await;
    demo::seed(&app.state).await.expect("demo accounts");
    demo::scale::grow(&app.state, scale, |_| {}).await.expect("demo data grown");
    app
}

async fn login(app: &TestApp, username: &str) -> String {
    let reply = app
        .graphql(
            "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token } }",
            json!({ "u": username, "p": demo::DEMO_PASSWORD }),
        )
        .await;
    reply.data()["login"]["token"].as_str().expect("token").to_owned()
}

/// Terminates outlet `id` as the reviewer whose token is `reviewer`.
async fn terminate(app: &TestApp, reviewer: &str, id: &Value) {
    let read = "query($id: ID!) { outlet(id: $id) { id version } }";
    let outlet = app.graphql_as(Some(reviewer), read, json!({ "id": id })).await.data()["outlet"].clone();
    app.graphql_as(
        Some(reviewer),
        "mutation($input: SanctionOutletInput!) { terminateOutlet(input: $input) { outlet { id } } }",
        json!({ "input": { "outletId": outlet["id"], "version": outlet["version"], "reason": "停止提供服务" } }),
    )
    .await
    .data();
}

/// The statements one request runs, and its data.
async fn cost(app: &TestApp, token: Option<&str>, query: &str, variables: Value) -> (u64, Value) {
    let before = app.state.db_stats.statements();
    let reply = app.graphql_as(token, query, variables).await;
    let data = reply.data().clone();
    (app.state.db_stats.statements() - before, data)
}

const INSTITUTIONS: &str = "query($first: Int) { institutions(first: $first) { totalCount edges { node {
    id name department { name } staff { name } databases { name } serviceItems { serviceType } } } } }";
const PUBLIC_LIST: &str = "query($first: Int) { publishedOutlets(first: $first) { totalCount edges { node {
    id number department { name } serviceItems { serviceType } } } } }";
const FILINGS: &str = "query($first: Int) { filings(first: $first) { totalCount edges { node {
    id state institution { name department { name } } } } } }";

#[tokio::test]
async fn pages_cost_the_same_statements_however_long_they_are() {
    let app = grown(Scale { institutions: 120, filings: 150, outlets: 40 }).await;
    let reviewer = login(&app, "reviewer").await;
    for (query, field, token) in [
        (INSTITUTIONS, "institutions", Some(reviewer.as_str())),
        (FILINGS, "filings", Some(reviewer.as_str())),
        (PUBLIC_LIST, "publishedOutlets", None),
    ] {
        // Counts kept in memory are made by the first request that asks; measure after it.
        cost(&app, token, query, json!({ "first": 1 })).await;
        let (short, data) = cost(&app, token, query, json!({ "first": 2 })).await;
        assert_eq!(data[field]["edges"].as_array().unwrap().len(), 2, "{field}");
        let (long, data) = cost(&app, token, query, json!({ "first": 30 })).await;
        assert_eq!(data[field]["edges"].as_array().unwrap().len(), 30, "{field}");
        eprintln!("{field}: {short} statements for a page of 2, {long} for a page of 30");
        assert_eq!(short, long, "{field}: statements for 2 and 30 rows");
        // The page, its count and one batch per kind of related row, no more.
        assert!(long <= 6, "{field}: {long} statements");
    }
}

/// `totalCount` of the institutions of each of `departments`, as aliases of one query.
fn counts_of(departments: &[&str]) -> String {
    let counts: Vec<String> = departments
        .iter()
        .map(|code| format!("d{code}: institutions(filter: {{departmentCode: \"{code}\"}}) {{ totalCount }}"))
        .collect();
    format!("{{ {} }}", counts.join(" "))
}

/// How many institutions of `department` a page lists, read row by row.
async fn listed(app: &TestApp, token: &str, department: &str) -> usize {
    let rows = format!(
        "{{ institutions(first: 100, filter: {{departmentCode: \"{department}\"}}) {{ edges {{ node {{ id }} }} }} }}"
    );
    let reply = app.graphql_as(Some(token), &rows, json!({})).await;
    reply.data()["institutions"]["edges"].as_array().unwrap().len()
}

#[tokio::test]
async fn counts_per_department_are_kept_until_an_institution_is_added_or_moved() {
    let app = grown(Scale { institutions: 140, filings: 140, outlets: 14 }).await;
    let reviewer = login(&app, "reviewer").await;
    let departments = ["150100", "150200", "150300"];
    let query = counts_of(&departments);
    cost(&app, Some(&reviewer), &query, json!({})).await;
    let (statements, data) = cost(&app, Some(&reviewer), &query, json!({})).await;
    for code in departments {
        assert_eq!(
            data[format!("d{code}")]["totalCount"],
            listed(&app, &reviewer, code).await,
            "{code}: {data}"
        );
    }
    // The caller, then one read of the institutions' generation per count: no rows, and no
    // counting while nothing has moved.
    assert_eq!(statements, 1 + 3, "{data}");

    // A new institution in 呼和浩特 is counted at once.
    let registered = app
        .graphql(
            "mutation($input: RegisterApplicantInput!) { registerApplicant(input: $input) { institution { id } } }",
            json!({ "input": crate::helpers::registration(1, "150100") }),
        )
        .await;
    registered.data();
    let (_, after) = cost(&app, Some(&reviewer), &query, json!({})).await;
    let before = data["d150100"]["totalCount"].as_u64().unwrap();
    assert_eq!(after["d150100"]["totalCount"], before + 1, "{after}");
    assert_eq!(after["d150200"]["totalCount"], data["d150200"]["totalCount"]);

    // A recommender's count stays within their department, whatever the filter asks.
    let recommender = login(&app, "rec.hohhot").await;
    let (_, theirs) = cost(&app, Some(&recommender), &counts_of(&["150100", "150200"]), json!({})).await;
    assert_eq!(theirs["d150100"]["totalCount"], before + 1, "{theirs}");
    assert_eq!(theirs["d150200"]["totalCount"], 0, "{theirs}");

    // Page arguments are checked whatever the selection.
    let reply =
        app.graphql_as(Some(&reviewer), "{ institutions(first: 1000) { totalCount } }", json!({})).await;
    reply.error("BAD_USER_INPUT");
}

#[tokio::test]
async fn an_institution_changing_its_address_leaves_the_counts_kept() {
    let app = grown(Scale { institutions: 28, filings: 28, outlets: 14 }).await;
    let reviewer = login(&app, "reviewer").await;
    let applicant = login(&app, "applicant.hohhot").await;
    let mine = app
        .graphql_as(
            Some(&applicant),
            "{ institutions(first: 1) { edges { node { id version } } } }",
            json!({}),
        )
        .await;
    let node = mine.data()["institutions"]["edges"][0]["node"].clone();
    let query = counts_of(&["150100"]);
    let (_, counted) = cost(&app, Some(&reviewer), &query, json!({})).await;
    let update = "mutation($input: UpdateInstitutionInput!) { updateInstitution(input: $input) { institution { address } } }";
    let input = json!({ "id": node["id"], "version": node["version"], "address": "新城区新华大街1号" });
    app.graphql_as(Some(&applicant), update, json!({ "input": input })).await.data();
    let (statements, kept) = cost(&app, Some(&reviewer), &query, json!({})).await;
    assert_eq!(kept, counted);
    assert_eq!(statements, 2, "the caller and the generation: the address did not move the count");
}

#[tokio::test]
async fn a_page_of_filings_reads_their_forms_only_when_asked_in_one_batch() {
    let app = grown(Scale { institutions: 120, filings: 150, outlets: 40 }).await;
    let reviewer = login(&app, "reviewer").await;
    let with_forms = "query($first: Int) { filings(first: $first) { edges { node {
        id institution { name } form { name } unmetConditions } } } }";
    // Totals kept in memory are counted by the first request that asks; measure after it.
    cost(&app, Some(&reviewer), FILINGS, json!({ "first": 1 })).await;
    let (without, _) = cost(&app, Some(&reviewer), FILINGS, json!({ "first": 30 })).await;
    assert_eq!(without, 3, "the caller, the kept total's generation, the page joined to its institutions");
    let (short, _) = cost(&app, Some(&reviewer), with_forms, json!({ "first": 2 })).await;
    let (long, data) = cost(&app, Some(&reviewer), with_forms, json!({ "first": 30 })).await;
    assert_eq!(short, long, "statements for 2 and 30 rows");
    // The FILINGS page counts its rows; this one does not, and reads the forms and the
    // attachments (for unmetConditions) in a batch each.
    assert_eq!(long, without - 1 + 2, "{without} without forms, {long} with");
    for edge in data["filings"]["edges"].as_array().unwrap() {
        let node = &edge["node"];
        assert_eq!(node["form"]["name"], node["institution"]["name"], "each filing gets its own form");
        assert!(node["unmetConditions"].is_array());
    }
}

#[tokio::test]
async fn a_page_of_filings_reads_the_rest_of_their_institutions_only_when_asked_in_one_batch() {
    let app = grown(Scale { institutions: 120, filings: 150, outlets: 40 }).await;
    let reviewer = login(&app, "reviewer").await;
    let page = |fields: &str| {
        format!(
            "query($first: Int) {{ filings(first: $first) {{ edges {{ node {{ id institution {{ {fields} }} }} }} }} }}"
        )
    };
    let summary = page("id uscc name kind department { code }");
    let whole = page("id name address version contact { name }");
    cost(&app, Some(&reviewer), &summary, json!({ "first": 1 })).await;
    let (short, _) = cost(&app, Some(&reviewer), &summary, json!({ "first": 2 })).await;
    let (long, _) = cost(&app, Some(&reviewer), &summary, json!({ "first": 30 })).await;
    assert_eq!((short, long), (2, 2), "the caller, the page joined to its institutions' summaries");
    let (short, _) = cost(&app, Some(&reviewer), &whole, json!({ "first": 2 })).await;
    let (long, data) = cost(&app, Some(&reviewer), &whole, json!({ "first": 30 })).await;
    assert_eq!((short, long), (3, 3), "and the rest of the page's institutions, in one batch");

    for edge in data["filings"]["edges"].as_array().unwrap() {
        let listed = &edge["node"]["institution"];
        let one = "query($id: ID!) { institution(id: $id) { id name address version contact { name } } }";
        let reply = app.graphql_as(Some(&reviewer), one, json!({ "id": listed["id"] })).await;
        assert_eq!(&reply.data()["institution"], listed, "each filing gets its own institution, whole");
    }
}

#[tokio::test]
async fn coverage_is_counted_by_the_database_in_a_fixed_number_of_statements() {
    let small = grown(Scale { institutions: 28, filings: 28, outlets: 14 }).await;
    let large = grown(Scale { institutions: 140, filings: 140, outlets: 140 }).await;
    let query = "{ coverage { total departments { outlets byServiceType { name count } } } }";
    let (few, data) = cost(&small, None, query, json!({})).await;
    assert_eq!(data["coverage"]["total"], 14, "each outlet filed within three years is valid");
    let (many, data) = cost(&large, None, query, json!({})).await;
    assert_eq!(data["coverage"]["total"], 140);
    // Every department has ten outlets, each offering the three basic services.
    let hohhot = &data["coverage"]["departments"][0];
    assert_eq!(hohhot["outlets"], 10);
    assert_eq!(
        hohhot["byServiceType"],
        json!([{ "name": "CONSULTATION", "count": 10 }, { "name": "SEARCH", "count": 10 }, { "name": "TRAINING", "count": 10 }])
    );
    assert_eq!(few, many, "statements for 14 and 140 outlets");
    assert!(many <= 3, "{many} statements");
}

#[tokio::test]
async fn compliance_is_counted_by_the_database_in_a_fixed_number_of_statements() {
    let small = grown(Scale { institutions: 28, filings: 28, outlets: 14 }).await;
    let large = grown(Scale { institutions: 140, filings: 140, outlets: 140 }).await;
    let counts = "{ annualReportCompliance(year: 2026) { departments { owed submittedOnTime submittedLate missing } } }";
    let with_overdue = "{ annualReportCompliance(year: 2026) { departments { owed } overdue { number } } }";
    let mut costs = Vec::new();
    for app in [&small, &large] {
        // A year on: every outlet, filed by 2 March 2026, owed a report on 2026, due by 31
        // January 2027.
        app.clock.set(app.clock_now() + chrono::Duration::days(366));
        let reviewer = login(app, "reviewer").await;
        let (counted, data) = cost(app, Some(&reviewer), counts, json!({})).await;
        let (kept, again) = cost(app, Some(&reviewer), counts, json!({})).await;
        assert_eq!(again, data, "the kept answer is the counted one");
        let rows = data["annualReportCompliance"]["departments"].as_array().unwrap();
        let owed: u64 = rows.iter().map(|r| r["owed"].as_u64().unwrap()).sum();
        let missing: u64 = rows.iter().map(|r| r["missing"].as_u64().unwrap()).sum();
        assert_eq!(owed, data_outlets(app).await, "every outlet owes a report on 2026");
        assert_eq!(missing, owed, "no report was submitted");
        // Past the deadline: every owing outlet is overdue.
        let (listed, data) = cost(app, Some(&reviewer), with_overdue, json!({})).await;
        assert_eq!(data["annualReportCompliance"]["overdue"].as_array().unwrap().len() as u64, owed);
        costs.push((counted, kept, listed));
    }
    assert_eq!(costs[0], costs[1], "statements for 14 and 140 outlets");
    // The caller, the generation, one GROUP BY; once kept, the caller and the generation;
    // the overdue outlets only when selected.
    assert_eq!(costs[1], (3, 2, 3), "(counted, kept, with overdue)");
}

/// How many outlets the database holds.
async fn data_outlets(app: &TestApp) -> u64 {
    use sea_orm::{EntityTrait as _, PaginatorTrait as _};
    entity::outlet::Entity::find().count(&app.state.db).await.expect("count")
}

#[tokio::test]
async fn coverage_is_kept_until_an_outlet_changes_or_the_day_turns() {
    let app = grown(Scale { institutions: 28, filings: 28, outlets: 14 }).await;
    let query = "{ coverage { total } }";
    let (counted, data) = cost(&app, None, query, json!({})).await;
    assert_eq!(data["coverage"]["total"], 14);
    let (kept, data) = cost(&app, None, query, json!({})).await;
    assert_eq!(data["coverage"]["total"], 14);
    assert_eq!(kept, 1, "a kept answer costs one read of the outlets' generation (counting cost {counted})");

    // Terminating an outlet changes the count at once.
    let reviewer = login(&app, "reviewer").await;
    let reply = app
        .graphql_as(Some(&reviewer), "{ outlets(first: 1) { edges { node { id version } } } }", json!({}))
        .await;
    let outlet = reply.data()["outlets"]["edges"][0]["node"].clone();
    let reply = app
        .graphql_as(
            Some(&reviewer),
            "mutation($input: SanctionOutletInput!) { terminateOutlet(input: $input) { outlet { id } } }",
            json!({ "input": { "outletId": outlet["id"], "version": outlet["version"], "reason": "停止提供服务" } }),
        )
        .await;
    reply.data();
    let (_, data) = cost(&app, None, query, json!({})).await;
    assert_eq!(data["coverage"]["total"], 13, "the terminated outlet no longer counts");

    // Four years on, every outlet has expired, though none changed.
    app.clock.set(app.clock_now() + chrono::Duration::days(4 * 366));
    let (_, data) = cost(&app, None, query, json!({})).await;
    assert_eq!(data["coverage"]["total"], 0, "coverage is counted again on a new day");
}

#[tokio::test]
async fn the_published_lists_totals_are_kept_until_an_outlet_changes_or_the_day_turns() {
    let app = grown(Scale { institutions: 56, filings: 56, outlets: 42 }).await;
    // Asked by a signed-in caller, whose answers are made afresh: a stranger's whole answer
    // is kept (see the next test), which would hide the totals behind it.
    let reviewer = login(&app, "reviewer").await;
    let signed_in = Some(reviewer.as_str());
    let total = "query($filter: PublishedOutletFilterInput) { publishedOutlets(first: 100, filter: $filter) {
        totalCount edges { node { id } } } }";
    let filters = [
        json!({}),
        json!({ "departmentCode": "150200" }),
        json!({ "kind": "UNIVERSITY" }),
        json!({ "departmentCode": "150100", "kind": "UNIVERSITY" }),
        json!({ "ipCategory": "PATENT", "serviceType": "SEARCH" }),
    ];
    let mut totals = Vec::new();
    for filter in &filters {
        let (counted, data) = cost(&app, signed_in, total, json!({ "filter": filter })).await;
        let (kept, again) = cost(&app, signed_in, total, json!({ "filter": filter })).await;
        assert_eq!(again, data, "{filter}: the kept total is the counted one");
        let list = &data["publishedOutlets"];
        let listed = list["edges"].as_array().unwrap().len() as u64;
        assert_eq!(list["totalCount"], listed, "{filter}: the total is the rows the list holds");
        // The caller's account, then kept: the generation and the page; counted: the
        // page, the generation, the count.
        assert_eq!((counted, kept), (1 + 3, 1 + 2), "{filter}: statements counted, then kept");
        totals.push(listed);
    }
    assert_eq!(totals[0], 42, "every outlet is valid");
    assert!(totals[1..4].iter().all(|n| *n > 0 && *n < 42), "each filter keeps some: {totals:?}");

    // Terminating an outlet takes it off every total at once.
    let first = "{ publishedOutlets(first: 1) { edges { node { id } } } }";
    let id = app.graphql(first, json!({})).await.data()["publishedOutlets"]["edges"][0]["node"]["id"].clone();
    terminate(&app, &reviewer, &id).await;
    let (_, data) = cost(&app, signed_in, total, json!({ "filter": {} })).await;
    assert_eq!(data["publishedOutlets"]["totalCount"], 41, "the terminated outlet is off the list");

    // Four years on, every outlet has expired, though none changed.
    app.clock.set(app.clock_now() + chrono::Duration::days(4 * 366));
    let reviewer = login(&app, "reviewer").await;
    for filter in &filters {
        let (_, data) = cost(&app, Some(&reviewer), total, json!({ "filter": filter })).await;
        assert_eq!(data["publishedOutlets"]["totalCount"], 0, "{filter}: counted again on a new day");
    }
}

#[tokio::test]
async fn a_strangers_public_read_is_answered_whole_from_memory_until_an_outlet_changes_or_the_day_turns() {
    let app = grown(Scale { institutions: 28, filings: 28, outlets: 14 }).await;
    let reviewer = login(&app, "reviewer").await;
    let page = "query($d: String) { publishedOutlets(first: 5, filter: {departmentCode: $d}) {
        totalCount edges { node { id number name department { name } } } } regions { code } }";
    let all = json!({ "d": null });

    let (made, answer) = cost(&app, None, page, all.clone()).await;
    let (kept, again) = cost(&app, None, page, all.clone()).await;
    assert_eq!(again, answer, "the kept answer is the one made");
    assert_eq!(answer["publishedOutlets"]["totalCount"], 14, "{answer}");
    assert!(made >= 3, "the generation, the page and its total: {made}");
    assert_eq!(kept, 1, "a kept answer costs the read of the generation alone");

    // Another question, or the same one from a signed-in caller, is answered afresh.
    let (other, _) = cost(&app, None, page, json!({ "d": "150100" })).await;
    assert!(other > 1, "another department: {other} statements");
    for _ in 0..2 {
        let (signed_in, data) = cost(&app, Some(&reviewer), page, all.clone()).await;
        assert_eq!(data, answer);
        assert!(signed_in > 2, "a signed-in caller: {signed_in} statements");
    }
    // Nor a question too long to keep: its text or its variables.
    let padded = format!("{page}\n# {}", "。".repeat(3_000));
    let long_variables = json!({ "d": null, "unused": "x".repeat(3_000) });
    for (text, variables) in [(padded.as_str(), all.clone()), (page, long_variables)] {
        for _ in 0..2 {
            let (statements, data) = cost(&app, None, text, variables.clone()).await;
            assert_eq!(data, answer);
            assert!(statements > 1, "a long question is answered afresh: {statements} statements");
        }
    }
    // Neither is an answer with an error, even a partial one.
    let failing =
        "{ publishedOutlets(first: 2) { totalCount } bad: publishedOutlets(after: \"?\") { totalCount } }";
    for _ in 0..2 {
        let before = app.state.db_stats.statements();
        let reply = app.graphql(failing, json!({})).await;
        assert_eq!(reply.code(), Some("BAD_USER_INPUT"), "{:?}", reply.body);
        assert!(app.state.db_stats.statements() - before > 1, "an answer with an error is made afresh");
    }

    // Terminating an outlet changes the answer at once.
    let first = &answer["publishedOutlets"]["edges"][0]["node"];
    terminate(&app, &reviewer, &first["id"]).await;
    let (made, data) = cost(&app, None, page, all.clone()).await;
    assert!(made > 1, "made again after the change: {made} statements");
    assert_eq!(data["publishedOutlets"]["totalCount"], 13, "{data}");
    assert_ne!(data["publishedOutlets"]["edges"][0]["node"]["id"], first["id"]);

    // Four years on every outlet has expired, though none changed: the next day's answer
    // is made on that day.
    app.clock.set(app.clock_now() + chrono::Duration::days(4 * 366));
    let (_, data) = cost(&app, None, page, all).await;
    assert_eq!(data["publishedOutlets"]["totalCount"], 0, "{data}");
}

/// `totalCount` of the filings in each of `states`, as aliases of one query.
fn filing_counts_of(states: &[&str]) -> String {
    let counts: Vec<String> =
        states.iter().map(|s| format!("{s}: filings(filter: {{state: {s}}}) {{ totalCount }}")).collect();
    format!("{{ {} }}", counts.join(" "))
}

/// The filings in `state` a page lists, read row by row: their ids and versions.
async fn filings_listed(app: &TestApp, token: &str, state: &str) -> Vec<Value> {
    let rows = format!(
        "{{ filings(first: 100, filter: {{state: {state}}}) {{ edges {{ node {{ id version }} }} }} }}"
    );
    let reply = app.graphql_as(Some(token), &rows, json!({})).await;
    reply.data()["filings"]["edges"].as_array().unwrap().iter().map(|e| e["node"].clone()).collect()
}

#[tokio::test]
async fn filing_totals_are_kept_until_a_filing_changes_state() {
    let app = grown(Scale { institutions: 140, filings: 140, outlets: 14 }).await;
    let recommender = login(&app, "rec.hohhot").await;
    let reviewer = login(&app, "reviewer").await;
    let query = filing_counts_of(&["SUBMITTED", "RECOMMENDED"]);
    for token in [&reviewer, &recommender] {
        cost(&app, Some(token), &query, json!({})).await;
        let (statements, data) = cost(&app, Some(token), &query, json!({})).await;
        for state in ["SUBMITTED", "RECOMMENDED"] {
            assert_eq!(
                data[state]["totalCount"],
                filings_listed(&app, token, state).await.len(),
                "{state}: {data}"
            );
        }
        // The caller, then one read of the filings' generation per total: no rows, and no
        // counting while no filing has changed state.
        assert_eq!(statements, 1 + 2, "{data}");
    }
    let (_, region) = cost(&app, Some(&reviewer), &query, json!({})).await;
    let (_, hohhot) = cost(&app, Some(&recommender), &query, json!({})).await;
    assert!(
        hohhot["SUBMITTED"]["totalCount"].as_u64() < region["SUBMITTED"]["totalCount"].as_u64(),
        "a recommender's totals stay within their department: {hohhot} {region}"
    );

    // Recommending a filing moves it from one total to the other at once, for everyone.
    let submitted = filings_listed(&app, &recommender, "SUBMITTED").await;
    let filing = submitted.first().expect("a submitted filing in 呼和浩特");
    let recommend =
        "mutation($input: FilingActionInput!) { recommendFiling(input: $input) { filing { state } } }";
    let input = json!({ "id": filing["id"], "version": filing["version"], "comment": "材料齐全，同意推荐" });
    let moved = app.graphql_as(Some(&recommender), recommend, json!({ "input": input })).await;
    assert_eq!(moved.data()["recommendFiling"]["filing"]["state"], "RECOMMENDED");
    for (token, before) in [(&recommender, &hohhot), (&reviewer, &region)] {
        let (_, after) = cost(&app, Some(token), &query, json!({})).await;
        let was = |state: &str| before[state]["totalCount"].as_u64().unwrap();
        assert_eq!(after["SUBMITTED"]["totalCount"], was("SUBMITTED") - 1, "{after}");
        assert_eq!(after["RECOMMENDED"]["totalCount"], was("RECOMMENDED") + 1, "{after}");
    }

    // Filters a kept total cannot answer are counted each time, and agree with the rows.
    let mine = "{ filings(filter: {submittedFrom: \"2000-01-01T00:00:00Z\"}) { totalCount } }";
    let (statements, data) = cost(&app, Some(&reviewer), mine, json!({})).await;
    assert_eq!(statements, 1 + 1, "{data}");
    assert!(data["filings"]["totalCount"].as_u64().unwrap() > 0, "{data}");
}

#[tokio::test]
async fn totals_for_a_department_that_does_not_exist_are_counted_and_never_kept() {
    let app = grown(Scale { institutions: 28, filings: 28, outlets: 14 }).await;
    let reviewer = login(&app, "reviewer").await;
    let public = "query($d: String) { publishedOutlets(filter: {departmentCode: $d}) { totalCount } }";
    let filings = "query($d: String) { filings(filter: {departmentCode: $d}) { totalCount } }";
    for (query, token, field) in
        [(public, None, "publishedOutlets"), (filings, Some(reviewer.as_str()), "filings")]
    {
        let kept = || app.state.published_counts.len() + app.state.filing_counts.len();
        let before = kept();
        for n in 0..5 {
            let code = format!("{n}{}", "9".repeat(4_000));
            let (_, data) = cost(&app, token, query, json!({ "d": code })).await;
            assert_eq!(data[field]["totalCount"], 0, "{data}");
        }
        assert_eq!(kept(), before, "{field}: no answer kept for codes of no department");
        let (_, data) = cost(&app, token, query, json!({ "d": "150100" })).await;
        assert!(data[field]["totalCount"].as_u64().unwrap() > 0, "{data}");
        assert_eq!(kept(), before + 1, "{field}: a department's total is kept");
    }
}
