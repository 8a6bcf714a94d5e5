//! `spawn_app` and the vocabulary the tests share: personas, fixtures, requests.
//!
//! Institutions are registered through the service, as the API does. Two fixtures write
//! rows directly, on purpose: users (one argon2 hash, computed once, instead of one per
//! user and test) and filings in a given state (so that a test of publicity starts at
//! `RECOMMENDED` without replaying the steps before it, which their own tests cover).

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

use chrono::{TimeZone, Utc};
use entity::document::Json;
use entity::json::{
    ApplicationForm, DatabaseEntry, FacilitiesEntry, IpCategory, ServiceItemEntry, ServiceMode, StaffEntry,
};
use entity::sea_orm_active_enums::Role;
use entity::sea_orm_active_enums::{AttachmentKind, FilingKind, FilingState};
use entity::{filing, filing_attachment, institution, user};
use migration::{Migrator, MigratorTrait};
use outlet_filing::config::Settings;
use outlet_filing::domain::clock::ManualClock;
use outlet_filing::domain::institution::{
    Employment, InstitutionKind, NewInstitution, Person, ProfileChanges, ServiceType, ToolSource,
};
use outlet_filing::domain::text::{Email, Phone, Text};
use outlet_filing::domain::uscc::Uscc;
use outlet_filing::service::institutions;
use outlet_filing::startup::Application;
use outlet_filing::state::AppState;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ConnectionTrait, Database, DatabaseBackend, EntityTrait, Statement, TransactionTrait};
use secrecy::SecretString;
use serde_json::{Value, json};

/// The admin password every test app starts with.
pub const ADMIN_PASSWORD: &str = "admin-pass-2026";
/// The password of every persona.
pub const PASSWORD: &str = "persona-pass-2026";

/// An argon2id hash of [`PASSWORD`], computed once per test process.
static PASSWORD_HASH: LazyLock<String> = LazyLock::new(|| {
    use argon2::password_hash::PasswordHasher as _;
    argon2::Argon2::default().hash_password(PASSWORD.as_bytes()).expect("hashing works").to_string()
});

/// A running application and a client for it.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub clock: ManualClock,
    _data_dir: tempfile::TempDir,
}

/// Starts the application on a fresh database and an ephemeral port.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// As [`spawn_app`], with settings changed by `adjust` first.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    if std::env::var_os("TEST_LOG").is_some() {
        outlet_filing::telemetry::init("debug", std::io::stderr);
    } else {
        outlet_filing::telemetry::init("info", std::io::sink);
    }
    let data_dir = tempfile::tempdir().expect("temp dir");
    let database_url = match std::env::var("TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => postgres_database(&base).await,
        _ => format!("sqlite://{}?mode=rwc", data_dir.path().join("test.db").display()),
    };
    let mut settings = Settings {
        database_url: Some(database_url),
        bind: "127.0.0.1:0".parse().expect("address"),
        data_dir: data_dir.path().to_path_buf(),
        jwt_secret: Some(SecretString::from(format!("test-secret-{}", uuid::Uuid::new_v4()))),
        admin_password: Some(SecretString::from(ADMIN_PASSWORD)),
        token_ttl_minutes: 60,
        max_body_bytes: 64 * 1024,
        max_upload_bytes: 256 * 1024,
        max_upload_files: 3,
        max_institution_storage_bytes: 1024 * 1024,
        max_batch_size: 5,
        max_db_connections: 5,
        ..Settings::defaults()
    };
    adjust(&mut settings);
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0).unwrap());
    let app = Application::build_with_clock(settings, Arc::new(clock.clone())).await.expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    let expected = if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        DatabaseBackend::Postgres
    } else {
        DatabaseBackend::Sqlite
    };
    assert_eq!(state.db.get_database_backend(), expected);
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    TestApp { address, client: reqwest::Client::new(), state, clock, _data_dir: data_dir }
}

