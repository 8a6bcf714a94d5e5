//! Who may call a mutation is decided before anything is read from its input: for a
//! caller whose role may never take it, the answer is `UNAUTHENTICATED` or `FORBIDDEN`,
//! never a validation error that would tell a stranger what the input should look like.
//!
//! The gate asks only the role question (does any policy row give this role the
//! mutation?). Whether the record in question lies in the caller's grant is still decided
//! by the service, once the record is loaded.

use std::any::TypeId;
use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextResolve, ResolveInfo};
use async_graphql::{PathSegment, ServerResult, Value};

use crate::authz::{Action, PUBLIC_MUTATIONS};
use crate::error::AppError;
use crate::state::{AppState, RequestContext};

/// The schema extension that gates mutations by role.
pub struct MutationGate;

impl ExtensionFactory for MutationGate {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(MutationGate)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for MutationGate {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if info.parent_type == "MutationRoot"
            && let Err(refusal) = admit(ctx, info.name)
        {
            let mut error = async_graphql::Error::from(refusal).into_server_error(info.field.name.pos);
            error.path = info.path_node.to_string_vec().into_iter().map(PathSegment::Field).collect();
            return Err(error);
        }
        next.run(ctx, info).await
    }
}

/// Lets the caller through to `mutation` if their role may ever take it.
fn admit(ctx: &ExtensionContext<'_>, mutation: &str) -> Result<(), AppError> {
    if PUBLIC_MUTATIONS.contains(&mutation) {
        return Ok(());
    }
    let state =
        ctx.schema_env.data.get(&TypeId::of::<AppState>()).and_then(|data| data.downcast_ref::<AppState>());
    let (Some(state), Some(request)) = (state, ctx.data_opt::<RequestContext>()) else {
        // The schema printed without data (the SDL) runs no mutations.
        return Ok(());
    };
    let action = Action::of_mutation(mutation)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("mutation {mutation} has no policy action")))?;
    state.authz.visibility(&request.caller, action).map(|_| ())
}
