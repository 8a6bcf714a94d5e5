//! The GraphQL face of annual reports (Art 17) and change reports (Art 10): types,
//! inputs, and their query and mutation roots.

use async_graphql::Upload;
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use entity::json::{ChangeSet, PersonEntry, ReportFigures, ReportNarrative};
use entity::{
    annual_report, change_report, department_summary, institution_revision, report_attachment,
    sea_orm_active_enums as db,
};

use crate::domain::text::Text;
use crate::domain::workflow::change::ChangeAction;
use crate::domain::workflow::report::ReportAction;
use crate::domain::workflow::summary::SummaryAction;
use crate::error::AppError;
use crate::graphql::connection::{Conn, connection, page_request};
use crate::graphql::inputs::{ContactInput, PrincipalInput, ServiceItemInput, read_upload, row_id};
use crate::graphql::loaders::ReportAttachmentsOf;
use crate::graphql::types::{Department, Outlet, StoredFile};
use crate::graphql::{request, state};
use crate::service::annual_reports::{self, ReportFilter, due_date};
use crate::service::attachments::NewAttachment;
use crate::service::change_reports::{self, ChangeFilter, field_changes};
use crate::service::{compliance, summaries};

/// 年度报告状态 — where an annual report stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::ReportState")]
pub enum ReportState {
    /// 草稿.
    Draft,
    /// 已报送 — waiting for the league/city bureau.
    Submitted,
    /// 已退回 — returned for changes.
    Returned,
    /// 已汇总报送 — in a department summary awaiting the region bureau.
    Forwarded,
    /// 已接收 — accepted by the region bureau.
    Accepted,
}

/// 汇总状态 — where a department summary stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::SummaryState")]
pub enum SummaryState {
    /// 已报送 — awaiting the region bureau.
    Forwarded,
    /// 已接收.
    Accepted,
    /// 已退回 — its reports are back with the bureau.
    Returned,
}

/// 变更报备状态 — where a change report stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::ChangeState")]
pub enum ChangeState {
    /// 已提交 — waiting for the league/city bureau.
    Submitted,
    /// 已转报 — forwarded to the region bureau.
    Forwarded,
    /// 已退回.
    Returned,
    /// 已同意 — applied.
    Accepted,
    /// 不予同意.
    Rejected,
}

/// The figures of an annual report: counts for the year (Art 17). Also a department's totals.
#[derive(SimpleObject, InputObject, Debug, Clone, Copy, Default)]
#[graphql(input_name = "ReportFiguresInput")]
pub struct Figures {
    /// 咨询服务 by telephone, online and at the window.
    pub consultations_phone: i32,
    pub consultations_online: i32,
    pub consultations_window: i32,
    /// 检索服务.
    pub searches: i32,
    /// 检索分析报告, key-industry ones not included.
    pub analysis_reports: i32,
    /// 重点产业分析报告.
    pub key_industry_reports: i32,
    /// 培训 sessions and participants.
    pub training_sessions: i32,
    pub training_participants: i32,
    /// 宣传活动 and participants.
    pub publicity_events: i32,
    pub publicity_participants: i32,
    /// 服务中小微企业.
    pub smes_served: i32,
    /// Users served online and offline.
    pub online_users: i32,
    pub offline_users: i32,
    /// Staff at year end.
    pub full_time_staff: i32,
    pub part_time_staff: i32,
    pub databases_and_tools: i32,
}

fn clamp(value: i64) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

impl From<ReportFigures> for Figures {
    fn from(f: ReportFigures) -> Self {
        Self {
            consultations_phone: clamp(f.consultations_phone),
            consultations_online: clamp(f.consultations_online),
            consultations_window: clamp(f.consultations_window),
            searches: clamp(f.searches),
            analysis_reports: clamp(f.analysis_reports),
            key_industry_reports: clamp(f.key_industry_reports),
            training_sessions: clamp(f.training_sessions),
            training_participants: clamp(f.training_participants),
            publicity_events: clamp(f.publicity_events),
            publicity_participants: clamp(f.publicity_participants),
            smes_served: clamp(f.smes_served),
            online_users: clamp(f.online_users),
            offline_users: clamp(f.offline_users),
            full_time_staff: clamp(f.full_time_staff),
            part_time_staff: clamp(f.part_time_staff),
            databases_and_tools: clamp(f.databases_and_tools),
        }
    }
}

