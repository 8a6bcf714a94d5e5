//! The annual-report workflow (DESIGN §7, Art 17).

use super::{Comment, Transition, Workflow, row};
use crate::role::Role;

named! {
    /// Where an annual report stands.
    pub enum ReportState {
        Draft = "DRAFT",
        Submitted = "SUBMITTED",
        Returned = "RETURNED",
        /// In a department summary awaiting the region bureau.
        Forwarded = "FORWARDED",
        Accepted = "ACCEPTED",
    }
}

named! {
    /// Something done to an annual report, named by its mutation. A report moves with its
    /// department summary when the summary is forwarded, accepted or returned.
    pub enum ReportAction {
        Create = "createAnnualReport",
        Update = "updateAnnualReport",
        Submit = "submitAnnualReport",
        Return = "returnAnnualReport",
        /// Taken into a department summary.
        Forward = "forwardDepartmentSummary",
        /// Accepted with its summary.
        Accept = "acceptDepartmentSummary",
        /// Back to the department with its summary returned.
        SendBack = "returnDepartmentSummary",
    }
}

/// The annual-report workflow.
pub struct AnnualReports;

impl Workflow for AnnualReports {
    type State = ReportState;
    type Action = ReportAction;

    const TABLE: &'static [Transition<ReportState, ReportAction>] = {
        use ReportAction::*;
        use ReportState::{Accepted, Draft, Forwarded, Returned, Submitted};
        use Role::{Applicant, Recommender, Reviewer};
        &[
            row(&[], Create, Applicant, Some(Draft), Comment::Optional),
            row(&[Draft, Returned], Update, Applicant, None, Comment::Optional),
            row(&[Draft, Returned], Submit, Applicant, Some(Submitted), Comment::Optional),
            row(&[Submitted], Return, Recommender, Some(Returned), Comment::Required),
            row(&[Submitted], Forward, Recommender, Some(Forwarded), Comment::Optional),
            row(&[Forwarded], Accept, Reviewer, Some(Accepted), Comment::Optional),
            row(&[Forwarded], SendBack, Reviewer, Some(Submitted), Comment::Required),
        ]
    };
}

#[cfg(test)]
mod tests {
    use super::ReportAction::*;
    use super::ReportState::*;
    use super::*;
    use crate::workflow::check;

    #[test]
    fn report_states_move_only_as_the_table_says() {
        check::moves_exactly::<AnnualReports>(&[
            (Draft, Update, Draft),
            (Returned, Update, Returned),
            (Draft, Submit, Submitted),
            (Returned, Submit, Submitted),
            (Submitted, Return, Returned),
            (Submitted, Forward, Forwarded),
            (Forwarded, Accept, Accepted),
            (Forwarded, SendBack, Submitted),
        ]);
        check::comments_required_for::<AnnualReports>(&[Return, SendBack]);
    }
}
