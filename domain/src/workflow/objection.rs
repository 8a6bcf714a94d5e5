//! Objections raised during publicity (Art 7(3)): recorded by the region bureau against a
//! filing, then upheld or dismissed once.

use super::{Comment, Transition, Workflow, row};
use crate::Named;
use crate::role::Role;

named! {
    /// Where an objection stands.
    pub enum ObjectionStatus {
        Open = "OPEN",
        Upheld = "UPHELD",
        Dismissed = "DISMISSED",
    }
}

/// Something done to an objection, named by its mutation: both outcomes are a
/// `resolveObjection`. Written out rather than with `named!`, whose serde names must be
/// unique.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectionAction {
    Record,
    Uphold,
    Dismiss,
}

impl Named for ObjectionAction {
    const ALL: &'static [Self] = &[Self::Record, Self::Uphold, Self::Dismiss];

    fn name(self) -> &'static str {
        match self {
            Self::Record => "recordObjection",
            Self::Uphold | Self::Dismiss => "resolveObjection",
        }
    }
}

/// The objection workflow.
pub struct Objections;

impl Workflow for Objections {
    type State = ObjectionStatus;
    type Action = ObjectionAction;

    const TABLE: &'static [Transition<ObjectionStatus, ObjectionAction>] = {
        use ObjectionAction::*;
        use ObjectionStatus::{Dismissed, Open, Upheld};
        &[
            row(&[], Record, Role::Reviewer, Some(Open), Comment::Required),
            row(&[Open], Uphold, Role::Reviewer, Some(Upheld), Comment::Required),
            row(&[Open], Dismiss, Role::Reviewer, Some(Dismissed), Comment::Required),
        ]
    };
}

#[cfg(test)]
mod tests {
    use super::ObjectionAction::*;
    use super::ObjectionStatus::*;
    use super::*;
    use crate::workflow::{Refusal, check, decide};

    #[test]
    fn an_objection_is_resolved_once() {
        check::moves_exactly::<Objections>(&[(Open, Uphold, Upheld), (Open, Dismiss, Dismissed)]);
        assert_eq!(
            decide::<Objections>(Upheld, Dismiss, true),
            Err(Refusal::NotAllowed { from: "UPHELD", action: "resolveObjection" })
        );
    }
}
