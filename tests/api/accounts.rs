//! Login, `me`, account creation and self-registration.

use serde_json::json;

use crate::helpers::{ADMIN_PASSWORD, PASSWORD, Persona, registration, spawn_app};

const LOGIN: &str = "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token expiresAt user { username role } } }";
const ME: &str = "{ me { username role department { code } institutionId } }";

#[tokio::test]
async fn admin_logs_in_and_the_token_identifies_them() {
    let app = spawn_app().await;
    let reply = app.graphql(LOGIN, json!({ "u": "admin", "p": ADMIN_PASSWORD })).await;
    let login = &reply.data()["login"];
    assert_eq!(login["user"]["role"], "ADMIN");
    let expires = chrono::DateTime::parse_from_rfc3339(login["expiresAt"].as_str().unwrap()).unwrap();
    assert_eq!(expires, app.clock_now() + chrono::Duration::minutes(60));

    let me = app.graphql_as(login["token"].as_str(), ME, json!({})).await;
    assert_eq!(me.data()["me"]["username"], "admin");
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_answer() {
    let app = spawn_app().await;
    let wrong = app.graphql(LOGIN, json!({ "u": "admin", "p": "not-the-password" })).await;
    let unknown = app.graphql(LOGIN, json!({ "u": "nobody", "p": "not-the-password" })).await;
    wrong.error("UNAUTHENTICATED");
    assert_eq!(wrong.body, unknown.body);
    assert!(wrong.body["data"].is_null());
}

#[tokio::test]
async fn repeated_failures_are_rate_limited_even_with_the_right_password() {
    let app = spawn_app().await;
    for _ in 0..outlet_filing::config::Settings::defaults().logins_per_account {
        app.graphql(LOGIN, json!({ "u": "admin", "p": "guess-guess-1" })).await.error("UNAUTHENTICATED");
    }
    app.graphql(LOGIN, json!({ "u": "admin", "p": ADMIN_PASSWORD })).await.error("RATE_LIMITED");
    app.clock.set(app.clock_now() + chrono::Duration::minutes(15));
    app.graphql(LOGIN, json!({ "u": "admin", "p": ADMIN_PASSWORD })).await.data();
}

#[tokio::test]
async fn expired_and_deactivated_tokens_are_refused() {
    let app = spawn_app().await;
    let world = app.world().await;
    let token = world.token(Persona::Reviewer).unwrap();
    app.graphql_as(Some(token), ME, json!({})).await.data();

    app.clock.set(app.clock_now() + chrono::Duration::minutes(61));
    let expired = app.graphql_as(Some(token), ME, json!({})).await;
    assert_eq!(expired.status, reqwest::StatusCode::UNAUTHORIZED);
    expired.error("UNAUTHENTICATED");

    let fresh = app.token_for(app.user_by_name("reviewer").await.id);
    use sea_orm::{ActiveModelTrait as _, ActiveValue::Set, IntoActiveModel as _};
    let mut reviewer = app.user_by_name("reviewer").await.into_active_model();
    reviewer.active = Set(false);
    reviewer.update(&app.state.writer).await.unwrap();
    app.graphql_as(Some(&fresh), ME, json!({})).await.error("UNAUTHENTICATED");
    app.graphql(LOGIN, json!({ "u": "reviewer", "p": PASSWORD })).await.error("UNAUTHENTICATED");
}

#[tokio::test]
async fn me_needs_a_token() {
    let app = spawn_app().await;
    app.graphql(ME, json!({})).await.error("UNAUTHENTICATED");
}

const CREATE_USER: &str = "mutation($input: CreateUserInput!) { createUser(input: $input) { user { id username role department { code name } institutionId } } }";

#[tokio::test]
async fn admin_creates_a_recommender_who_can_log_in() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let input = json!({
        "username": "Rec.Chifeng", "password": "chifeng-pass-1", "displayName": "赤峰市推荐员",
        "role": "RECOMMENDER", "departmentCode": "150400"
    });
    let reply = app.graphql_as(Some(&admin), CREATE_USER, json!({ "input": input })).await;
    let user = &reply.data()["createUser"]["user"];
    assert_eq!(user["username"], "rec.chifeng");
    assert_eq!(user["department"]["name"], "赤峰市");

    let login = app.graphql(LOGIN, json!({ "u": "rec.chifeng", "p": "chifeng-pass-1" })).await;
    assert_eq!(login.data()["login"]["user"]["role"], "RECOMMENDER");

    let again = app.graphql_as(Some(&admin), CREATE_USER, json!({ "input": input })).await;
    again.error("CONFLICT");
}

