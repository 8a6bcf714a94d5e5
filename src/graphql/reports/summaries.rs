//! Department summaries: a league/city bureau's summary of its outlets' annual reports on
//! a year, forwarded to the region bureau (Art 17).

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{department_summary, sea_orm_active_enums as db};

use super::{Figures, Narrative, ReportActionInput};
use crate::domain::workflow::summary::SummaryAction;
use crate::error::AppError;
use crate::graphql::connection::{Conn, connection, page_complexity, page_request};
use crate::graphql::inputs::{optional_year, year};
use crate::graphql::reference::{Department, department};
use crate::graphql::{request, run_step, state};
use crate::service::summaries;

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

/// A league/city bureau's summary of its outlets' reports on a year (Art 17).
pub struct DepartmentSummary(pub department_summary::Model);

#[Object]
impl DepartmentSummary {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn department(&self, ctx: &Context<'_>) -> Result<Option<Department>, AppError> {
        department(ctx, &self.0.department_code)
    }
    async fn year(&self) -> i32 {
        self.0.year
    }
    async fn state(&self) -> SummaryState {
        self.0.state.into()
    }
    /// The sums of its reports' figures.
    async fn totals(&self) -> Figures {
        self.0.totals.0.into()
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

/// A department summary to forward.
#[derive(InputObject)]
pub struct ForwardDepartmentSummaryInput {
    pub department_code: String,
    pub year: i32,
    /// The bureau's own narrative.
    pub narrative: Option<Narrative>,
}

/// The summary after a step.
#[derive(SimpleObject)]
pub struct DepartmentSummaryPayload {
    summary: DepartmentSummary,
}

impl From<department_summary::Model> for DepartmentSummaryPayload {
    fn from(summary: department_summary::Model) -> Self {
        Self { summary: DepartmentSummary(summary) }
    }
}

/// Department summaries.
#[derive(Default)]
pub struct SummaryQuery;

#[Object]
impl SummaryQuery {
    /// Department summaries in the caller's scope.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
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
        let year = optional_year("year", year)?;
        let rows = summaries::list(state(ctx)?, request(ctx)?, year, page).await?;
        Ok(connection(rows, |s| s.id, DepartmentSummary))
    }
}

/// Department summaries and their workflow.
#[derive(Default)]
pub struct SummaryMutation;

#[Object]
impl SummaryMutation {
    /// Forwards the department's submitted reports on a year in a summary with their sums.
    async fn forward_department_summary(
        &self,
        ctx: &Context<'_>,
        input: ForwardDepartmentSummaryInput,
    ) -> Result<DepartmentSummaryPayload, AppError> {
        let narrative = input.narrative.unwrap_or_default().parse("input.narrative")?;
        let code = input.department_code.trim();
        Ok(summaries::forward(state(ctx)?, request(ctx)?, code, year("input.year", input.year)?, narrative)
            .await?
            .into())
    }

    /// Accepts a department summary and its reports.
    async fn accept_department_summary(
        &self,
        ctx: &Context<'_>,
        input: ReportActionInput,
    ) -> Result<DepartmentSummaryPayload, AppError> {
        run_step(ctx, input.parse()?, SummaryAction::Accept, summaries::decide).await
    }

    /// Returns a department summary; its reports go back to the bureau (comment required).
    async fn return_department_summary(
        &self,
        ctx: &Context<'_>,
        input: ReportActionInput,
    ) -> Result<DepartmentSummaryPayload, AppError> {
        run_step(ctx, input.parse()?, SummaryAction::Return, summaries::decide).await
    }
}