impl Figures {
    /// # Errors
    /// `BAD_USER_INPUT` naming the first negative count.
    fn parse(self) -> Result<ReportFigures, AppError> {
        let counts = [
            ("consultationsPhone", self.consultations_phone),
            ("consultationsOnline", self.consultations_online),
            ("consultationsWindow", self.consultations_window),
            ("searches", self.searches),
            ("analysisReports", self.analysis_reports),
            ("keyIndustryReports", self.key_industry_reports),
            ("trainingSessions", self.training_sessions),
            ("trainingParticipants", self.training_participants),
            ("publicityEvents", self.publicity_events),
            ("publicityParticipants", self.publicity_participants),
            ("smesServed", self.smes_served),
            ("onlineUsers", self.online_users),
            ("offlineUsers", self.offline_users),
            ("fullTimeStaff", self.full_time_staff),
            ("partTimeStaff", self.part_time_staff),
            ("databasesAndTools", self.databases_and_tools),
        ];
        if let Some((name, _)) = counts.iter().find(|(_, v)| *v < 0) {
            return Err(AppError::invalid(format!("input.figures.{name}"), "must not be negative"));
        }
        Ok(ReportFigures {
            consultations_phone: self.consultations_phone.into(),
            consultations_online: self.consultations_online.into(),
            consultations_window: self.consultations_window.into(),
            searches: self.searches.into(),
            analysis_reports: self.analysis_reports.into(),
            key_industry_reports: self.key_industry_reports.into(),
            training_sessions: self.training_sessions.into(),
            training_participants: self.training_participants.into(),
            publicity_events: self.publicity_events.into(),
            publicity_participants: self.publicity_participants.into(),
            smes_served: self.smes_served.into(),
            online_users: self.online_users.into(),
            offline_users: self.offline_users.into(),
            full_time_staff: self.full_time_staff.into(),
            part_time_staff: self.part_time_staff.into(),
            databases_and_tools: self.databases_and_tools.into(),
        })
    }
}

/// The narrative of a report or summary.
#[derive(SimpleObject, InputObject, Debug, Clone, Default)]
#[graphql(input_name = "NarrativeInput")]
pub struct Narrative {
    /// 工作成效.
    pub achievements: Option<String>,
    /// 典型案例.
    pub typical_cases: Option<String>,
    /// 存在问题.
    pub problems: Option<String>,
    /// 下一年度工作计划.
    pub next_year_plan: Option<String>,
}

impl From<ReportNarrative> for Narrative {
    fn from(n: ReportNarrative) -> Self {
        Self {
            achievements: n.achievements,
            typical_cases: n.typical_cases,
            problems: n.problems,
            next_year_plan: n.next_year_plan,
        }
    }
}

impl Narrative {
    fn parse(self, path: &str) -> Result<ReportNarrative, AppError> {
        let part = |name: &str, value: Option<String>| {
            value
                .filter(|v| !v.trim().is_empty())
                .map(|v| {
                    Text::<10_000>::parse(&v)
                        .map(Text::into_inner)
                        .map_err(|e| AppError::invalid(format!("{path}.{name}"), e.0))
                })
                .transpose()
        };
        Ok(ReportNarrative {
            achievements: part("achievements", self.achievements)?,
            typical_cases: part("typicalCases", self.typical_cases)?,
            problems: part("problems", self.problems)?,
            next_year_plan: part("nextYearPlan", self.next_year_plan)?,
        })
    }
}

/// An outlet's report on a year (年度工作总结, Art 17).
pub struct AnnualReport(pub annual_report::Model);

