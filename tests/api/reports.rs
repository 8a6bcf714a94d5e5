//! Annual reports with 盟市 summaries (Art 17), and change reports (Art 10).

use entity::sea_orm_active_enums::Role;
use serde_json::{Value, json};

use crate::helpers::{Persona, Reply, TestApp, World, file_outlets, spawn_app};

const CREATE: &str = "mutation($input: CreateAnnualReportInput!) { createAnnualReport(input: $input) { report { id version state } } }";
const UPDATE: &str = "mutation($input: UpdateAnnualReportInput!) { updateAnnualReport(input: $input) { report { id version } } }";
const SUBMIT: &str = "mutation($input: ReportActionInput!) { submitAnnualReport(input: $input) { report { id version state late submittedAt } } }";
const COMPLIANCE: &str = "query($year: Int!) { annualReportCompliance(year: $year) { year dueOn
  departments { department { code name } owed submittedOnTime submittedLate missing } overdue { number } } }";

async fn create_report(app: &TestApp, token: Option<&str>, outlet: &str, year: i32) -> Reply {
    app.graphql_as(token, CREATE, json!({ "input": { "outletId": outlet, "year": year } })).await
}

/// Writes figures into a new report of `outlet` and submits it; returns the submitted report.
async fn report(app: &TestApp, token: Option<&str>, outlet: &str, year: i32, searches: i32) -> Value {
    let created = create_report(app, token, outlet, year).await;
    let id = created.data()["createAnnualReport"]["report"]["id"].clone();
    let figures = json!({
        "consultationsPhone": 10, "consultationsOnline": 20, "consultationsWindow": 5, "searches": searches,
        "analysisReports": 2, "keyIndustryReports": 1, "trainingSessions": 3, "trainingParticipants": 120,
        "publicityEvents": 2, "publicityParticipants": 300, "smesServed": 15, "onlineUsers": 200, "offlineUsers": 80,
        "fullTimeStaff": 3, "partTimeStaff": 2, "databasesAndTools": 2
    });
    let narrative = json!({ "achievements": "服务企业百余家", "nextYearPlan": "拓展线上服务" });
    app.graphql_as(
        token,
        UPDATE,
        json!({ "input": { "id": id, "version": 1, "figures": figures, "narrative": narrative } }),
    )
    .await
    .data();
    let submitted = app.graphql_as(token, SUBMIT, json!({ "input": { "id": id, "version": 2 } })).await;
    submitted.data()["submitAnnualReport"]["report"].clone()
}

/// Outlets for A and B (呼和浩特市), C (包头市) and D (乌海市), filed in March 2026.
async fn four_outlets(app: &TestApp, world: &mut World) -> (Vec<String>, String) {
    app.travel_to(world, "2026-03-02 09:00");
    let d = app.insert_institution("乌海市科技情报所", "150300", 40).await;
    app.insert_user("applicant.d", Role::Applicant, None, Some(d.id)).await;
    let outlets = file_outlets(app, world, &[world.a.clone(), world.b.clone(), world.c.clone(), d]).await;
    let d_token = app.token_for(app.user_by_name("applicant.d").await.id);
    (outlets, d_token)
}

