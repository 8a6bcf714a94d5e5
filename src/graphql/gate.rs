//! Who may call a mutation is decided before anything is read from its input: for a
//! caller whose role may never take it, the answer is `UNAUTHENTICATED` or `FORBIDDEN`,
//! never a validation error that would tell a stranger what the input should look like.
//!
//! The gate reads the parsed document, before validation and before any resolver: it asks
//! only the role question (does any policy row give this role the mutation?) of each field
//! the operation selects on the mutation root. Whether the record in question lies in the
//! caller's grant is still decided by the service, once the record is loaded. A name that
//! is no mutation at all is left to validation, which reports it.

use std::collections::HashSet;

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet,
};
use async_graphql::{PathSegment, Pos, Positioned, ServerError};

use crate::authz::{Action, Authorizer, PUBLIC_MUTATIONS};
use crate::error::AppError;
use crate::identity::Caller;

/// The refusals of the mutations in `document`'s chosen operation that `caller`'s role may
/// never take; empty when the operation may run (or is not a mutation).
pub fn refusals(
    document: &ExecutableDocument,
    operation_name: Option<&str>,
    authz: &Authorizer,
    caller: &Caller,
) -> Vec<ServerError> {
    let operation = match (&document.operations, operation_name) {
        (DocumentOperations::Single(operation), _) => Some(operation),
        (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name),
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => {
            operations.values().next()
        }
        // Which operation to run is ambiguous: execution refuses the request.
        (DocumentOperations::Multiple(_), None) => None,
    };
    let Some(operation) = operation.filter(|o| o.node.ty == OperationType::Mutation) else {
        return Vec::new();
    };
    let mut fields = Vec::new();
    root_fields(document, &operation.node.selection_set, &mut HashSet::new(), &mut fields);
    fields
        .into_iter()
        .filter_map(|(key, name, pos)| {
            let refusal = admit(authz, caller, name).err()?;
            let mut error = async_graphql::Error::from(refusal).into_server_error(pos);
            error.path = vec![PathSegment::Field(key.to_owned())];
            Some(error)
        })
        .collect()
}

/// The (response key, field name, position) of each field selected on the root, through
/// fragments; each fragment is entered once.
fn root_fields<'d>(
    document: &'d ExecutableDocument,
    set: &'d Positioned<SelectionSet>,
    entered: &mut HashSet<&'d str>,
    fields: &mut Vec<(&'d str, &'d str, Pos)>,
) {
    for selection in &set.node.items {
        match &selection.node {
            Selection::Field(field) => {
                let key = field.node.response_key();
                fields.push((key.node.as_str(), field.node.name.node.as_str(), field.pos));
            }
            Selection::InlineFragment(inline) => {
                root_fields(document, &inline.node.selection_set, entered, fields)
            }
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.as_str();
                if let Some(fragment) = document.fragments.get(name)
                    && entered.insert(name)
                {
                    root_fields(document, &fragment.node.selection_set, entered, fields);
                }
            }
        }
    }
}

/// Lets the caller through to `mutation` if their role may ever take it.
fn admit(authz: &Authorizer, caller: &Caller, mutation: &str) -> Result<(), AppError> {
    if PUBLIC_MUTATIONS.contains(&mutation) || mutation == "__typename" {
        return Ok(());
    }
    match Action::of_mutation(mutation) {
        Some(action) => authz.visibility(caller, action).map(|_| ()),
        None => Ok(()),
    }
}