#[Object]
impl AnnualReport {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn outlet_id(&self) -> ID {
        self.0.outlet_id.into()
    }
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// 31 January of the next year (China Standard Time, until 23:59:59).
    async fn due_on(&self) -> NaiveDate {
        due_date(self.0.year)
    }
    async fn state(&self) -> ReportState {
        self.0.state.into()
    }
    /// First submitted after the deadline.
    async fn late(&self) -> bool {
        self.0.late
    }
    async fn submitted_at(&self) -> Option<DateTime<Utc>> {
        self.0.submitted_at
    }
    async fn figures(&self) -> Figures {
        self.0.figures.into()
    }
    async fn narrative(&self) -> Narrative {
        self.0.narrative.clone().into()
    }
    async fn department_code(&self) -> &str {
        &self.0.department_code
    }
    async fn summary_id(&self) -> Option<ID> {
        self.0.summary_id.map(ID::from)
    }
    async fn attachments(&self, ctx: &Context<'_>) -> Result<Vec<ReportAttachment>, AppError> {
        let loaders = ctx
            .data::<crate::graphql::loaders::Loaders>()
            .map_err(|_| AppError::Internal(anyhow::anyhow!("loaders missing from the request")))?;
        let rows = loaders
            .load_one(ReportAttachmentsOf(self.0.id))
            .await
            .map_err(crate::graphql::types::load_failed)?;
        Ok(rows.unwrap_or_default().into_iter().map(ReportAttachment::from).collect())
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A file attached to an annual report.
#[derive(SimpleObject)]
pub struct ReportAttachment {
    #[graphql(flatten)]
    pub file: StoredFile,
}

impl From<report_attachment::Model> for ReportAttachment {
    fn from(a: report_attachment::Model) -> Self {
        let url = format!("/files/reports/{}", a.id);
        Self {
            file: StoredFile {
                id: a.id.into(),
                file_name: a.file_name,
                media_type: a.media_type,
                size_bytes: a.size_bytes,
                sha256: a.sha256,
                created_at: a.created_at,
                url,
            },
        }
    }
}

/// A league/city bureau's summary of its outlets' reports on a year (Art 17).
pub struct DepartmentSummary(pub department_summary::Model);

#[Object]
impl DepartmentSummary {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn department(&self, ctx: &Context<'_>) -> Result<Option<Department>, AppError> {
        Ok(state(ctx)?.departments.get(&self.0.department_code).cloned().map(Department))
    }
    async fn year(&self) -> i32 {
        self.0.year
    }
    async fn state(&self) -> SummaryState {
        self.0.state.into()
    }
    /// The sums of its reports' figures.
    async fn totals(&self) -> Figures {
        self.0.totals.into()
    }
    async fn report_count(&self) -> i32 {
        self.0.report_count
    }
    /// The bureau's own narrative.
    async fn narrative(&self) -> Narrative {
        self.0.narrative.clone().into()
    }
    async fn forwarded_at(&self) -> DateTime<Utc> {
        self.0.forwarded_at
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// One department's reporting on a year.
#[derive(SimpleObject)]
pub struct DepartmentCompliance {
    pub department: Option<Department>,
    /// Outlets active at any time in the year.
    pub owed: u32,
    pub submitted_on_time: u32,
    pub submitted_late: u32,
    /// Owed and never submitted.
    pub missing: u32,
}

/// Reporting compliance on a year.
#[derive(SimpleObject)]
pub struct AnnualReportCompliance {
    pub year: i32,
    pub due_on: NaiveDate,
    pub departments: Vec<DepartmentCompliance>,
    /// Outlets past the deadline with no report submitted.
    pub overdue: Vec<Outlet>,
}

/// A changed field, old and new.
#[derive(SimpleObject)]
pub struct FieldChange {
    /// e.g. `name`, `address`, `principal.phone`, `serviceItems`.
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// A report of changed outlet data (变更报备, Art 10).
pub struct ChangeReport(pub change_report::Model);

#[Object]
impl ChangeReport {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn outlet_id(&self) -> ID {
        self.0.outlet_id.into()
    }
    async fn state(&self) -> ChangeState {
        self.0.state.into()
    }
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// Each changed field with its value before and after.
    async fn changes(&self) -> Vec<FieldChange> {
        field_changes(&self.0.before, &self.0.after)
            .into_iter()
            .map(|c| FieldChange { field: c.field, old: c.old, new: c.new })
            .collect()
    }
    /// The institution's version the report was made against.
    async fn institution_version(&self) -> i32 {
        self.0.institution_version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// The values an accepted change report replaced.
pub struct InstitutionRevision(pub institution_revision::Model);

#[Object]
impl InstitutionRevision {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn change_report_id(&self) -> ID {
        self.0.change_report_id.into()
    }
    /// The institution's version before the change.
    async fn institution_version(&self) -> i32 {
        self.0.institution_version
    }
    /// Each field as it was and as it became.
    async fn changes(&self) -> Vec<FieldChange> {
        field_changes(&self.0.previous, &self.0.current)
            .into_iter()
            .map(|c| FieldChange { field: c.field, old: c.old, new: c.new })
            .collect()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// Which reports to list.
#[derive(InputObject, Default)]
pub struct AnnualReportFilterInput {
    pub year: Option<i32>,
    pub state: Option<ReportState>,
    pub department_code: Option<String>,
    pub outlet_id: Option<ID>,
    pub summary_id: Option<ID>,
}

/// Which change reports to list.
#[derive(InputObject, Default)]
pub struct ChangeReportFilterInput {
    pub state: Option<ChangeState>,
    pub outlet_id: Option<ID>,
}

/// Annual and change reports.
#[derive(Default)]
pub struct ReportQuery;

#[Object]
impl ReportQuery {
    /// One annual report in the caller's scope.
    async fn annual_report(&self, ctx: &Context<'_>, id: ID) -> Result<AnnualReport, AppError> {
        let id = row_id("id", &id)?;
        Ok(AnnualReport(annual_reports::get(state(ctx)?, request(ctx)?, id).await?))
    }

    /// Annual reports in the caller's scope.
    #[graphql(complexity = "first.or(last).unwrap_or(20).max(0) as usize * child_complexity")]
    async fn annual_reports(
        &self,
        ctx: &Context<'_>,
        filter: Option<AnnualReportFilterInput>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<Conn<AnnualReport>, AppError> {
        let page = page_request(ctx, after, before, first, last)?;
        let filter = filter.unwrap_or_default();
        let filter = ReportFilter {
            year: filter.year,
            state: filter.state.map(Into::into),
            department_code: filter.department_code,
            outlet_id: filter.outlet_id.as_ref().map(|id| row_id("filter.outletId", id)).transpose()?,
            summary_id: filter.summary_id.as_ref().map(|id| row_id("filter.summaryId", id)).transpose()?,
        };
        let rows = annual_reports::list(state(ctx)?, request(ctx)?, filter, page).await?;
        Ok(connection(rows, |r| r.id, AnnualReport))
    }

    /// Department summaries in the caller's scope.
    #[graphql(complexity = "first.or(last).unwrap_or(20).max(0) as usize * child_complexity")]
    async fn department_summaries(
        &self,
        ctx: &Context<'_>,
        year: Option<i32>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<Conn<DepartmentSummary>, AppError> {
        let page = page_request(ctx, after, before, first, last)?;
        let rows = summaries::list(state(ctx)?, request(ctx)?, year, page).await?;
        Ok(connection(rows, |s| s.id, DepartmentSummary))
    }

    /// Who has reported on `year`: owed, on time, late and missing per department, and the
    /// overdue outlets. A recommender sees its department, a reviewer all.
    async fn annual_report_compliance(
        &self,
        ctx: &Context<'_>,
        year: i32,
    ) -> Result<AnnualReportCompliance, AppError> {
        let state = state(ctx)?;
        let (rows, overdue) = compliance::of_year(state, request(ctx)?, year).await?;
        Ok(AnnualReportCompliance {
            year,
            due_on: due_date(year),
            departments: rows
                .into_iter()
                .map(|r| DepartmentCompliance {
                    department: state.departments.get(&r.department_code).cloned().map(Department),
                    owed: r.owed,
                    submitted_on_time: r.on_time,
                    submitted_late: r.late,
                    missing: r.missing,
                })
                .collect(),
            overdue: overdue.into_iter().map(Outlet).collect(),
        })
    }

    /// Change reports in the caller's scope.
    #[graphql(complexity = "first.or(last).unwrap_or(20).max(0) as usize * child_complexity")]
    async fn change_reports(
        &self,
        ctx: &Context<'_>,
        filter: Option<ChangeReportFilterInput>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<Conn<ChangeReport>, AppError> {
        let page = page_request(ctx, after, before, first, last)?;
        let filter = filter.unwrap_or_default();
        let filter = ChangeFilter {
            state: filter.state.map(Into::into),
            outlet_id: filter.outlet_id.as_ref().map(|id| row_id("filter.outletId", id)).transpose()?,
        };
        let rows = change_reports::list(state(ctx)?, request(ctx)?, filter, page).await?;
        Ok(connection(rows, |r| r.id, ChangeReport))
    }

    /// The revisions accepted change reports left on an institution, oldest first.
    async fn institution_revisions(
        &self,
        ctx: &Context<'_>,
        institution_id: ID,
    ) -> Result<Vec<InstitutionRevision>, AppError> {
        let id = row_id("institutionId", &institution_id)?;
        let rows = change_reports::revisions(state(ctx)?, request(ctx)?, id).await?;
        Ok(rows.into_iter().map(InstitutionRevision).collect())
    }
}

/// A new annual report.
#[derive(InputObject)]
pub struct CreateAnnualReportInput {
    pub outlet_id: ID,
    pub year: i32,
}

/// Changes to a draft or returned report.
#[derive(InputObject)]
pub struct UpdateAnnualReportInput {
    pub id: ID,
    pub version: i32,
    pub figures: Option<Figures>,
    pub narrative: Option<Narrative>,
}

/// A step on a report, summary or change report.
#[derive(InputObject)]
pub struct ReportActionInput {
    pub id: ID,
    pub version: i32,
    /// Required to return or reject.
    pub comment: Option<String>,
}

impl ReportActionInput {
    fn parse(self) -> Result<(i64, i32, Option<crate::domain::text::Prose>), AppError> {
        let id = row_id("input.id", &self.id)?;
        let comment = self
            .comment
            .filter(|c| !c.trim().is_empty())
            .map(|c| Text::parse(&c).map_err(|e| AppError::invalid("input.comment", e.0)))
            .transpose()?;
        Ok((id, self.version, comment))
    }
}

/// A department summary to forward.
#[derive(InputObject)]
pub struct ForwardDepartmentSummaryInput {
    pub department_code: String,
    pub year: i32,
    /// The bureau's own narrative.
    pub narrative: Option<Narrative>,
}

/// A change of outlet data (Art 10). Give only what changes.
#[derive(InputObject)]
pub struct SubmitChangeReportInput {
    pub outlet_id: ID,
    /// The institution's version read; a stale one gets `CONFLICT`.
    pub institution_version: i32,
    pub reason: String,
    pub name: Option<String>,
    /// Premises address.
    pub address: Option<String>,
    pub principal: Option<PrincipalInput>,
    pub contact: Option<ContactInput>,
    /// The main service items, replacing the current list.
    pub service_items: Option<Vec<ServiceItemInput>>,
}

fn person(p: crate::domain::institution::Person) -> PersonEntry {
    PersonEntry {
        name: p.name.into_inner(),
        title: p.title.map(Text::into_inner),
        phone: p.phone.map(|x| x.into_inner()),
        mobile: p.mobile.map(|x| x.into_inner()),
        email: p.email.map(|x| x.into_inner()),
    }
}

impl SubmitChangeReportInput {
    fn parse(self) -> Result<(i64, i32, crate::domain::text::Prose, ChangeSet), AppError> {
        let outlet_id = row_id("input.outletId", &self.outlet_id)?;
        let reason = Text::parse(&self.reason).map_err(|e| AppError::invalid("input.reason", e.0))?;
        let name = self
            .name
            .map(|n| {
                crate::domain::text::Name::parse(&n)
                    .map(Text::into_inner)
                    .map_err(|e| AppError::invalid("input.name", e.0))
            })
            .transpose()?;
        let address = self
            .address
            .map(|a| {
                crate::domain::text::Line::parse(&a)
                    .map(Text::into_inner)
                    .map_err(|e| AppError::invalid("input.address", e.0))
            })
            .transpose()?;
        let principal = self.principal.map(|p| p.parse("input.principal")).transpose()?.map(person);
        let contact = self.contact.map(|c| c.parse("input.contact")).transpose()?.map(person);
        let service_items = self
            .service_items
            .map(|items| {
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| {
                        item.parse(&format!("input.serviceItems[{i}]")).and_then(|v| {
                            crate::db::mapping::document(&crate::domain::form::ServiceItemEntry::from(&v))
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        Ok((
            outlet_id,
            self.institution_version,
            reason,
            ChangeSet { name, address, principal, contact, service_items },
        ))
    }
}

/// The report after a step.
#[derive(SimpleObject)]
pub struct AnnualReportPayload {
    report: AnnualReport,
}

/// A file to attach to a report (GraphQL multipart request).
#[derive(InputObject)]
pub struct UploadAnnualReportAttachmentInput {
    pub report_id: ID,
    pub version: i32,
    pub file: Upload,
}

/// A report attachment to remove.
#[derive(InputObject)]
pub struct RemoveAnnualReportAttachmentInput {
    pub attachment_id: ID,
    /// The report's version.
    pub version: i32,
}

/// The report and the file attached to it.
#[derive(SimpleObject)]
pub struct UploadAnnualReportAttachmentPayload {
    report: AnnualReport,
    attachment: ReportAttachment,
}

/// The summary after a step.
#[derive(SimpleObject)]
pub struct DepartmentSummaryPayload {
    summary: DepartmentSummary,
}

/// The change report after a step.
#[derive(SimpleObject)]
pub struct ChangeReportPayload {
    change_report: ChangeReport,
}

/// Annual and change reports.
#[derive(Default)]
pub struct ReportMutation;

impl ReportMutation {
    async fn report_step(
        ctx: &Context<'_>,
        input: ReportActionInput,
        action: ReportAction,
    ) -> Result<AnnualReportPayload, AppError> {
        let (id, version, comment) = input.parse()?;
        let report = annual_reports::act(state(ctx)?, request(ctx)?, id, version, action, comment).await?;
        Ok(AnnualReportPayload { report: AnnualReport(report) })
    }

    async fn summary_step(
        ctx: &Context<'_>,
        input: ReportActionInput,
        action: SummaryAction,
    ) -> Result<DepartmentSummaryPayload, AppError> {
        let (id, version, comment) = input.parse()?;
        let summary = summaries::decide(state(ctx)?, request(ctx)?, id, version, action, comment).await?;
        Ok(DepartmentSummaryPayload { summary: DepartmentSummary(summary) })
    }

    async fn change_step(
        ctx: &Context<'_>,
        input: ReportActionInput,
        action: ChangeAction,
    ) -> Result<ChangeReportPayload, AppError> {
        let (id, version, comment) = input.parse()?;
        let report = change_reports::act(state(ctx)?, request(ctx)?, id, version, action, comment).await?;
        Ok(ChangeReportPayload { change_report: ChangeReport(report) })
    }
}

#[Object]
impl ReportMutation {
    /// Opens an outlet's report on a year it was active in.
    async fn create_annual_report(
        &self,
        ctx: &Context<'_>,
        input: CreateAnnualReportInput,
    ) -> Result<AnnualReportPayload, AppError> {
        let outlet_id = row_id("input.outletId", &input.outlet_id)?;
        let report = annual_reports::create(state(ctx)?, request(ctx)?, outlet_id, input.year).await?;
        Ok(AnnualReportPayload { report: AnnualReport(report) })
    }

    /// Changes a draft or returned report's figures or narrative.
    async fn update_annual_report(
        &self,
        ctx: &Context<'_>,
        input: UpdateAnnualReportInput,
    ) -> Result<AnnualReportPayload, AppError> {
        let id = row_id("input.id", &input.id)?;
        let figures = input.figures.map(Figures::parse).transpose()?;
        let narrative = input.narrative.map(|n| n.parse("input.narrative")).transpose()?;
        let report =
            annual_reports::update(state(ctx)?, request(ctx)?, id, input.version, figures, narrative).await?;
        Ok(AnnualReportPayload { report: AnnualReport(report) })
    }

    /// Submits a report to the league/city bureau; after 31 January it is flagged late.
    async fn submit_annual_report(
        &self,
        ctx: &Context<'_>,
        input: ReportActionInput,
    ) -> Result<AnnualReportPayload, AppError> {
        Self::report_step(ctx, input, ReportAction::Submit).await
    }

    /// Attaches a file (PDF, OFD, DOC, DOCX, JPEG or PNG) to a draft or returned report.
    async fn upload_annual_report_attachment(
        &self,
        ctx: &Context<'_>,
        input: UploadAnnualReportAttachmentInput,
    ) -> Result<UploadAnnualReportAttachmentPayload, AppError> {
        let id = row_id("input.reportId", &input.report_id)?;
        let (file_name, content) = read_upload(ctx, &input.file).await?;
        let new = NewAttachment { file_name, content };
        let (report, attachment) =
            annual_reports::attach(state(ctx)?, request(ctx)?, id, input.version, new).await?;
        Ok(UploadAnnualReportAttachmentPayload {
            report: AnnualReport(report),
            attachment: ReportAttachment::from(attachment),
        })
    }

    /// Removes an attachment from a draft or returned report.
    async fn remove_annual_report_attachment(
        &self,
        ctx: &Context<'_>,
        input: RemoveAnnualReportAttachmentInput,
    ) -> Result<AnnualReportPayload, AppError> {
        let id = row_id("input.attachmentId", &input.attachment_id)?;
        let report = annual_reports::detach(state(ctx)?, request(ctx)?, id, input.version).await?;
        Ok(AnnualReportPayload { report: AnnualReport(report) })
    }

    /// Returns a submitted report to its outlet (comment required).
    async fn return_annual_report(
        &self,
        ctx: &Context<'_>,
        input: ReportActionInput,
    ) -> Result<AnnualReportPayload, AppError> {
        Self::report_step(ctx, input, ReportAction::Return).await
    }

    /// Forwards the department's submitted reports on a year in a summary with their sums.
    async fn forward_department_summary(
        &self,
        ctx: &Context<'_>,
        input: ForwardDepartmentSummaryInput,
    ) -> Result<DepartmentSummaryPayload, AppError> {
        let narrative = input.narrative.unwrap_or_default().parse("input.narrative")?;
        let summary = summaries::forward(
            state(ctx)?,
            request(ctx)?,
            input.department_code.trim(),
            input.year,
            narrative,
        )
        .await?;
        Ok(DepartmentSummaryPayload { summary: DepartmentSummary(summary) })
    }

    /// Accepts a department summary and its reports.
    async fn accept_department_summary(
        &self,
        ctx: &Context<'_>,
        input: ReportActionInput,
    ) -> Result<DepartmentSummaryPayload, AppError> {
        Self::summary_step(ctx, input, SummaryAction::Accept).await
    }

    /// Returns a department summary; its reports go back to the bureau (comment required).
    async fn return_department_summary(
        &self,
        ctx: &Context<'_>,
        input: ReportActionInput,
    ) -> Result<DepartmentSummaryPayload, AppError> {
        Self::summary_step(ctx, input, SummaryAction::Return).await
    }

    /// Reports a change of an outlet's name, premises, principal, contact or service items.
    async fn submit_change_report(
        &self,
        ctx: &Context<'_>,
        input: SubmitChangeReportInput,
    ) -> Result<ChangeReportPayload, AppError> {
        let (outlet_id, version, reason, changes) = input.parse()?;
        let report =
            change_reports::submit(state(ctx)?, request(ctx)?, outlet_id, version, reason, changes).await?;
        Ok(ChangeReportPayload { change_report: ChangeReport(report) })
    }

    /// Forwards a change report to the region bureau.
    async fn forward_change_report(
        &self,
        ctx: &Context<'_>,
        input: ReportActionInput,
    ) -> Result<ChangeReportPayload, AppError> {
        Self::change_step(ctx, input, ChangeAction::Forward).await
    }

    /// Returns a change report to the outlet (comment required).
    async fn return_change_report(
        &self,
        ctx: &Context<'_>,
        input: ReportActionInput,
    ) -> Result<ChangeReportPayload, AppError> {
        Self::change_step(ctx, input, ChangeAction::Return).await
    }

    /// Accepts a change report: the institution and the outlet take the new values at
    /// once, the old ones are kept as a revision.
    async fn accept_change_report(
        &self,
        ctx: &Context<'_>,
        input: ReportActionInput,
    ) -> Result<ChangeReportPayload, AppError> {
        Self::change_step(ctx, input, ChangeAction::Accept).await
    }

    /// Rejects a change report (comment required).
    async fn reject_change_report(
        &self,
        ctx: &Context<'_>,
        input: ReportActionInput,
    ) -> Result<ChangeReportPayload, AppError> {
        Self::change_step(ctx, input, ChangeAction::Reject).await
    }
}