#[tokio::test]
async fn compliance_counts_on_time_late_and_missing_across_the_deadline_in_china_time() {
    let app = spawn_app().await;
    let mut world = app.world().await;
    let (outlets, _) = four_outlets(&app, &mut world).await;
    // An outlet filed in 2027 owes nothing on 2026.
    app.travel_to(&mut world, "2027-01-05 09:00");
    let later = app.insert_institution("巴彦淖尔市图书馆", "150800", 41).await;
    let later_outlet = file_outlets(&app, &mut world, &[later]).await.remove(0);
    let reviewer_sees = create_report(&app, world.token(Persona::Reviewer), &later_outlet, 2026).await;
    reviewer_sees.error("FORBIDDEN");
    // Asked before any report, every owing outlet is missing. That answer is kept, and must
    // not outlive the reports below.
    let before = app.graphql_as(world.token(Persona::Reviewer), COMPLIANCE, json!({ "year": 2026 })).await;
    let rows = before.data()["annualReportCompliance"]["departments"].as_array().unwrap().clone();
    assert_eq!(rows.iter().map(|r| r["missing"].as_u64().unwrap()).sum::<u64>(), 4);

    // A on time; C at 23:00 on 31 January in Hohhot (15:00 UTC): on time.
    app.travel_to(&mut world, "2027-01-20 10:00");
    let a = report(&app, world.token(Persona::OwnApplicant), &outlets[0], 2026, 40).await;
    assert_eq!(a["late"], false);
    app.travel_to(&mut world, "2027-01-31 23:00");
    let c_token =
        app.token_for(app.insert_user("applicant.c", Role::Applicant, None, Some(world.c.id)).await.id);
    let c = report(&app, Some(&c_token), &outlets[2], 2026, 7).await;
    assert_eq!(c["late"], false);
    // B at 00:30 on 1 February in Hohhot, still 31 January in UTC: late.
    app.travel_to(&mut world, "2027-02-01 00:30");
    let b = report(&app, world.token(Persona::OtherApplicant), &outlets[1], 2026, 3).await;
    assert_eq!(b["submittedAt"].as_str().unwrap().get(..10), Some("2027-01-31"));
    assert_eq!(b["late"], true);
    // D never reports.

    let reply = app.graphql_as(world.token(Persona::Reviewer), COMPLIANCE, json!({ "year": 2026 })).await;
    let compliance = &reply.data()["annualReportCompliance"];
    assert_eq!(compliance["dueOn"], "2027-01-31");
    let rows: Vec<(String, u64, u64, u64, u64)> = compliance["departments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["department"]["name"].as_str().unwrap().to_owned(),
                r["owed"].as_u64().unwrap(),
                r["submittedOnTime"].as_u64().unwrap(),
                r["submittedLate"].as_u64().unwrap(),
                r["missing"].as_u64().unwrap(),
            )
        })
        .collect();
    eprintln!("Compliance on 2026, as of 2027-02-01 00:30 CST:");
    eprintln!("{:<12} owed on-time late missing", "department");
    for (name, owed, on_time, late, missing) in &rows {
        eprintln!("{name:<12} {owed:>4} {on_time:>7} {late:>4} {missing:>7}");
    }
    assert_eq!(rows.len(), 14);
    let row = |name: &str| rows.iter().find(|r| r.0 == name).cloned().unwrap();
    assert_eq!(row("呼和浩特市"), ("呼和浩特市".into(), 2, 1, 1, 0));
    assert_eq!(row("包头市"), ("包头市".into(), 1, 1, 0, 0));
    assert_eq!(row("乌海市"), ("乌海市".into(), 1, 0, 0, 1));
    assert_eq!(row("巴彦淖尔市"), ("巴彦淖尔市".into(), 0, 0, 0, 0));
    let totals = rows.iter().fold((0, 0, 0, 0), |t, r| (t.0 + r.1, t.1 + r.2, t.2 + r.3, t.3 + r.4));
    assert_eq!(totals, (4, 2, 1, 1));
    assert_eq!(compliance["overdue"], json!([{ "number": "NM-IPIS-2026-0004" }]));

    // A recommender sees its own department; an applicant sees none.
    let reply =
        app.graphql_as(world.token(Persona::OwnRecommender), COMPLIANCE, json!({ "year": 2026 })).await;
    let departments = &reply.data()["annualReportCompliance"]["departments"];
    assert_eq!(departments.as_array().unwrap().len(), 1);
    assert_eq!(departments[0]["department"]["code"], "150100");
    assert!(reply.data()["annualReportCompliance"]["overdue"].as_array().unwrap().is_empty());
    app.graphql_as(world.token(Persona::OwnApplicant), COMPLIANCE, json!({ "year": 2026 }))
        .await
        .error("FORBIDDEN");
}

#[tokio::test]
async fn a_report_is_owed_once_and_only_for_a_year_the_outlet_was_active() {
    let app = spawn_app().await;
    let mut world = app.world().await;
    let (outlets, _) = four_outlets(&app, &mut world).await;
    let token = world.token(Persona::OwnApplicant);
    create_report(&app, token, &outlets[0], 2026).await.data();
    create_report(&app, token, &outlets[0], 2026).await.error("CONFLICT");
    let before = create_report(&app, token, &outlets[0], 2025).await;
    assert_eq!(before.error("BAD_USER_INPUT")["field"], "input.year");
    let future = create_report(&app, token, &outlets[0], 2027).await;
    assert_eq!(future.error("BAD_USER_INPUT")["field"], "input.year");
    create_report(&app, token, &outlets[2], 2026).await.error("FORBIDDEN");
}

