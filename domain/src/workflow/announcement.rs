//! Publicity announcements (Art 7(3)): opened over recommended filings, confirmed once
//! the period is over, which publishes the list. Announcements are written once; a
//! publicity counts as confirmed when a list concludes it.

use chrono::NaiveDate;

use super::{Comment, Transition, Workflow, row};
use crate::role::Role;

named! {
    /// Where a publicity announcement stands.
    pub enum AnnouncementState {
        Publicizing = "PUBLICIZING",
        Confirmed = "CONFIRMED",
    }
}

named! {
    /// Something done to a publicity announcement, named by its mutation.
    pub enum AnnouncementAction {
        Open = "openPublicity",
        Confirm = "confirmPublicity",
    }
}

named! {
    /// What an announcement publishes.
    pub enum AnnouncementKind {
        /// 公示: candidates open to objection for a period (Art 7(3)).
        Publicity = "PUBLICITY",
        /// 名单: the outlets filed (Art 7(3), 8).
        List = "LIST",
    }
}

/// The publicity workflow.
pub struct Announcements;

impl Workflow for Announcements {
    type State = AnnouncementState;
    type Action = AnnouncementAction;

    const TABLE: &'static [Transition<AnnouncementState, AnnouncementAction>] = {
        use AnnouncementAction::*;
        use AnnouncementState::{Confirmed, Publicizing};
        &[
            row(&[], Open, Role::Reviewer, Some(Publicizing), Comment::Optional),
            row(&[Publicizing], Confirm, Role::Reviewer, Some(Confirmed), Comment::Optional),
        ]
    };
}

/// Whether a publicity that ends on `end` (its last working day) is over on `today`: it
/// may be confirmed from the next day.
pub fn period_over(end: Option<NaiveDate>, today: NaiveDate) -> bool {
    end.is_none_or(|end| today > end)
}

#[cfg(test)]
mod tests {
    use super::AnnouncementAction::*;
    use super::AnnouncementState::*;
    use super::*;
    use crate::workflow::check;

    #[test]
    fn a_publicity_is_confirmed_once_and_only_after_its_last_day() {
        check::moves_exactly::<Announcements>(&[(Publicizing, Confirm, Confirmed)]);
        let end = NaiveDate::from_ymd_opt(2026, 10, 12);
        assert!(!period_over(end, NaiveDate::from_ymd_opt(2026, 10, 12).unwrap()));
        assert!(period_over(end, NaiveDate::from_ymd_opt(2026, 10, 13).unwrap()));
    }
}
