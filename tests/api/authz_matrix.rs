//! Who may call each mutation: every mutation of the schema, as every persona, in and out
//! of scope. A mutation added to the schema without a policy row, or without a case here,
//! fails these tests.

use std::collections::BTreeSet;

use outlet_filing::authz::{Authorizer, PUBLIC_MUTATIONS};
use serde_json::{Value, json};

use entity::filing;
use entity::sea_orm_active_enums::{AttachmentKind, ChangeState, FilingState, ReportState};

use crate::helpers::{PASSWORD, PDF, Persona, TestApp, World, registration, spawn_app, spawn_app_with};

use Persona::{Admin, Anonymous, OwnApplicant, OwnRecommender, Reviewer};

/// What a case needs before it runs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Setup {
    Nothing,
    /// An eligible filing of institution A in this state, with both required attachments.
    Filing(FilingState),
    /// A filing of A under a publicity the reviewer opened.
    Publicity,
    /// As `Publicity`, with an open objection to the filing.
    Objection,
    /// As `Publicity`, with the period over.
    PublicityOver,
    /// A's filing filed: an active outlet.
    Outlet,
    /// An annual report of A's outlet on its first year, in this state.
    Report(ReportState),
    /// A draft report of A's outlet with one attachment.
    ReportWithAttachment,
    /// A's report forwarded in 呼和浩特市's summary.
    Summary,
    /// A change report of A's outlet in this state.
    Change(ChangeState),
}

