//! Reading and changing institutions, each caller within its scope.

use serde_json::{Value, json};

use crate::helpers::{Persona, spawn_app};

const LIST: &str = "query($filter: InstitutionFilterInput, $first: Int, $after: String) {
  institutions(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id name department { code } } }
  }
}";

fn names(reply: &Value) -> Vec<String> {
    reply["institutions"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn each_role_lists_only_its_scope() {
    let app = spawn_app().await;
    let world = app.world().await;
    let expected: [(Persona, &[&str]); 6] = [
        (Persona::OwnApplicant, &["呼和浩特市图书馆"]),
        (Persona::OtherApplicant, &["内蒙古科技情报研究院"]),
        (Persona::OwnRecommender, &["呼和浩特市图书馆", "内蒙古科技情报研究院"]),
        (Persona::OtherRecommender, &["包头市图书馆"]),
        (Persona::Reviewer, &["呼和浩特市图书馆", "内蒙古科技情报研究院", "包头市图书馆"]),
        (Persona::Admin, &["呼和浩特市图书馆", "内蒙古科技情报研究院", "包头市图书馆"]),
    ];
    for (persona, want) in expected {
        let reply = app.graphql_as(world.token(persona), LIST, json!({})).await;
        let data = reply.data();
        assert_eq!(names(data), want, "{persona:?}");
        assert_eq!(data["institutions"]["totalCount"], want.len(), "{persona:?}");
    }
    app.graphql(LIST, json!({})).await.error("UNAUTHENTICATED");
}

#[tokio::test]
async fn a_filter_cannot_widen_the_scope() {
    let app = spawn_app().await;
    let world = app.world().await;
    let reply = app
        .graphql_as(
            world.token(Persona::OwnRecommender),
            LIST,
            json!({ "filter": { "departmentCode": "150200" } }),
        )
        .await;
    assert!(names(reply.data()).is_empty());
    let reply = app
        .graphql_as(world.token(Persona::Reviewer), LIST, json!({ "filter": { "departmentCode": "150200" } }))
        .await;
    assert_eq!(names(reply.data()), ["包头市图书馆"]);
    let reply = app
        .graphql_as(
            world.token(Persona::Reviewer),
            LIST,
            json!({ "filter": { "nameContains": "图书馆", "kind": "PUBLIC_LIBRARY" } }),
        )
        .await;
    assert_eq!(names(reply.data()), ["呼和浩特市图书馆", "包头市图书馆"]);
}

#[tokio::test]
async fn pages_follow_cursors_without_gaps_or_repeats() {
    let app = spawn_app().await;
    let world = app.world().await;
    for n in 10..17 {
        app.insert_institution(&format!("机构{n}"), "150300", n).await;
    }
    let token = world.token(Persona::Reviewer);
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let reply = app.graphql_as(token, LIST, json!({ "first": 3, "after": after })).await;
        let data = reply.data();
        seen.extend(names(data));
        let info = &data["institutions"]["pageInfo"];
        assert_eq!(data["institutions"]["totalCount"], 10);
        if !info["hasNextPage"].as_bool().unwrap() {
            break;
        }
        after = info["endCursor"].clone();
    }
    assert_eq!(seen.len(), 10);
    let mut unique = seen.clone();
    unique.dedup();
    assert_eq!(unique, seen);

    let bad = app.graphql_as(token, LIST, json!({ "first": 101 })).await;
    assert_eq!(bad.error("BAD_USER_INPUT")["field"], "first");
    let bad = app.graphql_as(token, LIST, json!({ "after": "bm9wZQ" })).await;
    assert_eq!(bad.error("BAD_USER_INPUT")["field"], "after");
}

const ONE: &str = "query($id: ID!) { institution(id: $id) { id name version contact { mobile } } }";

#[tokio::test]
async fn one_institution_is_readable_in_scope_only() {
    let app = spawn_app().await;
    let world = app.world().await;
    let id = world.a.id.to_string();
    for persona in [Persona::OwnApplicant, Persona::OwnRecommender, Persona::Reviewer, Persona::Admin] {
        let reply = app.graphql_as(world.token(persona), ONE, json!({ "id": id })).await;
        assert_eq!(reply.data()["institution"]["name"], "呼和浩特市图书馆", "{persona:?}");
    }
    for persona in [Persona::OtherApplicant, Persona::OtherRecommender] {
        app.graphql_as(world.token(persona), ONE, json!({ "id": id })).await.error("FORBIDDEN");
    }
    for (persona, own) in [(Persona::OtherApplicant, &world.b), (Persona::OtherRecommender, &world.c)] {
        let reply = app.graphql_as(world.token(persona), ONE, json!({ "id": own.id.to_string() })).await;
        assert_eq!(reply.data()["institution"]["name"], own.name.as_str(), "{persona:?}");
    }
    app.graphql(ONE, json!({ "id": id })).await.error("UNAUTHENTICATED");
    app.graphql_as(world.token(Persona::Reviewer), ONE, json!({ "id": "424242" })).await.error("NOT_FOUND");
    let bad = app.graphql_as(world.token(Persona::Reviewer), ONE, json!({ "id": "abc" })).await;
    assert_eq!(bad.error("BAD_USER_INPUT")["field"], "id");
}

const UPDATE: &str = "mutation($input: UpdateInstitutionInput!) {
  updateInstitution(input: $input) {
    institution { version address website contact { name mobile } serviceModes facilities { premisesArea }
      staff { name employment } databases { name source } serviceItems { category serviceType channels } keyIndustries profile }
  }
}";

