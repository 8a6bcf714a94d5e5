//! Stored records that move through a workflow: where their state is, how a move is
//! written, and what the audit trail calls them. One impl per table, so that one `step`
//! (`service::usecase::UseCase::step`) serves filings, annual reports, department
//! summaries and change reports alike.

use chrono::{DateTime, Utc};
use entity::{annual_report, change_report, department_summary, filing};
use sea_orm::ActiveValue::Set;
use sea_orm::EntityTrait;

use super::Versioned;
use crate::domain::workflow::Workflow;
use crate::domain::workflow::change::ChangeReports;
use crate::domain::workflow::filing::{self as filings, Filings};
use crate::domain::workflow::report::AnnualReports;
use crate::domain::workflow::summary::Summaries;

/// A stored row that moves through a workflow.
pub trait Moving: Sized {
    /// Its table.
    type Table: Versioned<Model = Self>;
    /// Its workflow.
    type Flow: Workflow;
    /// The entity name in the audit trail (`annualReport`).
    const ENTITY: &'static str;

    /// The row's id.
    fn id(&self) -> i64;
    /// The row's version.
    fn version(&self) -> i32;
    /// Where the row stands.
    fn state(&self) -> State<Self>;
    /// Writes `to` into `set`, with whatever else a move to `to` changes.
    fn moved(&self, set: &mut Changes<Self>, to: State<Self>);
    /// Stamps `set` as changed at `now`.
    fn stamp(set: &mut Changes<Self>, now: DateTime<Utc>);
}

/// The states of a moving row's workflow.
pub type State<M> = <<M as Moving>::Flow as Workflow>::State;
/// The columns to write to a moving row's table.
pub type Changes<M> = <<M as Moving>::Table as EntityTrait>::ActiveModel;

macro_rules! moving {
    ($($module:ident: $workflow:ty => $entity:literal),+ $(,)?) => {
        $(
            impl Moving for $module::Model {
                type Table = $module::Entity;
                type Flow = $workflow;
                const ENTITY: &'static str = $entity;

                fn id(&self) -> i64 {
                    self.id
                }

                fn version(&self) -> i32 {
                    self.version
                }

                fn state(&self) -> State<Self> {
                    self.state.into()
                }

                fn moved(&self, set: &mut Changes<Self>, to: State<Self>) {
                    set.state = Set(to.into());
                    extra::$module(set, self, to);
                }

                fn stamp(set: &mut Changes<Self>, now: DateTime<Utc>) {
                    set.updated_at = Set(now);
                }
            }
        )+
    };
}

moving! {
    filing: Filings => "filing",
    annual_report: AnnualReports => "annualReport",
    department_summary: Summaries => "departmentSummary",
    change_report: ChangeReports => "changeReport",
}

/// What a move changes besides the state, per table.
mod extra {
    use super::*;
    use crate::domain::workflow::change::ChangeState;
    use crate::domain::workflow::report::ReportState;
    use crate::domain::workflow::summary::SummaryState;

    /// An open filing holds its institution's one open slot; an ended one frees it.
    pub fn filing(set: &mut filing::ActiveModel, row: &filing::Model, to: filings::FilingState) {
        set.open_for_institution = Set(filings::is_open(to).then_some(row.institution_id));
    }

    pub fn annual_report(_: &mut annual_report::ActiveModel, _: &annual_report::Model, _: ReportState) {}

    /// A decided summary no longer holds its department's pending slot for the year.
    pub fn department_summary(
        set: &mut department_summary::ActiveModel,
        _: &department_summary::Model,
        _: SummaryState,
    ) {
        set.pending_key = Set(None);
    }

    pub fn change_report(_: &mut change_report::ActiveModel, _: &change_report::Model, _: ChangeState) {}
}