/// A fresh PostgreSQL database copied from a migrated template, which the first test to
/// need it creates under an advisory lock.
async fn postgres_database(base_url: &str) -> String {
    let names: Vec<String> = Migrator::migrations().iter().map(|m| m.name().to_owned()).collect();
    let template = format!("of_tpl_{:x}", fxhash(&names.join(",")));
    let mut options = sea_orm::ConnectOptions::new(base_url.to_owned());
    options.max_connections(1).sqlx_logging(false);
    let admin = Database::connect(options).await.expect("connect to TEST_DATABASE_URL");
    let run = |sql: String| Statement::from_string(DatabaseBackend::Postgres, sql);
    admin.execute_raw(run("SELECT pg_advisory_lock(731)".into())).await.expect("lock");
    let exists = admin
        .query_one_raw(run(format!("SELECT 1 FROM pg_database WHERE datname = '{template}'")))
        .await
        .expect("query")
        .is_some();
    if !exists {
        admin.execute_raw(run(format!("CREATE DATABASE {template}"))).await.expect("create template");
        let db = Database::connect(with_database(base_url, &template)).await.expect("connect template");
        Migrator::up(&db, None).await.expect("migrate template");
        db.close().await.expect("close template");
    }
    admin.execute_raw(run("SELECT pg_advisory_unlock(731)".into())).await.expect("unlock");
    let name = format!("of_test_{}", uuid::Uuid::new_v4().simple());
    let mut attempts = 0;
    // Two copies from one template at the same instant can collide; retry briefly.
    while let Err(error) = admin.execute_raw(run(format!("CREATE DATABASE {name} TEMPLATE {template}"))).await
    {
        attempts += 1;
        assert!(attempts < 20, "cannot create a test database: {error}");
        tokio::time::sleep(std::time::Duration::from_millis(50 * attempts)).await;
    }
    admin.close().await.expect("close");
    with_database(base_url, &name)
}

fn with_database(base_url: &str, name: &str) -> String {
    let (prefix, rest) = base_url.rsplit_once('/').expect("TEST_DATABASE_URL ends with /<database>");
    let query = rest.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
    format!("{prefix}/{name}{query}")
}

fn fxhash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// A parsed GraphQL response.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: reqwest::StatusCode,
    pub body: Value,
}

impl Reply {
    /// The `extensions.code` of the first error, if any.
    pub fn code(&self) -> Option<&str> {
        self.body["errors"][0]["extensions"]["code"].as_str()
    }

    /// The data, asserting there were no errors.
    #[track_caller]
    pub fn data(&self) -> &Value {
        assert!(self.body.get("errors").is_none(), "unexpected errors: {}", self.body);
        &self.body["data"]
    }

    /// Asserts the first error has `code`, and returns its extensions.
    #[track_caller]
    pub fn error(&self, code: &str) -> &Value {
        assert_eq!(self.code(), Some(code), "expected {code}, got {}", self.body);
        &self.body["errors"][0]["extensions"]
    }
}

impl TestApp {
    /// What the app's clock says.
    pub fn clock_now(&self) -> chrono::DateTime<Utc> {
        use outlet_filing::domain::clock::Clock as _;
        self.clock.now()
    }

    /// The GraphQL endpoint.
    pub fn endpoint(&self) -> String {
        format!("{}/graphql", self.address)
    }

    /// Sends a query as `token`'s holder (or anonymously).
    pub async fn graphql_as(&self, token: Option<&str>, query: &str, variables: Value) -> Reply {
        let mut request =
            self.client.post(self.endpoint()).json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status();
        let body = response.json().await.expect("JSON body");
        Reply { status, body }
    }

    /// Sends every body at once as `token`'s holder, and returns the replies in order.
    pub async fn race(&self, token: &str, bodies: Vec<Value>) -> Vec<Value> {
        let tasks: Vec<_> = bodies
            .into_iter()
            .map(|body| {
                let request = self.client.post(self.endpoint()).bearer_auth(token).json(&body);
                tokio::spawn(async move {
                    request.send().await.expect("sent").json::<Value>().await.expect("JSON")
                })
            })
            .collect();
        let mut replies = Vec::with_capacity(tasks.len());
        for task in tasks {
            replies.push(task.await.expect("task finished"));
        }
        replies
    }

    /// Sends every body at once, as [`Self::race`], and returns each reply's error code
    /// (`None` for a success).
    pub async fn race_codes(&self, token: &str, bodies: Vec<Value>) -> Vec<Option<String>> {
        let replies = self.race(token, bodies).await;
        replies
            .iter()
            .map(|reply| reply["errors"][0]["extensions"]["code"].as_str().map(str::to_owned))
            .collect()
    }

    /// Sends a query anonymously.
    pub async fn graphql(&self, query: &str, variables: Value) -> Reply {
        self.graphql_as(None, query, variables).await
    }

    /// A real token for a user, signed with the app's key.
    pub fn token_for(&self, user_id: i64) -> String {
        self.state.tokens.issue(user_id).expect("token issued").0
    }

