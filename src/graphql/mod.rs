//! The GraphQL API (DESIGN §10), by area: each area module holds its output types, its
//! inputs, and its query and mutation objects, which [`Query`] and [`Mutation`] merge.
//! Paging, errors, loaders and what several areas share sit beside them.
//!
//! Resolvers stay thin: they read the request's context, turn input into domain values,
//! call a service and return `Result<_, AppError>`, whose conversion always sets
//! `extensions.code`. No resolver or loader queries the database itself.

pub mod accounts;
pub mod analytics;
pub mod audit;
pub mod connection;
mod convert;
pub mod error;
pub mod filings;
mod gate;
pub mod inputs;
pub mod institutions;
pub mod limits;
pub mod loaders;
pub mod outlets;
pub mod publicity;
pub mod reference;
pub mod reports;
pub mod shared;

use std::future::Future;

use async_graphql::{Context, EmptySubscription, MergedObject, Schema, SchemaBuilder};

use crate::error::AppError;
use crate::state::{AppState, RequestContext};

// The order of the parts is the order of the fields in `schema.graphql`; an area whose
// fields do not stand together there has one part for each run of them.
/// Every query.
#[derive(MergedObject, Default)]
#[graphql(name = "QueryRoot")]
pub struct Query(
    accounts::AccountQuery,
    reference::ReferenceQuery,
    institutions::InstitutionQuery,
    filings::FilingQuery,
    outlets::OutletQuery,
    publicity::PublicityQuery,
    analytics::CoverageQuery,
    reference::CalendarQuery,
    reports::AnnualReportQuery,
    reports::SummaryQuery,
    analytics::ComplianceQuery,
    reports::ChangeReportQuery,
    audit::AuditQuery,
);

// Each mutation is named in `authz/policy.csv` or in `authz::PUBLIC_MUTATIONS`.
/// Every mutation.
#[derive(MergedObject, Default)]
#[graphql(name = "MutationRoot")]
pub struct Mutation(
    accounts::AccountMutation,
    institutions::InstitutionMutation,
    filings::FilingMutation,
    publicity::PublicityMutation,
    outlets::OutletMutation,
    reference::CalendarMutation,
    reports::AnnualReportMutation,
    reports::SummaryMutation,
    reports::ChangeReportMutation,
);

/// The schema of the service.
pub type AppSchema = Schema<Query, Mutation, EmptySubscription>;

/// Deepest query accepted. The standard introspection query needs 15.
pub const MAX_DEPTH: usize = 16;

/// The schema with its limits, without data: enough to print the SDL.
pub fn schema_builder() -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .limit_depth(MAX_DEPTH)
        .extension(limits::RequestLimits)
        .extension(gate::MutationGate)
        .limit_recursive_depth(32)
        .disable_suggestions()
}

/// The schema serving requests against `state`.
pub fn build_schema(state: AppState) -> AppSchema {
    schema_builder().data(state).finish()
}

/// The SDL of the schema, as committed in `schema.graphql`.
pub fn sdl() -> String {
    schema_builder().finish().sdl()
}

/// The shared state, from a resolver's context.
pub(crate) fn state<'a>(ctx: &Context<'a>) -> Result<&'a AppState, AppError> {
    ctx.data::<AppState>()
        .map_err(|_| AppError::Internal(anyhow::anyhow!("application state missing from the schema")))
}

/// The request's caller and id, from a resolver's context.
pub(crate) fn request<'a>(ctx: &Context<'a>) -> Result<&'a RequestContext, AppError> {
    ctx.data::<RequestContext>()
        .map_err(|_| AppError::Internal(anyhow::anyhow!("request context missing from the request")))
}

/// Runs one workflow step through a service's step function, such as `filings::act`:
/// it gets the shared state, the caller, the row's id, the version the caller read, the
/// action and its comment, and the changed row it returns becomes the mutation's payload.
pub(crate) async fn run_step<'a, Action, Comment, Row, Payload, Step>(
    ctx: &Context<'a>,
    (id, version, comment): (i64, i32, Comment),
    action: Action,
    service: impl FnOnce(&'a AppState, &'a RequestContext, i64, i32, Action, Comment) -> Step,
) -> Result<Payload, AppError>
where
    Step: Future<Output = Result<Row, AppError>>,
    Payload: From<Row>,
{
    let row = service(state(ctx)?, request(ctx)?, id, version, action, comment).await?;
    Ok(row.into())
}
