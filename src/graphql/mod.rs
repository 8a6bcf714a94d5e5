//! The GraphQL API (DESIGN §10): schema roots, types, inputs, loaders.
//!
//! Resolvers stay thin: they read the request's context, turn input into domain values,
//! call a service and return `Result<_, AppError>`, whose conversion always sets
//! `extensions.code`.

pub mod connection;
mod convert;
pub mod error;
pub mod inputs;
pub mod loaders;
pub mod mutation;
pub mod query;
pub mod reports;
pub mod types;

use async_graphql::{Context, EmptySubscription, Schema, SchemaBuilder};

use crate::error::AppError;
use crate::state::{AppState, RequestContext};

/// The schema of the service.
pub type AppSchema = Schema<query::QueryRoot, mutation::MutationRoot, EmptySubscription>;

/// Deepest query accepted. The standard introspection query needs 15.
pub const MAX_DEPTH: usize = 16;
/// Largest query complexity accepted; a connection counts its page size times its nodes.
pub const MAX_COMPLEXITY: usize = 20_000;

/// The schema with its limits, without data: enough to print the SDL.
pub fn schema_builder() -> SchemaBuilder<query::QueryRoot, mutation::MutationRoot, EmptySubscription> {
    Schema::build(query::QueryRoot::default(), mutation::MutationRoot::default(), EmptySubscription)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
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