#[tokio::test]
async fn the_applicant_updates_its_profile_with_the_current_version() {
    let app = spawn_app().await;
    let world = app.world().await;
    let token = world.token(Persona::OwnApplicant);
    let input = json!({
        "id": world.a.id.to_string(), "version": 1,
        "address": "新华东街99号", "website": "https://lib.example.cn",
        "contact": { "name": "陈晨", "mobile": "13700000003" },
        "profile": {
            "serviceModes": ["OFFLINE", "ONLINE", "OFFLINE"],
            "facilities": { "premisesArea": 300, "hardware": "检索机" },
            "staff": [ { "name": "甲", "employment": "FULL_TIME" }, { "name": "乙", "employment": "FULL_TIME" } ],
            "databases": [ { "name": "商标检索系统", "source": "SELF_BUILT" } ],
            "serviceItems": [ { "serviceType": "SME_SERVICE", "description": "中小企业帮扶", "channels": ["WINDOW", "WINDOW"], "freeOrLowCost": true } ],
            "keyIndustries": ["乳业"],
            "profile": "公共图书馆"
        }
    });
    let reply = app.graphql_as(token, UPDATE, json!({ "input": input })).await;
    let institution = &reply.data()["updateInstitution"]["institution"];
    assert_eq!(institution["version"], 2);
    assert_eq!(institution["address"], "新华东街99号");
    assert_eq!(institution["contact"]["mobile"], "13700000003");
    assert_eq!(institution["serviceModes"], json!(["OFFLINE", "ONLINE"]));
    assert_eq!(institution["facilities"]["premisesArea"], 300);
    assert_eq!(institution["staff"].as_array().unwrap().len(), 2);
    assert_eq!(institution["databases"][0]["source"], "SELF_BUILT");
    assert_eq!(institution["serviceItems"][0]["category"], "SPECIAL");
    assert_eq!(institution["serviceItems"][0]["channels"], json!(["WINDOW"]));
    assert_eq!(institution["keyIndustries"], json!(["乳业"]));

    // Lists left out stay; a list given replaces; null clears.
    let input = json!({ "id": world.a.id.to_string(), "version": 2, "website": null,
        "profile": { "staff": [ { "name": "丙", "employment": "PART_TIME" } ], "profile": null } });
    let reply = app.graphql_as(token, UPDATE, json!({ "input": input })).await;
    let institution = &reply.data()["updateInstitution"]["institution"];
    assert_eq!(institution["version"], 3);
    assert!(institution["website"].is_null());
    assert!(institution["profile"].is_null());
    assert_eq!(institution["staff"], json!([{ "name": "丙", "employment": "PART_TIME" }]));
    assert_eq!(institution["databases"][0]["name"], "商标检索系统");
}