/// How a case calls its mutation.
enum Call {
    Json(&'static str, Value),
    Upload { filing_id: i64, version: i32 },
    UploadToReport { report: Value, version: i32 },
}

/// What a setup made.
#[derive(Default)]
struct Fixture {
    filing: Option<filing::Model>,
    attachment: Option<i64>,
    announcement: Option<Value>,
    objection: Option<Value>,
    outlet: Option<Value>,
    report: Option<Value>,
    report_attachment: Option<Value>,
    summary: Option<Value>,
    change: Option<Value>,
}

impl Fixture {
    fn filing_id(&self) -> String {
        self.filing.as_ref().expect("the case sets up a filing").id.to_string()
    }
}

/// One mutation: who may call it about institution A, and a valid call (the `n`-th call
/// must differ from earlier ones where the mutation creates something unique).
struct Case {
    mutation: &'static str,
    allowed: &'static [Persona],
    setup: Setup,
    call: fn(&World, &Fixture, u32) -> Call,
}

fn cases() -> Vec<Case> {
    let step_call = |name: &'static str| -> fn(&World, &Fixture, u32) -> Call {
        match name {
            "submitFiling" => |_, f, _| {
                Call::Json(
                    "mutation($input: FilingActionInput!) { submitFiling(input: $input) { filing { id } } }",
                    json!({ "input": { "id": f.filing_id(), "version": 1 } }),
                )
            },
            "withdrawFiling" => |_, f, _| {
                Call::Json(
                    "mutation($input: FilingActionInput!) { withdrawFiling(input: $input) { filing { id } } }",
                    json!({ "input": { "id": f.filing_id(), "version": 1 } }),
                )
            },
            "returnFiling" => |_, f, _| {
                Call::Json(
                    "mutation($input: FilingActionInput!) { returnFiling(input: $input) { filing { id } } }",
                    json!({ "input": { "id": f.filing_id(), "version": 1, "comment": "补充材料" } }),
                )
            },
            "declineFiling" => |_, f, _| {
                Call::Json(
                    "mutation($input: FilingActionInput!) { declineFiling(input: $input) { filing { id } } }",
                    json!({ "input": { "id": f.filing_id(), "version": 1, "comment": "不予推荐" } }),
                )
            },
            "recommendFiling" => |_, f, _| {
                Call::Json(
                    "mutation($input: FilingActionInput!) { recommendFiling(input: $input) { filing { id } } }",
                    json!({ "input": { "id": f.filing_id(), "version": 1, "comment": "同意推荐" } }),
                )
            },
            "sendBackFiling" => |_, f, _| {
                Call::Json(
                    "mutation($input: FilingActionInput!) { sendBackFiling(input: $input) { filing { id } } }",
                    json!({ "input": { "id": f.filing_id(), "version": 1, "comment": "请核实" } }),
                )
            },
            "rejectFiling" => |_, f, _| {
                Call::Json(
                    "mutation($input: FilingActionInput!) { rejectFiling(input: $input) { filing { id } } }",
                    json!({ "input": { "id": f.filing_id(), "version": 1, "comment": "不符合条件" } }),
                )
            },
            other => unreachable!("no step {other}"),
        }
    };
    let mut cases = vec![
        Case {
            mutation: "login",
            allowed: &Persona::ALL,
            setup: Setup::Nothing,
            call: |_, _, _| {
                Call::Json(
                    "mutation($p: String!) { login(input: {username: \"reviewer\", password: $p}) { token } }",
                    json!({ "p": PASSWORD }),
                )
            },
        },
        Case {
            mutation: "registerApplicant",
            allowed: &Persona::ALL,
            setup: Setup::Nothing,
            call: |_, _, n| {
                Call::Json(
                    "mutation($input: RegisterApplicantInput!) { registerApplicant(input: $input) { token } }",
                    json!({ "input": registration(n, "150100") }),
                )
            },
        },
        Case {
            mutation: "createUser",
            allowed: &[Admin],
            setup: Setup::Nothing,
            call: |world, _, n| {
                Call::Json(
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
            setup: Setup::Nothing,
            call: |world, _, n| {
                Call::Json(
                    "mutation($input: UpdateInstitutionInput!) { updateInstitution(input: $input) { institution { id } } }",
                    json!({ "input": { "id": world.a.id.to_string(), "version": 1, "address": format!("{n}号") } }),
                )
            },
        },
        Case {
            mutation: "createFiling",
            allowed: &[OwnApplicant],
            setup: Setup::Nothing,
            call: |world, _, _| {
                Call::Json(
                    "mutation($input: CreateFilingInput!) { createFiling(input: $input) { filing { id } } }",
                    json!({ "input": { "institutionId": world.a.id.to_string(), "kind": "INITIAL" } }),
                )
            },
        },
        Case {
            mutation: "updateFiling",
            allowed: &[OwnApplicant],
            setup: Setup::Filing(FilingState::Draft),
            call: |_, f, _| {
                Call::Json(
                    "mutation($input: UpdateFilingInput!) { updateFiling(input: $input) { filing { id } } }",
                    json!({ "input": { "id": f.filing_id(), "version": 1, "declarationAccepted": false } }),
                )
            },
        },
        Case {
            mutation: "uploadFilingAttachment",
            allowed: &[OwnApplicant],
            setup: Setup::Filing(FilingState::Draft),
            call: |_, f, _| Call::Upload { filing_id: f.filing.as_ref().map_or(0, |f| f.id), version: 1 },
        },
        Case {
            mutation: "removeFilingAttachment",
            allowed: &[OwnApplicant],
            setup: Setup::Filing(FilingState::Draft),
            call: |_, f, _| {
                Call::Json(
                    "mutation($input: RemoveFilingAttachmentInput!) { removeFilingAttachment(input: $input) { filing { id } } }",
                    json!({ "input": { "attachmentId": f.attachment.unwrap_or_default().to_string(), "version": 1 } }),
                )
            },
        },
    ];
    cases.extend([
        Case {
            mutation: "openPublicity",
            allowed: &[Reviewer],
            setup: Setup::Filing(FilingState::Recommended),
            call: |_, f, _| {
                Call::Json(
                    "mutation($input: OpenPublicityInput!) { openPublicity(input: $input) { announcement { id } } }",
                    json!({ "input": { "filings": [{ "id": f.filing_id(), "version": 1 }] } }),
                )
            },
        },
        Case {
            mutation: "recordObjection",
            allowed: &[Reviewer],
            setup: Setup::Publicity,
            call: |_, f, _| {
                Call::Json(
                    "mutation($input: RecordObjectionInput!) { recordObjection(input: $input) { objection { id } } }",
                    json!({ "input": { "filingId": f.filing_id(), "content": "人员不实" } }),
                )
            },
        },
        Case {
            mutation: "resolveObjection",
            allowed: &[Reviewer],
            setup: Setup::Objection,
            call: |_, f, _| {
                Call::Json(
                    "mutation($input: ResolveObjectionInput!) { resolveObjection(input: $input) { objection { id } } }",
                    json!({ "input": { "objectionId": f.objection, "version": 1, "outcome": "DISMISSED", "resolution": "不属实" } }),
                )
            },
        },
        Case {
            mutation: "confirmPublicity",
            allowed: &[Reviewer],
            setup: Setup::PublicityOver,
            call: |_, f, _| {
                Call::Json(
                    "mutation($id: ID!) { confirmPublicity(input: {announcementId: $id}) { list { id } } }",
                    json!({ "id": f.announcement }),
                )
            },
        },
        Case {
            mutation: "recommendOutletToNational",
            allowed: &[Reviewer],
            setup: Setup::Outlet,
            call: |_, f, _| {
                Call::Json(
                    "mutation($input: RecommendOutletToNationalInput!) { recommendOutletToNational(input: $input) { outlet { id } } }",
                    json!({ "input": { "outletId": f.outlet, "version": 1, "note": "推荐" } }),
                )
            },
        },
        Case {
            mutation: "terminateOutlet",
            allowed: &[Reviewer],
            setup: Setup::Outlet,
            call: |_, f, _| {
                Call::Json(
                    "mutation($input: SanctionOutletInput!) { terminateOutlet(input: $input) { outlet { id } } }",
                    json!({ "input": { "outletId": f.outlet, "version": 1, "reason": "违规经营" } }),
                )
            },
        },
        Case {
            mutation: "revokeOutlet",
            allowed: &[Reviewer],
            setup: Setup::Outlet,
            call: |_, f, _| {
                Call::Json(
                    "mutation($input: SanctionOutletInput!) { revokeOutlet(input: $input) { outlet { id } } }",
                    json!({ "input": { "outletId": f.outlet, "version": 1, "reason": "虚假材料" } }),
                )
            },
        },
        Case {
            mutation: "setCalendarDay",
            allowed: &[Admin],
            setup: Setup::Nothing,
            call: |_, _, _| {
                Call::Json(
                    "mutation($input: SetCalendarDayInput!) { setCalendarDay(input: $input) { day { date } } }",
                    json!({ "input": { "date": "2027-01-01", "kind": "HOLIDAY", "name": "元旦" } }),
                )
            },
        },
        Case {
            mutation: "removeCalendarDay",
            allowed: &[Admin],
            setup: Setup::Nothing,
            call: |_, _, _| {
                Call::Json(
                    "mutation($input: RemoveCalendarDayInput!) { removeCalendarDay(input: $input) { date } }",
                    json!({ "input": { "date": "2026-01-01" } }),
                )
            },
        },
    ]);
    cases.extend([
        report_step("createAnnualReport", &[OwnApplicant], Setup::Outlet, |_, f, _| {
            Call::Json(
                "mutation($input: CreateAnnualReportInput!) { createAnnualReport(input: $input) { report { id } } }",
                json!({ "input": { "outletId": f.outlet, "year": 2026 } }),
            )
        }),
        report_step("updateAnnualReport", &[OwnApplicant], Setup::Report(ReportState::Draft), |_, f, _| {
            Call::Json(
                "mutation($input: UpdateAnnualReportInput!) { updateAnnualReport(input: $input) { report { id } } }",
                json!({ "input": { "id": f.report, "version": 1, "narrative": { "achievements": "成效" } } }),
            )
        }),
        report_step("submitAnnualReport", &[OwnApplicant], Setup::Report(ReportState::Draft), |_, f, _| {
            Call::Json(
                "mutation($input: ReportActionInput!) { submitAnnualReport(input: $input) { report { id } } }",
                json!({ "input": { "id": f.report, "version": 1 } }),
            )
        }),
        report_step("uploadAnnualReportAttachment", &[OwnApplicant], Setup::Report(ReportState::Draft), |_, f, _| {
            Call::UploadToReport { report: f.report.clone().unwrap_or_default(), version: 1 }
        }),
        report_step("removeAnnualReportAttachment", &[OwnApplicant], Setup::ReportWithAttachment, |_, f, _| {
            Call::Json(
                "mutation($input: RemoveAnnualReportAttachmentInput!) { removeAnnualReportAttachment(input: $input) { report { id } } }",
                json!({ "input": { "attachmentId": f.report_attachment, "version": 2 } }),
            )
        }),
        report_step("returnAnnualReport", &[OwnRecommender], Setup::Report(ReportState::Submitted), |_, f, _| {
            Call::Json(
                "mutation($input: ReportActionInput!) { returnAnnualReport(input: $input) { report { id } } }",
                json!({ "input": { "id": f.report, "version": 2, "comment": "补充" } }),
            )
        }),
        report_step("forwardDepartmentSummary", &[OwnRecommender], Setup::Report(ReportState::Submitted), |_, _, _| {
            Call::Json(
                "mutation($input: ForwardDepartmentSummaryInput!) { forwardDepartmentSummary(input: $input) { summary { id } } }",
                json!({ "input": { "departmentCode": "150100", "year": 2026 } }),
            )
        }),
        report_step("acceptDepartmentSummary", &[Reviewer], Setup::Summary, |_, f, _| {
            Call::Json(
                "mutation($input: ReportActionInput!) { acceptDepartmentSummary(input: $input) { summary { id } } }",
                json!({ "input": { "id": f.summary, "version": 1 } }),
            )
        }),
        report_step("returnDepartmentSummary", &[Reviewer], Setup::Summary, |_, f, _| {
            Call::Json(
                "mutation($input: ReportActionInput!) { returnDepartmentSummary(input: $input) { summary { id } } }",
                json!({ "input": { "id": f.summary, "version": 1, "comment": "核对" } }),
            )
        }),
        report_step("submitChangeReport", &[OwnApplicant], Setup::Outlet, |_, f, _| {
            Call::Json(
                "mutation($input: SubmitChangeReportInput!) { submitChangeReport(input: $input) { changeReport { id } } }",
                json!({ "input": { "outletId": f.outlet, "institutionVersion": 1, "reason": "搬迁", "address": "新址2号" } }),
            )
        }),
        report_step("forwardChangeReport", &[OwnRecommender], Setup::Change(ChangeState::Submitted), |_, f, _| {
            Call::Json(
                "mutation($input: ReportActionInput!) { forwardChangeReport(input: $input) { changeReport { id } } }",
                json!({ "input": { "id": f.change, "version": 1 } }),
            )
        }),
        report_step("returnChangeReport", &[OwnRecommender], Setup::Change(ChangeState::Submitted), |_, f, _| {
            Call::Json(
                "mutation($input: ReportActionInput!) { returnChangeReport(input: $input) { changeReport { id } } }",
                json!({ "input": { "id": f.change, "version": 1, "comment": "材料不全" } }),
            )
        }),
        report_step("acceptChangeReport", &[Reviewer], Setup::Change(ChangeState::Forwarded), |_, f, _| {
            Call::Json(
                "mutation($input: ReportActionInput!) { acceptChangeReport(input: $input) { changeReport { id } } }",
                json!({ "input": { "id": f.change, "version": 2 } }),
            )
        }),
        report_step("rejectChangeReport", &[Reviewer], Setup::Change(ChangeState::Forwarded), |_, f, _| {
            Call::Json(
                "mutation($input: ReportActionInput!) { rejectChangeReport(input: $input) { changeReport { id } } }",
                json!({ "input": { "id": f.change, "version": 2, "comment": "不属实" } }),
            )
        }),
    ]);
    for (mutation, allowed, from) in [
        ("submitFiling", &[OwnApplicant] as &'static [Persona], FilingState::Draft),
        ("withdrawFiling", &[OwnApplicant], FilingState::Submitted),
        ("returnFiling", &[OwnRecommender], FilingState::Submitted),
        ("declineFiling", &[OwnRecommender], FilingState::Submitted),
        ("recommendFiling", &[OwnRecommender], FilingState::Submitted),
        ("sendBackFiling", &[Reviewer], FilingState::Recommended),
        ("rejectFiling", &[Reviewer], FilingState::Recommended),
    ] {
        cases.push(Case { mutation, allowed, setup: Setup::Filing(from), call: step_call(mutation) });
    }
    cases
}

/// Prepares what a case needs, through the API where a step has one.
async fn set_up(app: &TestApp, world: &mut World, setup: Setup) -> Fixture {
    let state = match setup {
        Setup::Nothing => return Fixture::default(),
        Setup::Filing(state) => state,
        _ => FilingState::Recommended,
    };
    let filing = app.insert_filing(&world.a, state).await;
    let attachment = app.insert_attachment(filing.id, AttachmentKind::Other).await;
    let mut fixture =
        Fixture { filing: Some(filing.clone()), attachment: Some(attachment.id), ..Fixture::default() };
    if matches!(setup, Setup::Filing(_)) {
        return fixture;
    }
    let reviewer = world.token(Reviewer).map(str::to_owned);
    let opened = app
        .graphql_as(
            reviewer.as_deref(),
            "mutation($input: OpenPublicityInput!) { openPublicity(input: $input) { announcement { id } } }",
            json!({ "input": { "filings": [{ "id": filing.id.to_string(), "version": 1 }] } }),
        )
        .await;
    fixture.announcement = Some(opened.data()["openPublicity"]["announcement"]["id"].clone());
    if setup == Setup::Objection {
        let recorded = app
            .graphql_as(
                reviewer.as_deref(),
                "mutation($input: RecordObjectionInput!) { recordObjection(input: $input) { objection { id } } }",
                json!({ "input": { "filingId": filing.id.to_string(), "content": "异议" } }),
            )
            .await;
        fixture.objection = Some(recorded.data()["recordObjection"]["objection"]["id"].clone());
    }
    if !matches!(setup, Setup::Publicity | Setup::Objection) {
        app.advance(world, chrono::Duration::days(14));
    }
    if !matches!(setup, Setup::Publicity | Setup::Objection | Setup::PublicityOver) {
        let reviewer = world.token(Reviewer).map(str::to_owned);
        app.graphql_as(
            reviewer.as_deref(),
            "mutation($id: ID!) { confirmPublicity(input: {announcementId: $id}) { list { id } } }",
            json!({ "id": fixture.announcement }),
        )
        .await
        .data();
        let outlets =
            app.graphql_as(reviewer.as_deref(), "{ outlets { edges { node { id } } } }", json!({})).await;
        fixture.outlet = Some(outlets.data()["outlets"]["edges"][0]["node"]["id"].clone());
    }
    let applicant = world.token(OwnApplicant).map(str::to_owned);
    let recommender = world.token(OwnRecommender).map(str::to_owned);
    if let Setup::Report(_) | Setup::ReportWithAttachment | Setup::Summary = setup {
        let created = app
            .graphql_as(
                applicant.as_deref(),
                "mutation($input: CreateAnnualReportInput!) { createAnnualReport(input: $input) { report { id } } }",
                json!({ "input": { "outletId": fixture.outlet, "year": 2026 } }),
            )
            .await;
        let report = created.data()["createAnnualReport"]["report"]["id"].clone();
        if setup == Setup::ReportWithAttachment {
            let uploaded = app.upload_to_report(applicant.as_deref(), &report, 1, "总结.pdf", PDF).await;
            fixture.report_attachment =
                Some(uploaded.data()["uploadAnnualReportAttachment"]["attachment"]["id"].clone());
        } else if setup != Setup::Report(ReportState::Draft) {
            app.graphql_as(
                applicant.as_deref(),
                "mutation($input: ReportActionInput!) { submitAnnualReport(input: $input) { report { id } } }",
                json!({ "input": { "id": report, "version": 1 } }),
            )
            .await
            .data();
        }
        fixture.report = Some(report);
    }
    if setup == Setup::Summary {
        let forwarded = app
            .graphql_as(
                recommender.as_deref(),
                "mutation($input: ForwardDepartmentSummaryInput!) { forwardDepartmentSummary(input: $input) { summary { id } } }",
                json!({ "input": { "departmentCode": "150100", "year": 2026 } }),
            )
            .await;
        fixture.summary = Some(forwarded.data()["forwardDepartmentSummary"]["summary"]["id"].clone());
    }
    if let Setup::Change(state) = setup {
        let submitted = app
            .graphql_as(
                applicant.as_deref(),
                "mutation($input: SubmitChangeReportInput!) { submitChangeReport(input: $input) { changeReport { id } } }",
                json!({ "input": { "outletId": fixture.outlet, "institutionVersion": 1, "reason": "搬迁", "address": "新址1号" } }),
            )
            .await;
        let change = submitted.data()["submitChangeReport"]["changeReport"]["id"].clone();
        if state == ChangeState::Forwarded {
            app.graphql_as(
                recommender.as_deref(),
                "mutation($input: ReportActionInput!) { forwardChangeReport(input: $input) { changeReport { id } } }",
                json!({ "input": { "id": change, "version": 1 } }),
            )
            .await
            .data();
        }
        fixture.change = Some(change);
    }
    fixture
}

/// A case for a report step: `$input` is a `ReportActionInput` on the fixture's `pick`.
fn report_step(
    mutation: &'static str,
    allowed: &'static [Persona],
    setup: Setup,
    call: fn(&World, &Fixture, u32) -> Call,
) -> Case {
    Case { mutation, allowed, setup, call }
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
        // Every persona registers from the same address here; throttling has its own tests.
        let app = spawn_app_with(|s| s.registrations_per_address = 100).await;
        let world = app.world().await;
        let mut world = world;
        let fixture = set_up(&app, &mut world, case.setup).await;
        // Denied callers first: an allowed call may change what the next one sees.
        let mut personas = Persona::ALL.to_vec();
        personas.sort_by_key(|p| case.allowed.contains(p));
        for (n, persona) in (1..).zip(personas) {
            let before = app.fingerprint().await;
            let reply = match (case.call)(&world, &fixture, n) {
                Call::Json(query, variables) => app.graphql_as(world.token(persona), query, variables).await,
                Call::Upload { filing_id, version } => {
                    app.upload(world.token(persona), filing_id, version, "OTHER", "附件.pdf", PDF).await
                }
                Call::UploadToReport { report, version } => {
                    app.upload_to_report(world.token(persona), &report, version, "总结.pdf", PDF).await
                }
            };
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
    // A few cases at a time: each runs its own application and database connections.
    use futures_util::StreamExt as _;
    futures_util::stream::iter(runs).buffer_unordered(4).collect::<Vec<()>>().await;
}
