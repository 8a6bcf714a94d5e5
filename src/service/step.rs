//! Taking a step in any of the workflow tables, with the same two refusals everywhere:
//! `INVALID_TRANSITION` when the table has no such move, `BAD_USER_INPUT` on
//! `input.comment` when the move needs a comment and none came.

use crate::domain::workflow::{Comment, Transition, step};
use crate::error::AppError;

/// The state after `action` from `from` in `table`, if the move is allowed and its comment
/// rule met. `from_name` and `action_name` are the names `INVALID_TRANSITION` reports.
///
/// # Errors
/// `INVALID_TRANSITION`, or `BAD_USER_INPUT` for a missing comment.
pub fn take<S: Copy + PartialEq, A: Copy + PartialEq>(
    table: &'static [Transition<S, A>],
    from: S,
    action: A,
    has_comment: bool,
    from_name: impl FnOnce() -> String,
    action_name: impl FnOnce() -> String,
) -> Result<S, AppError> {
    let (to, row) = step(table, from, action)
        .ok_or_else(|| AppError::InvalidTransition { from: from_name(), action: action_name() })?;
    if row.comment == Comment::Required && !has_comment {
        return Err(AppError::invalid("input.comment", "this action needs a comment"));
    }
    Ok(to)
}