const FORWARD: &str = "mutation($input: ForwardDepartmentSummaryInput!) { forwardDepartmentSummary(input: $input) {
  summary { id version state reportCount totals { searches consultationsPhone trainingParticipants smesServed } narrative { achievements } } } }";

#[tokio::test]
async fn a_department_summary_carries_its_reports_and_their_sums() {
    let app = spawn_app().await;
    let mut world = app.world().await;
    let (outlets, _) = four_outlets(&app, &mut world).await;
    app.travel_to(&mut world, "2027-01-10 09:00");
    let a = report(&app, world.token(Persona::OwnApplicant), &outlets[0], 2026, 40).await;
    let b = report(&app, world.token(Persona::OtherApplicant), &outlets[1], 2026, 3).await;
    let recommender = world.token(Persona::OwnRecommender);

    // The bureau returns B with a comment; B fixes and resubmits.
    let ret = "mutation($input: ReportActionInput!) { returnAnnualReport(input: $input) { report { state version } } }";
    let reply = app
        .graphql_as(recommender, ret, json!({ "input": { "id": b["id"], "version": b["version"] } }))
        .await;
    assert_eq!(reply.error("BAD_USER_INPUT")["field"], "input.comment");
    let reply = app
        .graphql_as(
            recommender,
            ret,
            json!({ "input": { "id": b["id"], "version": b["version"], "comment": "请补充培训数据" } }),
        )
        .await;
    assert_eq!(reply.data()["returnAnnualReport"]["report"]["state"], "RETURNED");
    let resubmitted = app
        .graphql_as(
            world.token(Persona::OtherApplicant),
            SUBMIT,
            json!({ "input": { "id": b["id"], "version": 4 } }),
        )
        .await;
    assert_eq!(resubmitted.data()["submitAnnualReport"]["report"]["state"], "SUBMITTED");

    // Another department's bureau cannot forward 呼和浩特市's reports.
    let input = json!({ "input": { "departmentCode": "150100", "year": 2026, "narrative": { "achievements": "全市网点运行良好" } } });
    app.graphql_as(world.token(Persona::OtherRecommender), FORWARD, input.clone()).await.error("FORBIDDEN");
    let reply = app.graphql_as(recommender, FORWARD, input.clone()).await;
    let summary = reply.data()["forwardDepartmentSummary"]["summary"].clone();
    assert_eq!(summary["reportCount"], 2);
    assert_eq!(
        summary["totals"],
        json!({ "searches": 43, "consultationsPhone": 20, "trainingParticipants": 240, "smesServed": 30 })
    );
    assert_eq!(summary["narrative"]["achievements"], "全市网点运行良好");
    // Nothing left to forward.
    assert_eq!(
        app.graphql_as(recommender, FORWARD, input.clone()).await.error("BAD_USER_INPUT")["field"],
        "input.year"
    );

    // Returned by the region bureau: the reports come back; forwarded again and accepted.
    let decide = |name: &str| {
        format!(
            "mutation($input: ReportActionInput!) {{ {name}(input: $input) {{ summary {{ state version }} }} }}"
        )
    };
    let reviewer = world.token(Persona::Reviewer);
    let reply = app
        .graphql_as(
            reviewer,
            &decide("returnDepartmentSummary"),
            json!({ "input": { "id": summary["id"], "version": 1, "comment": "请核对检索数" } }),
        )
        .await;
    assert_eq!(reply.data()["returnDepartmentSummary"]["summary"]["state"], "RETURNED");
    let states = "query($id: ID!) { annualReport(id: $id) { state summaryId } }";
    assert_eq!(
        app.graphql_as(recommender, states, json!({ "id": a["id"] })).await.data()["annualReport"]["state"],
        "SUBMITTED"
    );
    let again = app.graphql_as(recommender, FORWARD, input).await;
    let again = again.data()["forwardDepartmentSummary"]["summary"].clone();
    let reply = app
        .graphql_as(
            reviewer,
            &decide("acceptDepartmentSummary"),
            json!({ "input": { "id": again["id"], "version": 1 } }),
        )
        .await;
    assert_eq!(reply.data()["acceptDepartmentSummary"]["summary"]["state"], "ACCEPTED");
    let accepted = app.graphql_as(world.token(Persona::OwnApplicant), states, json!({ "id": a["id"] })).await;
    assert_eq!(accepted.data()["annualReport"]["state"], "ACCEPTED");
}

