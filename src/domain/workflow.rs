//! The filing workflow (DESIGN §5) as one table: from which states an action may be taken,
//! by which role, into which state, and whether it needs a comment.
//!
//! casbin decides *who* may act on a filing; this table decides *when*. The `actor`
//! column documents the role and is checked against `authz/policy.csv` by a test.

use entity::sea_orm_active_enums::{FilingState, Role};

use FilingState::{
    Draft, Filed, NotRecommended, Publicizing, Recommended, Rejected, Returned, Submitted, Withdrawn,
};

/// Something done to a filing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilingAction {
    Update,
    Submit,
    Withdraw,
    Return,
    Decline,
    Recommend,
    SendBack,
    Reject,
    OpenPublicity,
    Confirm,
}

impl FilingAction {
    /// Every action.
    pub const ALL: [FilingAction; 10] = [
        Self::Update,
        Self::Submit,
        Self::Withdraw,
        Self::Return,
        Self::Decline,
        Self::Recommend,
        Self::SendBack,
        Self::Reject,
        Self::OpenPublicity,
        Self::Confirm,
    ];

    /// The action's name in errors: `INVALID_TRANSITION` reports it as `action`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Update => "UPDATE",
            Self::Submit => "SUBMIT",
            Self::Withdraw => "WITHDRAW",
            Self::Return => "RETURN",
            Self::Decline => "DECLINE",
            Self::Recommend => "RECOMMEND",
            Self::SendBack => "SEND_BACK",
            Self::Reject => "REJECT",
            Self::OpenPublicity => "OPEN_PUBLICITY",
            Self::Confirm => "CONFIRM",
        }
    }
}

/// Whether an action needs a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comment {
    Required,
    Optional,
}

/// One row of a workflow table: from which states `action` may be taken, by whom, into
/// which state. Filings, annual reports, summaries and change reports each have a table.
#[derive(Debug)]
pub struct Transition<S: 'static = FilingState, A = FilingAction> {
    pub from: &'static [S],
    pub action: A,
    pub actor: Role,
    /// The state after the action; `None` keeps the state.
    pub to: Option<S>,
    pub comment: Comment,
}

/// Looks `action` from state `from` up in `table`: the state after it, and the row.
pub fn step<S: Copy + PartialEq, A: Copy + PartialEq>(
    table: &'static [Transition<S, A>],
    from: S,
    action: A,
) -> Option<(S, &'static Transition<S, A>)> {
    table.iter().find(|t| t.action == action && t.from.contains(&from)).map(|t| (t.to.unwrap_or(from), t))
}

/// The workflow. Guards beyond the state (eligibility on submit, objections on confirm)
/// are the services' business, and named in the last column of DESIGN §5.
pub const TRANSITIONS: &[Transition] = &[
    row(&[Draft, Returned], FilingAction::Update, Role::Applicant, None, Comment::Optional),
    row(&[Draft, Returned], FilingAction::Submit, Role::Applicant, Some(Submitted), Comment::Optional),
    row(
        &[Draft, Submitted, Returned],
        FilingAction::Withdraw,
        Role::Applicant,
        Some(Withdrawn),
        Comment::Optional,
    ),
    row(&[Submitted], FilingAction::Return, Role::Recommender, Some(Returned), Comment::Required),
    row(&[Submitted], FilingAction::Decline, Role::Recommender, Some(NotRecommended), Comment::Required),
    row(&[Submitted], FilingAction::Recommend, Role::Recommender, Some(Recommended), Comment::Required),
    row(&[Recommended], FilingAction::SendBack, Role::Reviewer, Some(Submitted), Comment::Required),
    row(&[Recommended, Publicizing], FilingAction::Reject, Role::Reviewer, Some(Rejected), Comment::Required),
    row(&[Recommended], FilingAction::OpenPublicity, Role::Reviewer, Some(Publicizing), Comment::Optional),
    row(&[Publicizing], FilingAction::Confirm, Role::Reviewer, Some(Filed), Comment::Optional),
];

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

/// `action` is not allowed from state `from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidTransition {
    pub from: FilingState,
    pub action: FilingAction,
}

/// The state after taking `action` in state `from`, with the row that allows it.
///
/// # Errors
/// [`InvalidTransition`] when no row allows `action` from `from`.
pub fn transition(
    from: FilingState,
    action: FilingAction,
) -> Result<(FilingState, &'static Transition), InvalidTransition> {
    step(TRANSITIONS, from, action).ok_or(InvalidTransition { from, action })
}

/// Whether a filing in `state` is still open: the ones that have ended are
/// `NOT_RECOMMENDED`, `REJECTED`, `WITHDRAWN` and `FILED`.
pub fn is_open(state: FilingState) -> bool {
    match state {
        Draft | Submitted | Returned | Recommended | Publicizing => true,
        NotRecommended | Rejected | Withdrawn | Filed => false,
    }
}

/// The state's name as the API spells it.
pub fn state_name(state: FilingState) -> &'static str {
    match state {
        Draft => "DRAFT",
        Submitted => "SUBMITTED",
        Returned => "RETURNED",
        Withdrawn => "WITHDRAWN",
        NotRecommended => "NOT_RECOMMENDED",
        Recommended => "RECOMMENDED",
        Rejected => "REJECTED",
        Publicizing => "PUBLICIZING",
        Filed => "FILED",
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::Iterable as _;

    use super::*;
    use FilingAction::*;

    /// The expected outcome of every legal (state, action) pair, written out apart from
    /// the table so that a wrong row fails here.
    const LEGAL: &[(FilingState, FilingAction, FilingState)] = &[
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
        (Publicizing, Confirm, Filed),
    ];

    #[test]
    fn every_state_and_action_pair_is_legal_exactly_as_designed() {
        for state in FilingState::iter() {
            for action in FilingAction::ALL {
                let expected =
                    LEGAL.iter().find(|(s, a, _)| *s == state && *a == action).map(|(_, _, to)| *to);
                let actual = transition(state, action).map(|(to, _)| to).ok();
                assert_eq!(actual, expected, "{state:?} + {action:?}");
            }
        }
    }

    #[test]
    fn illegal_moves_report_state_and_action() {
        assert_eq!(
            transition(Filed, Withdraw).unwrap_err(),
            InvalidTransition { from: Filed, action: Withdraw }
        );
    }

    #[test]
    fn ended_filings_allow_nothing() {
        for state in FilingState::iter().filter(|s| !is_open(*s)) {
            for action in FilingAction::ALL {
                assert!(transition(state, action).is_err(), "{state:?} + {action:?}");
            }
        }
    }

    #[test]
    fn refusals_and_decisions_need_a_comment() {
        for action in [Return, Decline, Recommend, SendBack, Reject] {
            let row = TRANSITIONS.iter().find(|t| t.action == action).unwrap();
            assert_eq!(row.comment, Comment::Required, "{action:?}");
        }
    }

    #[test]
    fn each_action_has_one_actor() {
        use Role::{Applicant, Recommender, Reviewer};
        let expected = [
            (Update, Applicant),
            (Submit, Applicant),
            (Withdraw, Applicant),
            (Return, Recommender),
            (Decline, Recommender),
            (Recommend, Recommender),
            (SendBack, Reviewer),
            (Reject, Reviewer),
            (OpenPublicity, Reviewer),
            (Confirm, Reviewer),
        ];
        for (action, actor) in expected {
            assert!(
                TRANSITIONS.iter().filter(|t| t.action == action).all(|t| t.actor == actor),
                "{action:?}"
            );
        }
    }
}
