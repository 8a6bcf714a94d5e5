//! The department-summary workflow (DESIGN §7): a 盟市 bureau forwards its reports with
//! their sums; the region bureau accepts or returns them.

use super::{Comment, Transition, Workflow, row};
use crate::role::Role;

named! {
    /// Where a department summary stands.
    pub enum SummaryState {
        Forwarded = "FORWARDED",
        Accepted = "ACCEPTED",
        Returned = "RETURNED",
    }
}

named! {
    /// Something done to a department summary, named by its mutation.
    pub enum SummaryAction {
        Forward = "forwardDepartmentSummary",
        Accept = "acceptDepartmentSummary",
        Return = "returnDepartmentSummary",
    }
}

/// The department-summary workflow.
pub struct Summaries;

impl Workflow for Summaries {
    type State = SummaryState;
    type Action = SummaryAction;

    const TABLE: &'static [Transition<SummaryState, SummaryAction>] = {
        use Role::{Recommender, Reviewer};
        use SummaryAction::*;
        use SummaryState::{Accepted, Forwarded, Returned};
        &[
            row(&[], Forward, Recommender, Some(Forwarded), Comment::Optional),
            row(&[Forwarded], Accept, Reviewer, Some(Accepted), Comment::Optional),
            row(&[Forwarded], Return, Reviewer, Some(Returned), Comment::Required),
        ]
    };
}

#[cfg(test)]
mod tests {
    use super::SummaryAction::*;
    use super::SummaryState::*;
    use super::*;
    use crate::workflow::{check, initial};

    #[test]
    fn summaries_move_only_as_the_table_says() {
        check::moves_exactly::<Summaries>(&[(Forwarded, Accept, Accepted), (Forwarded, Return, Returned)]);
        check::comments_required_for::<Summaries>(&[Return]);
        assert_eq!(initial::<Summaries>(Forward), Some(Forwarded));
    }
}