const CHANGE: &str = "mutation($input: SubmitChangeReportInput!) { submitChangeReport(input: $input) {
  changeReport { id version state changes { field old new } } } }";
const PUBLISHED: &str = "{ publishedOutlets { edges { node { name address publicContact { name } } } } }";

fn change_step(name: &str) -> String {
    format!(
        "mutation($input: ReportActionInput!) {{ {name}(input: $input) {{ changeReport {{ state version }} }} }}"
    )
}

#[tokio::test]
async fn a_change_report_goes_through_the_bureau_and_updates_the_public_list_on_acceptance() {
    let app = spawn_app().await;
    let mut world = app.world().await;
    let (outlets, _) = four_outlets(&app, &mut world).await;
    let applicant = world.token(Persona::OwnApplicant);

    // Filed, the premises change only through a change report.
    let direct = "mutation($input: UpdateInstitutionInput!) { updateInstitution(input: $input) { institution { version } } }";
    let reply = app
        .graphql_as(
            applicant,
            direct,
            json!({ "input": { "id": world.a.id.to_string(), "version": 1, "address": "新址" } }),
        )
        .await;
    assert_eq!(reply.error("BAD_USER_INPUT")["field"], "input.address");

    let input = |version: i32| {
        json!({ "input": {
            "outletId": outlets[0], "institutionVersion": version, "reason": "搬迁新馆并更名",
            "name": "呼和浩特市图书馆（新馆）", "address": "如意和大街100号",
            "contact": { "name": "陈晨", "mobile": "13700000009" }
        } })
    };
    app.graphql_as(applicant, CHANGE, input(7)).await.error("CONFLICT");
    let reply = app.graphql_as(applicant, CHANGE, input(1)).await;
    let change = reply.data()["submitChangeReport"]["changeReport"].clone();
    assert_eq!(change["state"], "SUBMITTED");
    let fields: Vec<(&str, Option<&str>, Option<&str>)> = change["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["field"].as_str().unwrap(), c["old"].as_str(), c["new"].as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("name", Some("呼和浩特市图书馆"), Some("呼和浩特市图书馆（新馆）")),
            ("address", Some("新华大街1号"), Some("如意和大街100号")),
            ("contact.name", Some("李娜"), Some("陈晨")),
            ("contact.mobile", Some("13800000001"), Some("13700000009")),
            ("contact.email", Some("contact@example.cn"), None),
        ]
    );

    let id = change["id"].clone();
    app.graphql_as(
        world.token(Persona::OtherRecommender),
        &change_step("forwardChangeReport"),
        json!({ "input": { "id": id, "version": 1 } }),
    )
    .await
    .error("FORBIDDEN");
    app.graphql_as(
        world.token(Persona::OwnRecommender),
        &change_step("forwardChangeReport"),
        json!({ "input": { "id": id, "version": 1 } }),
    )
    .await
    .data();
    // Until accepted, the list shows the old values.
    let public = app.graphql(PUBLISHED, json!({})).await;
    assert_eq!(public.data()["publishedOutlets"]["edges"][0]["node"]["name"], "呼和浩特市图书馆");
    let reply = app
        .graphql_as(
            world.token(Persona::Reviewer),
            &change_step("acceptChangeReport"),
            json!({ "input": { "id": id, "version": 2 } }),
        )
        .await;
    assert_eq!(reply.data()["acceptChangeReport"]["changeReport"]["state"], "ACCEPTED");

    // Applied at once: the institution, the outlet on the public list, and a revision.
    let public = app.graphql(PUBLISHED, json!({})).await;
    let node = &public.data()["publishedOutlets"]["edges"][0]["node"];
    assert_eq!(node["name"], "呼和浩特市图书馆（新馆）");
    assert_eq!(node["address"], "如意和大街100号");
    assert_eq!(node["publicContact"]["name"], "陈晨");
    let institution = app
        .graphql_as(
            applicant,
            "query($id: ID!) { institution(id: $id) { name address version contact { mobile } } }",
            json!({ "id": world.a.id.to_string() }),
        )
        .await;
    assert_eq!(institution.data()["institution"]["version"], 2);
    assert_eq!(institution.data()["institution"]["contact"]["mobile"], "13700000009");
    let revisions = app
        .graphql_as(world.token(Persona::OwnRecommender), "query($id: ID!) { institutionRevisions(institutionId: $id) { institutionVersion changes { field old new } } }", json!({ "id": world.a.id.to_string() }))
        .await;
    let revision = &revisions.data()["institutionRevisions"][0];
    assert_eq!(revision["institutionVersion"], 1);
    assert_eq!(
        revision["changes"][0],
        json!({ "field": "name", "old": "呼和浩特市图书馆", "new": "呼和浩特市图书馆（新馆）" })
    );

    // A report made against the old version cannot be applied any more.
    let stale = app.graphql_as(applicant, CHANGE, json!({ "input": { "outletId": outlets[0], "institutionVersion": 2, "reason": "更换负责人", "principal": { "name": "刘伟" } } })).await;
    let stale_id = stale.data()["submitChangeReport"]["changeReport"]["id"].clone();
    let other = app.graphql_as(applicant, CHANGE, json!({ "input": { "outletId": outlets[0], "institutionVersion": 2, "reason": "网站", "address": "如意和大街101号" } })).await;
    let other_id = other.data()["submitChangeReport"]["changeReport"]["id"].clone();
    for change in [&stale_id, &other_id] {
        app.graphql_as(
            world.token(Persona::OwnRecommender),
            &change_step("forwardChangeReport"),
            json!({ "input": { "id": change, "version": 1 } }),
        )
        .await
        .data();
    }
    app.graphql_as(
        world.token(Persona::Reviewer),
        &change_step("acceptChangeReport"),
        json!({ "input": { "id": other_id, "version": 2 } }),
    )
    .await
    .data();
    let before = app.fingerprint().await;
    app.graphql_as(
        world.token(Persona::Reviewer),
        &change_step("acceptChangeReport"),
        json!({ "input": { "id": stale_id, "version": 2 } }),
    )
    .await
    .error("CONFLICT");
    assert_eq!(app.fingerprint().await, before);
    let reply = app
        .graphql_as(
            world.token(Persona::Reviewer),
            &change_step("rejectChangeReport"),
            json!({ "input": { "id": stale_id, "version": 2, "comment": "请按最新信息重新报备" } }),
        )
        .await;
    assert_eq!(reply.data()["rejectChangeReport"]["changeReport"]["state"], "REJECTED");
}

