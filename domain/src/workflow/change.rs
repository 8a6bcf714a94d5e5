//! The change-report workflow (DESIGN §8, Art 10).

use super::{Comment, Transition, Workflow, row};
use crate::role::Role;

named! {
    /// Where a change report stands.
    pub enum ChangeState {
        Submitted = "SUBMITTED",
        Forwarded = "FORWARDED",
        Returned = "RETURNED",
        Accepted = "ACCEPTED",
        Rejected = "REJECTED",
    }
}

named! {
    /// Something done to a change report, named by its mutation.
    pub enum ChangeAction {
        Submit = "submitChangeReport",
        Forward = "forwardChangeReport",
        Return = "returnChangeReport",
        Accept = "acceptChangeReport",
        Reject = "rejectChangeReport",
    }
}

/// The change-report workflow.
pub struct ChangeReports;

impl Workflow for ChangeReports {
    type State = ChangeState;
    type Action = ChangeAction;

    const TABLE: &'static [Transition<ChangeState, ChangeAction>] = {
        use ChangeAction::*;
        use ChangeState::{Accepted, Forwarded, Rejected, Returned, Submitted};
        use Role::{Applicant, Recommender, Reviewer};
        &[
            row(&[], Submit, Applicant, Some(Submitted), Comment::Optional),
            row(&[Submitted], Forward, Recommender, Some(Forwarded), Comment::Optional),
            row(&[Submitted], Return, Recommender, Some(Returned), Comment::Required),
            row(&[Forwarded], Accept, Reviewer, Some(Accepted), Comment::Optional),
            row(&[Forwarded], Reject, Reviewer, Some(Rejected), Comment::Required),
        ]
    };
}

#[cfg(test)]
mod tests {
    use super::ChangeAction::*;
    use super::ChangeState::*;
    use super::*;
    use crate::workflow::{check, initial};

    #[test]
    fn change_states_move_only_as_the_table_says() {
        check::moves_exactly::<ChangeReports>(&[
            (Submitted, Forward, Forwarded),
            (Submitted, Return, Returned),
            (Forwarded, Accept, Accepted),
            (Forwarded, Reject, Rejected),
        ]);
        check::comments_required_for::<ChangeReports>(&[Return, Reject]);
        assert_eq!(initial::<ChangeReports>(Submit), Some(Submitted));
    }
}