    /// A token for the bootstrap admin.
    pub async fn admin_token(&self) -> String {
        let admin = self.user_by_name("admin").await;
        self.token_for(admin.id)
    }

    /// Looks a user up by name.
    pub async fn user_by_name(&self, username: &str) -> user::Model {
        use sea_orm::{ColumnTrait, QueryFilter};
        user::Entity::find()
            .filter(user::Column::Username.eq(username))
            .one(&self.state.db)
            .await
            .expect("query")
            .expect("user exists")
    }

    /// Registers an institution through the service, as registration does, with a valid
    /// USCC derived from `n` and an empty capability profile.
    pub async fn insert_institution(&self, name: &str, department_code: &str, n: u32) -> institution::Model {
        let text = |value: &str| Text::parse(value).expect("valid text");
        let new = NewInstitution {
            uscc: Uscc::parse(&uscc(department_code, n)).expect("valid USCC"),
            name: text(name),
            kind: InstitutionKind::PublicLibrary,
            department_code: department_code.to_owned(),
            exempt_category: None,
            legal_representative: text("张明"),
            address: Text::parse("新华大街1号").expect("valid address"),
            principal: Person {
                name: text("张明"),
                title: None,
                phone: Some(Phone::parse("0471-6900001").expect("phone")),
                mobile: None,
                email: None,
            },
            contact: Person {
                name: text("李娜"),
                title: None,
                phone: None,
                mobile: Some(Phone::parse("13800000001").expect("mobile")),
                email: Some(Email::parse("contact@example.cn").expect("email")),
            },
            website: None,
            profile: ProfileChanges::default(),
        };
        let txn = self.state.writer.begin().await.expect("transaction");
        let institution = institutions::insert(&txn, &self.state, new).await.expect("institution registered");
        txn.commit().await.expect("committed");
        institution
    }

    /// Inserts an active user with [`PASSWORD`] directly.
    pub async fn insert_user(
        &self,
        username: &str,
        role: Role,
        department: Option<&str>,
        institution: Option<i64>,
    ) -> user::Model {
        user::Entity::insert(user::ActiveModel {
            id: NotSet,
            username: Set(username.to_owned()),
            password_hash: Set(PASSWORD_HASH.clone()),
            display_name: Set(username.to_owned()),
            role: Set(role),
            department_code: Set(department.map(str::to_owned)),
            institution_id: Set(institution),
            active: Set(true),
            created_at: Set(self.clock_now()),
        })
        .exec_with_returning(&self.state.writer)
        .await
        .expect("user inserted")
    }

    /// The standard cast: institutions A and B in 呼和浩特市 (150100), C in 包头市 (150200),
    /// and a token for every persona.
    pub async fn world(&self) -> World {
        let a = self.insert_institution("呼和浩特市图书馆", "150100", 1).await;
        let b = self.insert_institution("内蒙古科技情报研究院", "150100", 2).await;
        let c = self.insert_institution("包头市图书馆", "150200", 3).await;
        let mut users = BTreeMap::new();
        let own = self.insert_user("applicant.a", Role::Applicant, None, Some(a.id)).await;
        let other = self.insert_user("applicant.b", Role::Applicant, None, Some(b.id)).await;
        let rec = self.insert_user("rec.150100", Role::Recommender, Some("150100"), None).await;
        let rec_other = self.insert_user("rec.150200", Role::Recommender, Some("150200"), None).await;
        let reviewer = self.insert_user("reviewer", Role::Reviewer, None, None).await;
        let admin = self.user_by_name("admin").await;
        for (persona, user) in [
            (Persona::OwnApplicant, own),
            (Persona::OtherApplicant, other),
            (Persona::OwnRecommender, rec),
            (Persona::OtherRecommender, rec_other),
            (Persona::Reviewer, reviewer),
            (Persona::Admin, admin),
        ] {
            users.insert(persona, user.id);
        }
        let mut world = World { a, b, c, users, tokens: BTreeMap::new() };
        world.refresh(self);
        world
    }

    /// Moves the clock by `by` and reissues the world's tokens, which would otherwise have
    /// expired.
    pub fn advance(&self, world: &mut World, by: chrono::Duration) {
        self.clock.set(self.clock_now() + by);
        world.refresh(self);
    }

    /// Moves the clock to `at` (China Standard Time), reissuing the world's tokens.
    pub fn travel_to(&self, world: &mut World, at: &str) {
        let local = chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M").expect("YYYY-MM-DD HH:MM");
        let utc = local - chrono::Duration::hours(8);
        self.clock.set(utc.and_utc());
        world.refresh(self);
    }

