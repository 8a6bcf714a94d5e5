//! Every workflow of the guideline as a table: from which states an action may be taken,
//! by which role, into which state, and whether it needs a comment. Filings, annual
//! reports, department summaries, change reports, objections, publicity announcements and
//! outlets each have one, and each implements [`Workflow`].
//!
//! casbin decides *who* may act; these tables decide *when*. The `actor` column documents
//! the role, and a test checks it against `authz/policy.csv` for every table. Actions are
//! named on the wire by the mutation that takes them (`recommendFiling`), so an
//! `INVALID_TRANSITION` names what the client called, and the name is also the action's
//! permission in the policy.

pub mod announcement;
pub mod change;
pub mod filing;
pub mod objection;
pub mod outlet;
pub mod report;
pub mod summary;

use super::Named;
use super::role::Role;

/// Whether an action needs a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comment {
    Required,
    Optional,
}

/// One row of a workflow table. A row without `from` states creates the record.
#[derive(Debug)]
pub struct Transition<S: 'static, A> {
    pub from: &'static [S],
    pub action: A,
    pub actor: Role,
    /// The state after the action; `None` keeps the state.
    pub to: Option<S>,
    pub comment: Comment,
}

/// A row of a table, for tables written one row a line.
pub const fn row<S, A>(
    from: &'static [S],
    action: A,
    actor: Role,
    to: Option<S>,
    comment: Comment,
) -> Transition<S, A> {
    Transition { from, action, actor, to, comment }
}

/// A record that moves through states by actions, as its table says.
pub trait Workflow {
    /// Where a record stands.
    type State: Named;
    /// What may be done to it; named by the mutation that does it.
    type Action: Named;
    /// The table.
    const TABLE: &'static [Transition<Self::State, Self::Action>];
}

/// Why a workflow refuses a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The table has no row for `action` from `from` (wire names of both).
    NotAllowed { from: &'static str, action: &'static str },
    /// The row needs a comment and none came.
    CommentRequired,
}

impl Refusal {
    /// `action` is not allowed from `from`: the refusal of a guard beyond the table (an
    /// upheld objection, a publicity period still running).
    pub fn not_allowed(from: impl Named, action: impl Named) -> Self {
        Self::NotAllowed { from: from.name(), action: action.name() }
    }
}

/// The row that allows `action` from `from`, if any.
pub fn row_for<W: Workflow>(
    from: W::State,
    action: W::Action,
) -> Option<&'static Transition<W::State, W::Action>> {
    W::TABLE.iter().find(|t| t.action == action && t.from.contains(&from))
}

/// The state after `action` from `from`, if the table allows it and its comment rule is
/// met.
///
/// # Errors
/// [`Refusal::NotAllowed`] when no row allows the move, [`Refusal::CommentRequired`] when
/// the row needs a comment and `has_comment` is false.
pub fn decide<W: Workflow>(
    from: W::State,
    action: W::Action,
    has_comment: bool,
) -> Result<W::State, Refusal> {
    let row =
        row_for::<W>(from, action).ok_or(Refusal::NotAllowed { from: from.name(), action: action.name() })?;
    if row.comment == Comment::Required && !has_comment {
        return Err(Refusal::CommentRequired);
    }
    Ok(row.to.unwrap_or(from))
}

/// The state a record starts in when `action` creates it, if a row says so.
pub fn initial<W: Workflow>(action: W::Action) -> Option<W::State> {
    W::TABLE.iter().find(|t| t.from.is_empty() && t.action == action).and_then(|t| t.to)
}

/// Checks of a table against an independently written list of its legal moves; used by
/// each table's tests.
#[cfg(test)]
pub(crate) mod check {
    use super::*;

    /// Every (state, action) pair of `W` moves exactly as `legal` lists, and nowhere else.
    pub fn moves_exactly<W: Workflow>(legal: &[(W::State, W::Action, W::State)]) {
        for &state in <W::State as Named>::ALL {
            for &action in <W::Action as Named>::ALL {
                let expected =
                    legal.iter().find(|(s, a, _)| *s == state && *a == action).map(|(_, _, to)| *to);
                let actual = row_for::<W>(state, action).map(|row| row.to.unwrap_or(state));
                assert_eq!(actual, expected, "{state:?} + {action:?}");
            }
        }
    }

    /// Exactly these actions need a comment.
    pub fn comments_required_for<W: Workflow>(actions: &[W::Action]) {
        for row in W::TABLE {
            let required = row.comment == Comment::Required;
            assert_eq!(required, actions.contains(&row.action), "{:?}", row.action);
        }
    }
}