#[tokio::test]
async fn report_attachments_are_checked_frozen_once_submitted_and_served_in_scope() {
    let app = spawn_app().await;
    let mut world = app.world().await;
    let (outlets, _) = four_outlets(&app, &mut world).await;
    let applicant = world.token(Persona::OwnApplicant);
    let created = create_report(&app, applicant, &outlets[0], 2026).await;
    let id = created.data()["createAnnualReport"]["report"]["id"].clone();

    let refused = app.upload_to_report(applicant, &id, 1, "总结.pdf", b"#!/bin/sh\nrm -rf /\n").await;
    assert_eq!(refused.error("BAD_USER_INPUT")["field"], "input.file");
    let reply = app.upload_to_report(applicant, &id, 1, "年度总结.pdf", crate::helpers::PDF).await;
    let attachment = reply.data()["uploadAnnualReportAttachment"]["attachment"].clone();
    assert_eq!(attachment["mediaType"], "application/pdf");
    assert_eq!(reply.data()["uploadAnnualReportAttachment"]["report"]["version"], 2);

    let url = format!("{}{}", app.address, attachment["url"].as_str().unwrap());
    for (persona, status) in [
        (Persona::OwnApplicant, 200),
        (Persona::OwnRecommender, 200),
        (Persona::Reviewer, 200),
        (Persona::OtherApplicant, 403),
        (Persona::OtherRecommender, 403),
    ] {
        let response = app.client.get(&url).bearer_auth(world.token(persona).unwrap()).send().await.unwrap();
        assert_eq!(response.status(), status, "{persona:?}");
    }

    app.graphql_as(applicant, SUBMIT, json!({ "input": { "id": id, "version": 2 } })).await.data();
    let late = app.upload_to_report(applicant, &id, 3, "补充.pdf", crate::helpers::PDF).await;
    late.error("INVALID_TRANSITION");
    let listed = app
        .graphql_as(
            world.token(Persona::OwnRecommender),
            "query($id: ID!) { annualReport(id: $id) { attachments { fileName } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(listed.data()["annualReport"]["attachments"], json!([{ "fileName": "年度总结.pdf" }]));
}
