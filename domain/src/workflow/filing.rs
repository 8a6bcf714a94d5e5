//! The filing workflow (DESIGN §5, Art 5–7, 9).

use super::{Comment, Transition, Workflow, row};
use crate::role::Role;

named! {
    /// Whether a filing asks to become an outlet or to renew one (Art 9).
    pub enum FilingKind {
        Initial = "INITIAL",
        Renewal = "RENEWAL",
    }
}

named! {
    /// Where a filing stands.
    pub enum FilingState {
        Draft = "DRAFT",
        Submitted = "SUBMITTED",
        Returned = "RETURNED",
        Withdrawn = "WITHDRAWN",
        NotRecommended = "NOT_RECOMMENDED",
        Recommended = "RECOMMENDED",
        Rejected = "REJECTED",
        Publicizing = "PUBLICIZING",
        Filed = "FILED",
    }
}

named! {
    /// Something done to a filing, named by its mutation. Publicity is opened and confirmed
    /// per announcement, so those two carry the announcement's mutation names.
    pub enum FilingAction {
        Create = "createFiling",
        Update = "updateFiling",
        Submit = "submitFiling",
        Withdraw = "withdrawFiling",
        Return = "returnFiling",
        Decline = "declineFiling",
        Recommend = "recommendFiling",
        SendBack = "sendBackFiling",
        Reject = "rejectFiling",
        OpenPublicity = "openPublicity",
        /// An objection recorded during publicity; the filing stays where it is.
        RecordObjection = "recordObjection",
        Confirm = "confirmPublicity",
    }
}

named! {
    /// What an attachment of a filing is (Art 6).
    pub enum AttachmentKind {
        /// 相关工作制度.
        WorkRules = "WORK_RULES",
        /// The signed application form (备案申请表).
        ApplicationForm = "APPLICATION_FORM",
        Other = "OTHER",
    }
}

/// The filing workflow.
pub struct Filings;

impl Workflow for Filings {
    type State = FilingState;
    type Action = FilingAction;

    /// Guards beyond the state are named in DESIGN §5's last column: eligibility on submit
    /// ([`crate::eligibility`]), an upheld objection to reject during publicity
    /// ([`may_reject`]), the period's end and no open objection to confirm.
    const TABLE: &'static [Transition<FilingState, FilingAction>] = {
        use FilingAction::*;
        use FilingState::{
            Draft, Filed, NotRecommended, Publicizing, Recommended, Rejected, Returned, Submitted, Withdrawn,
        };
        use Role::{Applicant, Recommender, Reviewer};
        &[
            row(&[], Create, Applicant, Some(Draft), Comment::Optional),
            row(&[Draft, Returned], Update, Applicant, None, Comment::Optional),
            row(&[Draft, Returned], Submit, Applicant, Some(Submitted), Comment::Optional),
            row(&[Draft, Submitted, Returned], Withdraw, Applicant, Some(Withdrawn), Comment::Optional),
            row(&[Submitted], Return, Recommender, Some(Returned), Comment::Required),
            row(&[Submitted], Decline, Recommender, Some(NotRecommended), Comment::Required),
            row(&[Submitted], Recommend, Recommender, Some(Recommended), Comment::Required),
            row(&[Recommended], SendBack, Reviewer, Some(Submitted), Comment::Required),
            row(&[Recommended, Publicizing], Reject, Reviewer, Some(Rejected), Comment::Required),
            row(&[Recommended], OpenPublicity, Reviewer, Some(Publicizing), Comment::Optional),
            row(&[Publicizing], RecordObjection, Reviewer, None, Comment::Optional),
            row(&[Publicizing], Confirm, Reviewer, Some(Filed), Comment::Optional),
        ]
    };
}

/// Whether a filing in `state` is still open: the ones that have ended are
/// `NOT_RECOMMENDED`, `REJECTED`, `WITHDRAWN` and `FILED`.
pub fn is_open(state: FilingState) -> bool {
    use FilingState::*;
    match state {
        Draft | Submitted | Returned | Recommended | Publicizing => true,
        NotRecommended | Rejected | Withdrawn | Filed => false,
    }
}

/// Whether a reviewer may reject a filing in `state`: during publicity only on an upheld
/// objection (DESIGN §5); otherwise as the table says.
pub fn may_reject(state: FilingState, objection_upheld: bool) -> bool {
    state != FilingState::Publicizing || objection_upheld
}

#[cfg(test)]
mod tests {
    use super::FilingAction::*;
    use super::FilingState::*;
    use super::*;
    use crate::workflow::{Refusal, check, decide, initial};

    #[test]
    fn every_state_and_action_pair_is_legal_exactly_as_designed() {
        check::moves_exactly::<Filings>(&[
            (Draft, Update, Draft),
            (Returned, Update, Returned),
            (Draft, Submit, Submitted),
            (Returned, Submit, Submitted),
            (Draft, Withdraw, Withdrawn),
            (Submitted, Withdraw, Withdrawn),
            (Returned, Withdraw, Withdrawn),
            (Submitted, Return, Returned),
            (Submitted, Decline, NotRecommended),
            (Submitted, Recommend, Recommended),
            (Recommended, SendBack, Submitted),
            (Recommended, Reject, Rejected),
            (Publicizing, Reject, Rejected),
            (Recommended, OpenPublicity, Publicizing),
            (Publicizing, RecordObjection, Publicizing),
            (Publicizing, Confirm, Filed),
        ]);
        assert_eq!(initial::<Filings>(Create), Some(Draft));
    }

    #[test]
    fn illegal_moves_report_state_and_mutation() {
        assert_eq!(
            decide::<Filings>(Filed, Withdraw, false),
            Err(Refusal::NotAllowed { from: "FILED", action: "withdrawFiling" })
        );
    }

    #[test]
    fn ended_filings_allow_nothing() {
        for &state in FilingState::ALL.iter().filter(|s| !is_open(**s)) {
            for &action in FilingAction::ALL {
                assert!(decide::<Filings>(state, action, true).is_err(), "{state:?} + {action:?}");
            }
        }
    }

    #[test]
    fn refusals_and_decisions_need_a_comment() {
        check::comments_required_for::<Filings>(&[Return, Decline, Recommend, SendBack, Reject]);
        assert_eq!(decide::<Filings>(Submitted, Return, false), Err(Refusal::CommentRequired));
    }

    #[test]
    fn only_an_upheld_objection_lets_a_publicized_filing_be_rejected() {
        assert!(!may_reject(Publicizing, false));
        assert!(may_reject(Publicizing, true));
        assert!(may_reject(Recommended, false));
    }
}