#[tokio::test]
async fn a_stale_version_gets_conflict_and_changes_nothing() {
    let app = spawn_app().await;
    let world = app.world().await;
    let token = world.token(Persona::OwnApplicant);
    let first = json!({ "id": world.a.id.to_string(), "version": 1, "address": "一号" });
    app.graphql_as(token, UPDATE, json!({ "input": first })).await.data();
    let before = app.fingerprint().await;
    let stale = json!({ "id": world.a.id.to_string(), "version": 1, "address": "二号" });
    app.graphql_as(token, UPDATE, json!({ "input": stale })).await.error("CONFLICT");
    assert_eq!(app.fingerprint().await, before);
}

#[tokio::test]
async fn invalid_values_name_their_field_and_change_nothing() {
    let app = spawn_app().await;
    let world = app.world().await;
    let token = world.token(Persona::OwnApplicant);
    let before = app.fingerprint().await;
    let cases = [
        (json!({ "contact": { "name": "陈", "email": "not-an-email" } }), "input.contact.email"),
        (json!({ "website": "ftp://example.cn" }), "input.website"),
        (json!({ "address": "   " }), "input.address"),
        (
            json!({ "profile": { "staff": [ { "name": "", "employment": "FULL_TIME" } ] } }),
            "input.profile.staff[0].name",
        ),
        (
            json!({ "profile": { "facilities": { "premisesArea": -5 } } }),
            "input.profile.facilities.premisesArea",
        ),
    ];
    for (changes, field) in cases {
        let mut input = json!({ "id": world.a.id.to_string(), "version": 1 });
        input.as_object_mut().unwrap().extend(changes.as_object().unwrap().clone());
        let reply = app.graphql_as(token, UPDATE, json!({ "input": input })).await;
        assert_eq!(reply.error("BAD_USER_INPUT")["field"], field);
    }
    assert_eq!(app.fingerprint().await, before);
}

#[tokio::test]
async fn concurrent_updates_with_one_version_let_exactly_one_win() {
    let app = spawn_app().await;
    let world = app.world().await;
    let token = world.token(Persona::OwnApplicant).unwrap().to_owned();
    let bodies = (0..20)
        .map(|n| {
            let input = json!({ "id": world.a.id.to_string(), "version": 1, "address": format!("{n}号") });
            json!({ "query": UPDATE, "variables": { "input": input } })
        })
        .collect();
    let outcomes = app.race_codes(&token, bodies).await;
    assert_eq!(outcomes.iter().filter(|o| o.is_none()).count(), 1, "{outcomes:?}");
    assert!(outcomes.iter().flatten().all(|code| code == "CONFLICT"), "{outcomes:?}");
    let audit = app
        .graphql_as(
            world.token(Persona::Reviewer),
            "{ auditEvents(filter: {action: \"updateInstitution\"}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(audit.data()["auditEvents"]["totalCount"], 1);
}

#[tokio::test]
async fn admins_manage_accounts_but_do_not_see_the_people_behind_an_institution() {
    let app = spawn_app().await;
    let world = app.world().await;
    let query = "query($id: ID!) { institution(id: $id) { name principal { name phone email } contact { name mobile email } } }";
    let roster = "query($id: ID!) { institution(id: $id) { staff { name } } }";
    let id = json!({ "id": world.a.id.to_string() });

    let reviewer = app.graphql_as(world.token(Persona::Reviewer), query, id.clone()).await;
    let seen = &reviewer.data()["institution"];
    assert!(seen["principal"]["phone"].is_string() && seen["contact"]["mobile"].is_string(), "{seen}");
    let staff = app.graphql_as(world.token(Persona::Reviewer), roster, id.clone()).await;
    assert!(staff.data()["institution"]["staff"].is_array());

    let admin = app.graphql_as(world.token(Persona::Admin), query, id.clone()).await;
    let redacted = &admin.data()["institution"];
    assert_eq!(redacted["principal"]["name"], seen["principal"]["name"]);
    for personal in
        [&redacted["principal"]["phone"], &redacted["principal"]["email"], &redacted["contact"]["mobile"]]
    {
        assert!(personal.is_null(), "{redacted}");
    }
    app.graphql_as(world.token(Persona::Admin), roster, id).await.error("FORBIDDEN");
}
