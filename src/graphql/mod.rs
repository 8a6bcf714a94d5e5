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
pub mod documents;
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

use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{
    BatchRequest, BatchResponse, Context, EmptySubscription, MergedObject, Response, Schema, SchemaBuilder,
    ValidationMode,
};
use futures_util::StreamExt as _;
use futures_util::stream::FuturesOrdered;

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
        .limit_recursive_depth(32)
        .disable_suggestions()
}

/// The schema serving requests against `state`, and the one that checks them first (see
/// [`limits`]).
#[derive(Clone)]
pub struct Schemas {
    check: AppSchema,
    run: AppSchema,
    documents: std::sync::Arc<documents::Documents>,
    state: AppState,
}

impl Schemas {
    pub fn new(state: AppState) -> Self {
        Self {
            check: schema_builder().extension(limits::Measuring).finish(),
            // Every operation it runs passed the checking schema's full validation.
            run: schema_builder().validation_mode(ValidationMode::Fast).data(state.clone()).finish(),
            documents: std::sync::Arc::default(),
            state,
        }
    }

    /// The parsed document of `request`, kept by its text (see [`documents`]), and set on
    /// the request; `None` when it does not parse (its execution reports why).
    pub fn document(&self, request: &mut async_graphql::Request) -> Option<ExecutableDocument> {
        self.documents.parse(request).ok()
    }

    /// Checks every operation of `batch` as `context`'s caller within `allowance`, then
    /// runs the admitted ones; the refused ones are answered with their refusal, in their
    /// place.
    pub async fn execute(
        &self,
        batch: BatchRequest,
        context: RequestContext,
        allowance: limits::Allowance,
    ) -> BatchResponse {
        let admission = limits::Admission { allowance, authz: &self.state.authz, caller: &context.caller };
        let batch = batch.data(context.clone()).data(loaders::for_request(self.state.clone()));
        let (mut requests, single) = match batch {
            BatchRequest::Single(request) => (vec![request], true),
            BatchRequest::Batch(requests) => (requests, false),
        };
        let verdicts = limits::screen(&self.check, &self.documents, &mut requests, &admission).await;
        let mut responses: Vec<Response> = requests
            .into_iter()
            .zip(verdicts)
            .map(|(request, refusal)| async move {
                match refusal {
                    Some(refusal) => refusal,
                    None => self.run.execute(request).await,
                }
            })
            .collect::<FuturesOrdered<_>>()
            .collect()
            .await;
        if single && let Some(response) = responses.pop() {
            BatchResponse::Single(response)
        } else {
            BatchResponse::Batch(responses)
        }
    }
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