    /// Inserts a filing of `institution` in `state`, eligible, with its declaration and
    /// both required attachments.
    pub async fn insert_filing(&self, institution: &institution::Model, state: FilingState) -> filing::Model {
        let now = self.clock_now();
        let open = outlet_filing::domain::workflow::filing::is_open(state.into()).then_some(institution.id);
        let filing = filing::Entity::insert(filing::ActiveModel {
            id: NotSet,
            institution_id: Set(institution.id),
            department_code: Set(institution.department_code.clone()),
            kind: Set(FilingKind::Initial),
            state: Set(state),
            form: Set(Json(eligible_form(institution))),
            declaration_accepted: Set(true),
            open_for_institution: Set(open),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            submitted_at: Set((state != FilingState::Draft).then_some(now)),
            outlet_id: Set(None),
        })
        .exec_with_returning(&self.state.writer)
        .await
        .expect("filing inserted");
        for kind in [AttachmentKind::WorkRules, AttachmentKind::ApplicationForm] {
            self.insert_attachment(filing.id, kind).await;
        }
        filing
    }

    /// Inserts an attachment row (and stores [`PDF`] as its content).
    pub async fn insert_attachment(&self, filing_id: i64, kind: AttachmentKind) -> filing_attachment::Model {
        let sha256 = self.state.files.put(PDF).await.expect("stored");
        filing_attachment::Entity::insert(filing_attachment::ActiveModel {
            id: NotSet,
            filing_id: Set(filing_id),
            kind: Set(kind),
            file_name: Set("制度.pdf".into()),
            media_type: Set("application/pdf".into()),
            size_bytes: Set(PDF.len() as i64),
            sha256: Set(sha256),
            uploaded_by: Set(1),
            created_at: Set(self.clock_now()),
        })
        .exec_with_returning(&self.state.writer)
        .await
        .expect("attachment inserted")
    }

    /// Uploads `content` as an attachment of a filing, by the GraphQL multipart request spec.
    pub async fn upload(
        &self,
        token: Option<&str>,
        filing_id: i64,
        version: i32,
        kind: &str,
        name: &str,
        content: &[u8],
    ) -> Reply {
        let query = "mutation($input: UploadFilingAttachmentInput!) { uploadFilingAttachment(input: $input) { filing { version } attachment { id kind fileName mediaType sizeBytes sha256 url } } }";
        let input =
            json!({ "filingId": filing_id.to_string(), "version": version, "kind": kind, "file": null });
        self.multipart(token, query, input, name, content).await
    }

    /// Uploads `content` as an attachment of an annual report.
    pub async fn upload_to_report(
        &self,
        token: Option<&str>,
        report_id: &Value,
        version: i32,
        name: &str,
        content: &[u8],
    ) -> Reply {
        let query = "mutation($input: UploadAnnualReportAttachmentInput!) { uploadAnnualReportAttachment(input: $input) { report { version } attachment { id fileName mediaType url } } }";
        let input = json!({ "reportId": report_id, "version": version, "file": null });
        self.multipart(token, query, input, name, content).await
    }

    /// Sends `query` with `input` as `$input`, its `file` carried as a multipart part.
    pub async fn multipart(
        &self,
        token: Option<&str>,
        query: &str,
        input: Value,
        name: &str,
        content: &[u8],
    ) -> Reply {
        let operations = json!({ "query": query, "variables": { "input": input } });
        let form = reqwest::multipart::Form::new()
            .text("operations", operations.to_string())
            .text("map", json!({ "0": ["variables.input.file"] }).to_string())
            .part("0", reqwest::multipart::Part::bytes(content.to_vec()).file_name(name.to_owned()));
        let mut request =
            self.client.post(self.endpoint()).header("Apollo-Require-Preflight", "true").multipart(form);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status();
        let body = response.json().await.unwrap_or(Value::Null);
        Reply { status, body }
    }

