//! Annual reports (年度工作总结, Art 17): an outlet's report on a year and its attachments.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject, Upload};
use chrono::{DateTime, NaiveDate, Utc};
use entity::{annual_report, report_attachment, sea_orm_active_enums as db};

use super::{Figures, Narrative, ReportActionInput};
use crate::domain::workflow::report::ReportAction;
use crate::error::AppError;
use crate::graphql::connection::{Conn, connection, page_complexity, page_request};
use crate::graphql::inputs::{optional_year, read_upload, row_id, year};
use crate::graphql::loaders::{ReportAttachmentsOf, load};
use crate::graphql::shared::{FileColumns, StoredFile};
use crate::graphql::{request, run_step, state};
use crate::service::annual_reports::{self, ReportFilter, due_date};

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
        self.0.figures.0.into()
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
        let rows = load(ctx, ReportAttachmentsOf(self.0.id)).await?;
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
        Self { file: a.stored_file("/files/reports") }
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

/// The report after a step.
#[derive(SimpleObject)]
pub struct AnnualReportPayload {
    report: AnnualReport,
}

impl From<annual_report::Model> for AnnualReportPayload {
    fn from(report: annual_report::Model) -> Self {
        Self { report: AnnualReport(report) }
    }
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

/// Annual reports.
#[derive(Default)]
pub struct AnnualReportQuery;

#[Object]
impl AnnualReportQuery {
    /// One annual report in the caller's scope.
    async fn annual_report(&self, ctx: &Context<'_>, id: ID) -> Result<AnnualReport, AppError> {
        let id = row_id("id", &id)?;
        Ok(AnnualReport(annual_reports::get(state(ctx)?, request(ctx)?, id).await?))
    }

    /// Annual reports in the caller's scope.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
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
            year: optional_year("filter.year", filter.year)?,
            state: filter.state.map(Into::into),
            department_code: filter.department_code,
            outlet_id: filter.outlet_id.as_ref().map(|id| row_id("filter.outletId", id)).transpose()?,
            summary_id: filter.summary_id.as_ref().map(|id| row_id("filter.summaryId", id)).transpose()?,
        };
        let rows = annual_reports::list(state(ctx)?, request(ctx)?, filter, page).await?;
        Ok(connection(rows, |r| r.id, AnnualReport))
    }
}

/// Annual reports and their workflow.
#[derive(Default)]
pub struct AnnualReportMutation;

#[Object]
impl AnnualReportMutation {
    /// Opens an outlet's report on a year it was active in.
    async fn create_annual_report(
        &self,
        ctx: &Context<'_>,
        input: CreateAnnualReportInput,
    ) -> Result<AnnualReportPayload, AppError> {
        let outlet_id = row_id("input.outletId", &input.outlet_id)?;
        Ok(annual_reports::create(state(ctx)?, request(ctx)?, outlet_id, year("input.year", input.year)?)
            .await?
            .into())
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
        Ok(annual_reports::update(state(ctx)?, request(ctx)?, id, input.version, figures, narrative)
            .await?
            .into())
    }

    /// Submits a report to the league/city bureau; after 31 January it is flagged late.
    async fn submit_annual_report(
        &self,
        ctx: &Context<'_>,
        input: ReportActionInput,
    ) -> Result<AnnualReportPayload, AppError> {
        run_step(ctx, input.parse()?, ReportAction::Submit, annual_reports::act).await
    }

    /// Attaches a file (PDF, OFD, DOC, DOCX, JPEG or PNG) to a draft or returned report.
    async fn upload_annual_report_attachment(
        &self,
        ctx: &Context<'_>,
        input: UploadAnnualReportAttachmentInput,
    ) -> Result<UploadAnnualReportAttachmentPayload, AppError> {
        let id = row_id("input.reportId", &input.report_id)?;
        let new = read_upload(ctx, &input.file).await?;
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
        Ok(annual_reports::detach(state(ctx)?, request(ctx)?, id, input.version).await?.into())
    }

    /// Returns a submitted report to its outlet (comment required).
    async fn return_annual_report(
        &self,
        ctx: &Context<'_>,
        input: ReportActionInput,
    ) -> Result<AnnualReportPayload, AppError> {
        run_step(ctx, input.parse()?, ReportAction::Return, annual_reports::act).await
    }
}