#[tokio::test]
async fn create_user_checks_that_bindings_fit_the_role() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let cases = [
        (json!({ "role": "RECOMMENDER" }), "input.departmentCode"),
        (json!({ "role": "RECOMMENDER", "departmentCode": "159999" }), "input.departmentCode"),
        (json!({ "role": "APPLICANT", "departmentCode": "150100" }), "input.institutionId"),
        (json!({ "role": "APPLICANT", "institutionId": "9999" }), "input.institutionId"),
        (json!({ "role": "REVIEWER", "departmentCode": "150100" }), "input.role"),
        (json!({ "role": "REVIEWER", "password": "short" }), "input.password"),
        (json!({ "role": "REVIEWER", "username": "有空格 的名字" }), "input.username"),
    ];
    for (overrides, field) in cases {
        let mut input = json!({ "username": "someone", "password": "someone-pass-1", "displayName": "某人" });
        input.as_object_mut().unwrap().extend(overrides.as_object().unwrap().clone());
        let before = app.fingerprint().await;
        let reply = app.graphql_as(Some(&admin), CREATE_USER, json!({ "input": input })).await;
        assert_eq!(reply.error("BAD_USER_INPUT")["field"], field, "{input}");
        assert_eq!(app.fingerprint().await, before);
    }
}

const REGISTER: &str = "mutation($input: RegisterApplicantInput!) { registerApplicant(input: $input) { token institution { id uscc name department { code } ipCategories staff { name employment } } user { username role institutionId } } }";

#[tokio::test]
async fn an_applicant_registers_and_sees_its_institution() {
    let app = spawn_app().await;
    let reply = app.graphql(REGISTER, json!({ "input": registration(1, "150100") })).await;
    let done = &reply.data()["registerApplicant"];
    assert_eq!(done["user"]["role"], "APPLICANT");
    assert_eq!(done["user"]["institutionId"], done["institution"]["id"]);
    assert_eq!(done["institution"]["ipCategories"], json!(["PATENT", "TRADEMARK"]));
    assert_eq!(done["institution"]["staff"][1]["employment"], "PART_TIME");

    let me = app.graphql_as(done["token"].as_str(), ME, json!({})).await;
    assert_eq!(me.data()["me"]["institutionId"], done["institution"]["id"]);
}

#[tokio::test]
async fn registration_with_a_bad_uscc_names_the_field_and_writes_nothing() {
    let app = spawn_app().await;
    let before = app.fingerprint().await;
    let mut input = registration(1, "150100");
    input["institution"]["uscc"] = json!("12150100000005011X");
    let reply = app.graphql(REGISTER, json!({ "input": input })).await;
    let ext = reply.error("BAD_USER_INPUT");
    assert_eq!(ext["field"], "input.institution.uscc");
    assert_eq!(app.fingerprint().await, before);
}