    /// A summary of every table: row counts, and the sum of versions and latest update
    /// where a table has them. Equal fingerprints mean nothing was written.
    pub async fn fingerprint(&self) -> BTreeMap<String, String> {
        let db = &self.state.db;
        let backend = db.get_database_backend();
        let tables_sql = match backend {
            DatabaseBackend::Postgres => {
                "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
            }
            _ => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        };
        let rows = db.query_all_raw(Statement::from_string(backend, tables_sql)).await.expect("tables");
        let mut print = BTreeMap::new();
        for row in rows {
            let table: String = row.try_get("", "name").expect("name");
            if table == "seaql_migrations" {
                continue;
            }
            let columns_sql = match backend {
                DatabaseBackend::Postgres => format!(
                    "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '{table}'"
                ),
                _ => format!("SELECT name FROM pragma_table_info('{table}')"),
            };
            let columns: Vec<String> = db
                .query_all_raw(Statement::from_string(backend, columns_sql))
                .await
                .expect("columns")
                .iter()
                .map(|r| r.try_get("", "name").expect("column name"))
                .collect();
            let mut parts = vec!["CAST(COUNT(*) AS TEXT)".to_owned()];
            if columns.iter().any(|c| c == "version") {
                parts.push("CAST(COALESCE(SUM(version), 0) AS TEXT)".to_owned());
            }
            if columns.iter().any(|c| c == "updated_at") {
                parts.push("CAST(MAX(updated_at) AS TEXT)".to_owned());
            }
            let sql = format!("SELECT {} AS v FROM {table}", parts.join(" || '/' || "));
            let row =
                db.query_one_raw(Statement::from_string(backend, sql)).await.expect("summary").expect("row");
            let value: Option<String> = row.try_get("", "v").expect("value");
            print.insert(table, value.unwrap_or_default());
        }
        print
    }
}

/// A form built from `institution` that meets every Art 5 condition.
pub fn eligible_form(institution: &institution::Model) -> ApplicationForm {
    let mut form = outlet_filing::db::mapping::form_of_institution(institution, &[], &[], &[]);
    let staff = |employment| StaffEntry::new("甲", employment);
    form.staff = vec![
        staff(Employment::FullTime),
        staff(Employment::FullTime),
        staff(Employment::FullTime),
        staff(Employment::PartTime),
    ];
    form.ip_categories = vec![IpCategory::Patent];
    form.service_modes = vec![ServiceMode::Offline];
    form.facilities = FacilitiesEntry {
        premises_area: Some(80),
        network_environment: Some("光纤".into()),
        hardware: Some("终端".into()),
        software: Some("检索系统".into()),
    };
    form.databases =
        vec![DatabaseEntry { name: "专利库".into(), source: ToolSource::Leased, valid_until: None }];
    form.service_items = [ServiceType::Consultation, ServiceType::Search, ServiceType::Training]
        .into_iter()
        .map(|service_type| ServiceItemEntry {
            service_type,
            description: "服务".into(),
            channels: vec![],
            free_or_low_cost: true,
        })
        .collect();
    form
}

/// A `ProfileInput` that meets every Art 5 condition.
pub fn eligible_profile() -> Value {
    json!({
        "staff": [
            { "name": "王芳", "employment": "FULL_TIME" }, { "name": "赵磊", "employment": "FULL_TIME" },
            { "name": "孙悦", "employment": "FULL_TIME" }, { "name": "周强", "employment": "PART_TIME" }
        ],
        "ipCategories": ["PATENT"],
        "serviceModes": ["ONLINE", "OFFLINE"],
        "facilities": { "premisesArea": 120, "networkEnvironment": "千兆光纤", "hardware": "检索终端", "software": "检索系统" },
        "databases": [ { "name": "专利检索系统", "source": "LEASED" } ],
        "serviceItems": [
            { "serviceType": "CONSULTATION", "description": "咨询", "channels": ["PHONE"], "freeOrLowCost": true },
            { "serviceType": "SEARCH", "description": "检索", "channels": ["ONLINE"], "freeOrLowCost": true },
            { "serviceType": "TRAINING", "description": "培训", "channels": ["WINDOW"], "freeOrLowCost": true }
        ]
    })
}

/// A PDF small enough for any test: a catalog, an empty page tree and the cross-reference
/// table that finds them.
pub const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\nxref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \ntrailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n110\n%%EOF\n";

