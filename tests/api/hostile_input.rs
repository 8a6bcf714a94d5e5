//! Input as an attacker sends it: numbers out of range, wildcards in filters, invisible
//! characters in names. Each gets a clear `BAD_USER_INPUT` or is taken literally.

use serde_json::json;

use crate::helpers::{Persona, registration, spawn_app};

#[tokio::test]
async fn years_out_of_range_are_refused_not_computed_with() {
    let app = spawn_app().await;
    let world = app.world().await;
    let reviewer = world.token(Persona::Reviewer);
    let compliance = "query($y: Int!) { annualReportCompliance(year: $y) { year dueOn } }";
    for year in [262_142, -1, 1999, 2101, i32::MAX, i32::MIN] {
        let reply = app.graphql_as(reviewer, compliance, json!({ "y": year })).await;
        assert_eq!(reply.error("BAD_USER_INPUT")["field"], "year", "year {year}");
    }
    app.graphql_as(reviewer, compliance, json!({ "y": 2026 })).await.data();

    let calendar = "query($y: Int!) { calendarDays(year: $y) { date } }";
    app.graphql(calendar, json!({ "y": 99_999 })).await.error("BAD_USER_INPUT");
    let summaries = "query($y: Int) { departmentSummaries(year: $y) { totalCount } }";
    app.graphql_as(reviewer, summaries, json!({ "y": -5 })).await.error("BAD_USER_INPUT");
}

#[tokio::test]
async fn wildcards_in_a_name_filter_match_only_themselves() {
    let app = spawn_app().await;
    let world = app.world().await;
    let reviewer = world.token(Persona::Reviewer);
    let query = "query($n: String) { institutions(filter: { nameContains: $n }) { totalCount } }";
    let all = app.graphql_as(reviewer, query, json!({ "n": null })).await;
    assert!(all.data()["institutions"]["totalCount"].as_u64().unwrap() >= 3);
    for wildcard in ["%", "_", "%%", "\\"] {
        let reply = app.graphql_as(reviewer, query, json!({ "n": wildcard })).await;
        assert_eq!(reply.data()["institutions"]["totalCount"], 0, "{wildcard:?} is taken literally");
    }
}

#[tokio::test]
async fn names_with_direction_overrides_or_zero_width_characters_are_refused() {
    let app = spawn_app().await;
    let register = "mutation($input: RegisterApplicantInput!) { registerApplicant(input: $input) { token } }";
    for (n, name) in [(1, "测试\u{202E}构机"), (2, "测试\u{200B}机构"), (3, "\u{2066}测试机构\u{2069}")]
    {
        let mut input = registration(n, "150100");
        input["institution"]["name"] = json!(name);
        let reply = app.graphql(register, json!({ "input": input })).await;
        assert_eq!(reply.error("BAD_USER_INPUT")["field"], "input.institution.name", "{name:?}");
    }
}