#[tokio::test]
async fn registration_refuses_duplicates_and_keeps_nothing_of_the_attempt() {
    let app = spawn_app().await;
    app.graphql(REGISTER, json!({ "input": registration(1, "150100") })).await.data();
    let before = app.fingerprint().await;

    let mut same_uscc = registration(2, "150100");
    same_uscc["institution"]["uscc"] = registration(1, "150100")["institution"]["uscc"].clone();
    app.graphql(REGISTER, json!({ "input": same_uscc })).await.error("CONFLICT");

    let mut same_user = registration(3, "150100");
    same_user["account"]["username"] = json!("new.applicant1");
    app.graphql(REGISTER, json!({ "input": same_user })).await.error("CONFLICT");

    let mut bad_department = registration(4, "150100");
    bad_department["institution"]["departmentCode"] = json!("110000");
    let reply = app.graphql(REGISTER, json!({ "input": bad_department })).await;
    assert_eq!(reply.error("BAD_USER_INPUT")["field"], "input.institution.departmentCode");
    assert_eq!(app.fingerprint().await, before);
}

#[tokio::test]
async fn the_service_refuses_to_start_with_a_short_signing_key() {
    use outlet_filing::config::Settings;
    let data_dir = tempfile::tempdir().unwrap();
    let settings = |secret: &str| Settings {
        database_url: Some(format!("sqlite://{}?mode=rwc", data_dir.path().join("t.db").display())),
        bind: "127.0.0.1:0".parse().unwrap(),
        data_dir: data_dir.path().to_path_buf(),
        jwt_secret: Some(secret.to_owned().into()),
        admin_password: Some(ADMIN_PASSWORD.to_owned().into()),
        ..Settings::defaults()
    };
    let refused = outlet_filing::startup::Application::build(settings("x".repeat(31).as_str())).await;
    let message = format!("{:#}", refused.err().expect("a 31-byte secret is refused"));
    assert!(message.contains("at least 32"), "{message}");
    outlet_filing::startup::Application::build(settings("x".repeat(32).as_str()))
        .await
        .expect("32 bytes will do");
}

#[tokio::test]
async fn who_may_call_a_mutation_is_decided_before_its_input_is_read() {
    let app = spawn_app().await;
    let world = app.world().await;
    let create = "mutation { createUser(input: { username: \"x\", password: \"short\", role: RECOMMENDER, displayName: \"\" }) { user { id } } }";
    let anonymous = app.graphql(create, json!({})).await;
    anonymous.error("UNAUTHENTICATED");
    app.graphql_as(world.token(Persona::Reviewer), create, json!({})).await.error("FORBIDDEN");
    // The admin, who may create users, is told what is wrong with the input.
    app.graphql_as(world.token(Persona::Admin), create, json!({})).await.error("BAD_USER_INPUT");
}

#[tokio::test]
async fn a_mutation_the_caller_may_never_take_stops_the_whole_operation() {
    let app = spawn_app().await;
    let world = app.world().await;
    let create = "createUser(input: { username: \"x\", password: \"short\", role: RECOMMENDER, displayName: \"\" }) { user { id } }";
    let update = "updateInstitution(input: $input) { institution { address } }";
    let input = json!({ "id": world.a.id.to_string(), "version": world.a.version, "address": "新地址" });
    let applicant = world.token(Persona::OwnApplicant);
    // The update the applicant may make does not run beside a mutation their role never may.
    let both = format!("mutation($input: UpdateInstitutionInput!) {{ {update} {create} }}");
    let reply = app.graphql_as(applicant, &both, json!({ "input": input })).await;
    reply.error("FORBIDDEN");
    assert_eq!(reply.body["errors"][0]["path"], json!(["createUser"]), "{}", reply.body);
    assert!(reply.body["data"].is_null(), "{}", reply.body);
    // Nor does a fragment on the mutation root hide the mutation from the gate.
    let hidden = format!(
        "mutation($input: UpdateInstitutionInput!) {{ {update} ...more }} fragment more on MutationRoot {{ {create} }}"
    );
    app.graphql_as(applicant, &hidden, json!({ "input": input })).await.error("FORBIDDEN");
    let now = app
        .graphql_as(
            applicant,
            "query($id: ID!) { institution(id: $id) { address } }",
            json!({ "id": world.a.id.to_string() }),
        )
        .await;
    assert_eq!(now.data()["institution"]["address"], world.a.address.as_str());
}