/// A well-formed PDF of its own content for each `title`, `padding` bytes of comment
/// longer than the smallest.
pub fn pdf(title: &str, padding: usize) -> Vec<u8> {
    let mut out = format!("%PDF-1.7\n%{}\n", "x".repeat(padding)).into_bytes();
    let mut offsets = Vec::new();
    for object in [
        "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n".to_owned(),
        format!("2 0 obj\n<< /Type /Pages /Kids [] /Count 0 /Title ({title}) >>\nendobj\n"),
    ] {
        offsets.push(out.len());
        out.extend_from_slice(object.as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(b"xref\n0 3\n0000000000 65535 f \n");
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
    out
}

/// A valid USCC for test institution `n` registered in `department_code`.
pub fn uscc(department_code: &str, n: u32) -> String {
    Uscc::with_checks(&format!("12{department_code}{n:08}")).expect("valid head").to_string()
}

/// Who calls, relative to institution A of [`World`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Persona {
    Anonymous,
    OwnApplicant,
    OtherApplicant,
    OwnRecommender,
    OtherRecommender,
    Reviewer,
    Admin,
}

impl Persona {
    pub const ALL: [Persona; 7] = [
        Self::Anonymous,
        Self::OwnApplicant,
        Self::OtherApplicant,
        Self::OwnRecommender,
        Self::OtherRecommender,
        Self::Reviewer,
        Self::Admin,
    ];
}

/// The standard cast of a test.
pub struct World {
    pub a: institution::Model,
    pub b: institution::Model,
    pub c: institution::Model,
    users: BTreeMap<Persona, i64>,
    tokens: BTreeMap<Persona, String>,
}

impl World {
    /// Issues every persona a fresh token at the app's current time.
    pub fn refresh(&mut self, app: &TestApp) {
        self.tokens = self.users.iter().map(|(persona, id)| (*persona, app.token_for(*id))).collect();
    }

    /// The token of `persona`; `None` for the anonymous caller.
    pub fn token(&self, persona: Persona) -> Option<&str> {
        self.tokens.get(&persona).map(String::as_str)
    }
}

/// A registration input that passes validation, unique by `n`.
pub fn registration(n: u32, department_code: &str) -> Value {
    json!({
        "institution": {
            "uscc": uscc(department_code, 500 + n),
            "name": format!("测试机构{n}"),
            "kind": "RESEARCH_INSTITUTE",
            "departmentCode": department_code,
            "legalRepresentative": "王强",
            "address": "科技路8号",
            "principal": { "name": "王强", "title": "所长", "phone": "0471-6900002", "email": "wq@example.cn" },
            "contact": { "name": "刘洋", "mobile": "13900000002", "email": "ly@example.cn" },
            "profile": {
                "ipCategories": ["PATENT", "TRADEMARK", "PATENT"],
                "serviceModes": ["ONLINE"],
                "staff": [
                    { "name": "甲", "employment": "FULL_TIME" },
                    { "name": "乙", "employment": "PART_TIME", "yearsOfExperience": 3 }
                ],
                "serviceItems": [
                    { "serviceType": "CONSULTATION", "description": "政策咨询", "channels": ["PHONE"], "freeOrLowCost": true }
                ],
                "databases": [ { "name": "专利数据库", "source": "PURCHASED", "validUntil": "2027-12-31" } ]
            }
        },
        "account": { "username": format!("new.applicant{n}"), "password": "register-pass-1", "displayName": format!("申请人{n}") }
    })
}

/// Files recommended filings of `institutions` through one publicity, and returns their
/// outlets' ids in the same order. Moves the clock 14 days on.
pub async fn file_outlets(
    app: &TestApp,
    world: &mut World,
    institutions: &[institution::Model],
) -> Vec<String> {
    let mut filings = Vec::new();
    for institution in institutions {
        filings.push(app.insert_filing(institution, FilingState::Recommended).await);
    }
    let reviewer = world.token(Persona::Reviewer).map(str::to_owned);
    let list: Vec<Value> = filings.iter().map(|f| json!({ "id": f.id.to_string(), "version": 1 })).collect();
    let opened = app
        .graphql_as(
            reviewer.as_deref(),
            "mutation($input: OpenPublicityInput!) { openPublicity(input: $input) { announcement { id } } }",
            json!({ "input": { "filings": list } }),
        )
        .await;
    let announcement = opened.data()["openPublicity"]["announcement"]["id"].clone();
    app.advance(world, chrono::Duration::days(14));
    let reviewer = world.token(Persona::Reviewer).map(str::to_owned);
    app.graphql_as(
        reviewer.as_deref(),
        "mutation($id: ID!) { confirmPublicity(input: {announcementId: $id}) { list { id } } }",
        json!({ "id": announcement }),
    )
    .await
    .data();
    let mut outlets = Vec::new();
    for filing in filings {
        let reply = app
            .graphql_as(
                reviewer.as_deref(),
                "query($id: ID!) { filing(id: $id) { outletId } }",
                json!({ "id": filing.id.to_string() }),
            )
            .await;
        outlets.push(reply.data()["filing"]["outletId"].as_str().expect("filed").to_owned());
    }
    outlets
}
