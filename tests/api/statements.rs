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
