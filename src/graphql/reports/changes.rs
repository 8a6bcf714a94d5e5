//! Change reports (变更报备, Art 10): changed outlet data, forwarded and accepted, and the
//! revisions accepted ones leave on an institution.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::json::{ChangeSet, PersonEntry};
use entity::{change_report, institution_revision, sea_orm_active_enums as db};

use super::ReportActionInput;
use crate::domain::form::ServiceItemEntry;
use crate::domain::institution::Person;
use crate::domain::text::{Line, Name, Prose, Text};
use crate::domain::workflow::change::ChangeAction;
use crate::error::AppError;
use crate::graphql::connection::{Conn, connection, page_complexity, page_request};
use crate::graphql::inputs::row_id;
use crate::graphql::institutions::{ContactInput, PrincipalInput, ServiceItemInput};
use crate::graphql::{request, run_step, state};
use crate::service::change_reports::{self, ChangeFilter, field_changes};

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

/// Which change reports to list.
#[derive(InputObject, Default)]
pub struct ChangeReportFilterInput {
    pub state: Option<ChangeState>,
    pub outlet_id: Option<ID>,
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

fn person(p: Person) -> PersonEntry {
    PersonEntry {
        name: p.name.into_inner(),
        title: p.title.map(Text::into_inner),
        phone: p.phone.map(|x| x.into_inner()),
        mobile: p.mobile.map(|x| x.into_inner()),
        email: p.email.map(|x| x.into_inner()),
    }
}

impl SubmitChangeReportInput {
    fn parse(self) -> Result<(i64, i32, Prose, ChangeSet), AppError> {
        let outlet_id = row_id("input.outletId", &self.outlet_id)?;
        let reason = Text::parse(&self.reason).map_err(|e| AppError::invalid("input.reason", e.0))?;
        let name = self
            .name
            .map(|n| Name::parse(&n).map(Text::into_inner).map_err(|e| AppError::invalid("input.name", e.0)))
            .transpose()?;
        let address = self
            .address
            .map(|a| {
                Line::parse(&a).map(Text::into_inner).map_err(|e| AppError::invalid("input.address", e.0))
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
                        item.parse(&format!("input.serviceItems[{i}]")).map(|v| ServiceItemEntry::from(&v))
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

/// The change report after a step.
#[derive(SimpleObject)]
pub struct ChangeReportPayload {
    change_report: ChangeReport,
}

impl From<change_report::Model> for ChangeReportPayload {
    fn from(report: change_report::Model) -> Self {
        Self { change_report: ChangeReport(report) }
    }
}

/// Change reports.
#[derive(Default)]
pub struct ChangeReportQuery;

#[Object]
impl ChangeReportQuery {
    /// Change reports in the caller's scope.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
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

/// Change reports and their workflow.
#[derive(Default)]
pub struct ChangeReportMutation;

#[Object]
impl ChangeReportMutation {
    /// Reports a change of an outlet's name, premises, principal, contact or service items.
    async fn submit_change_report(
        &self,
        ctx: &Context<'_>,
        input: SubmitChangeReportInput,
    ) -> Result<ChangeReportPayload, AppError> {
        let (outlet_id, version, reason, changes) = input.parse()?;
        Ok(change_reports::submit(state(ctx)?, request(ctx)?, outlet_id, version, reason, changes)
            .await?
            .into())
    }

    /// Forwards a change report to the region bureau.
    async fn forward_change_report(
        &self,
        ctx: &Context<'_>,
        input: ReportActionInput,
    ) -> Result<ChangeReportPayload, AppError> {
        run_step(ctx, input.parse()?, ChangeAction::Forward, change_reports::act).await
    }

    /// Returns a change report to the outlet (comment required).
    async fn return_change_report(
        &self,
        ctx: &Context<'_>,
        input: ReportActionInput,
    ) -> Result<ChangeReportPayload, AppError> {
        run_step(ctx, input.parse()?, ChangeAction::Return, change_reports::act).await
    }

    /// Accepts a change report: the institution and the outlet take the new values at
    /// once, the old ones are kept as a revision.
    async fn accept_change_report(
        &self,
        ctx: &Context<'_>,
        input: ReportActionInput,
    ) -> Result<ChangeReportPayload, AppError> {
        run_step(ctx, input.parse()?, ChangeAction::Accept, change_reports::act).await
    }

    /// Rejects a change report (comment required).
    async fn reject_change_report(
        &self,
        ctx: &Context<'_>,
        input: ReportActionInput,
    ) -> Result<ChangeReportPayload, AppError> {
        run_step(ctx, input.parse()?, ChangeAction::Reject, change_reports::act).await
    }
}
