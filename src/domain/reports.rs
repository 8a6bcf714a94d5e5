//! Annual reports (Art 17) and change reports (Art 10): their workflow tables, the
//! reporting deadline, and the sums a department summary carries.

use chrono::{DateTime, NaiveDate, Utc};
use entity::json::ReportFigures;
use entity::sea_orm_active_enums::{ChangeState, ReportState, Role, SummaryState};

use super::clock::china_standard_time;
use super::workflow::{Comment, Transition, row};

/// Something done to an annual report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportAction {
    Update,
    Submit,
    Return,
    /// Taken into a department summary.
    Forward,
    /// Accepted with its summary.
    Accept,
    /// Back to the department with its summary returned.
    SendBack,
}

impl ReportAction {
    /// The name `INVALID_TRANSITION` reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Update => "UPDATE",
            Self::Submit => "SUBMIT",
            Self::Return => "RETURN",
            Self::Forward => "FORWARD",
            Self::Accept => "ACCEPT",
            Self::SendBack => "SEND_BACK",
        }
    }
}

/// The annual-report workflow (DESIGN §7).
pub const REPORT_TRANSITIONS: &[Transition<ReportState, ReportAction>] = {
    use ReportState::{Accepted, Draft, Forwarded, Returned, Submitted};
    &[
        row(&[Draft, Returned], ReportAction::Update, Role::Applicant, None, Comment::Optional),
        row(&[Draft, Returned], ReportAction::Submit, Role::Applicant, Some(Submitted), Comment::Optional),
        row(&[Submitted], ReportAction::Return, Role::Recommender, Some(Returned), Comment::Required),
        row(&[Submitted], ReportAction::Forward, Role::Recommender, Some(Forwarded), Comment::Optional),
        row(&[Forwarded], ReportAction::Accept, Role::Reviewer, Some(Accepted), Comment::Optional),
        row(&[Forwarded], ReportAction::SendBack, Role::Reviewer, Some(Submitted), Comment::Required),
    ]
};

/// What the region bureau does with a department summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryAction {
    Accept,
    Return,
}

/// The department-summary workflow.
pub const SUMMARY_TRANSITIONS: &[Transition<SummaryState, SummaryAction>] = &[
    row(
        &[SummaryState::Forwarded],
        SummaryAction::Accept,
        Role::Reviewer,
        Some(SummaryState::Accepted),
        Comment::Optional,
    ),
    row(
        &[SummaryState::Forwarded],
        SummaryAction::Return,
        Role::Reviewer,
        Some(SummaryState::Returned),
        Comment::Required,
    ),
];

/// Something done to a change report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeAction {
    Forward,
    Return,
    Accept,
    Reject,
}

impl ChangeAction {
    /// The name `INVALID_TRANSITION` reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Forward => "FORWARD",
            Self::Return => "RETURN",
            Self::Accept => "ACCEPT",
            Self::Reject => "REJECT",
        }
    }
}

/// The change-report workflow (DESIGN §8).
pub const CHANGE_TRANSITIONS: &[Transition<ChangeState, ChangeAction>] = {
    use ChangeState::{Accepted, Forwarded, Rejected, Returned, Submitted};
    &[
        row(&[Submitted], ChangeAction::Forward, Role::Recommender, Some(Forwarded), Comment::Optional),
        row(&[Submitted], ChangeAction::Return, Role::Recommender, Some(Returned), Comment::Required),
        row(&[Forwarded], ChangeAction::Accept, Role::Reviewer, Some(Accepted), Comment::Optional),
        row(&[Forwarded], ChangeAction::Reject, Role::Reviewer, Some(Rejected), Comment::Required),
    ]
};

/// The deadline of the report on `year`: 31 January of the next year, 23:59:59 China
/// Standard Time (Art 17), as an instant.
pub fn deadline(year: i32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(year + 1, 1, 31)
        .and_then(|d| d.and_hms_opt(23, 59, 59))
        .and_then(|t| t.and_local_timezone(china_standard_time()).single())
        .map_or(DateTime::<Utc>::MAX_UTC, |t| t.with_timezone(&Utc))
}

/// Whether a report on `year` first submitted at `at` is late.
pub fn is_late(year: i32, at: DateTime<Utc>) -> bool {
    at > deadline(year)
}

/// The sums of many reports' figures.
pub fn total<'a>(figures: impl IntoIterator<Item = &'a ReportFigures>) -> ReportFigures {
    figures.into_iter().fold(ReportFigures::default(), |sum, f| ReportFigures {
        consultations_phone: sum.consultations_phone + f.consultations_phone,
        consultations_online: sum.consultations_online + f.consultations_online,
        consultations_window: sum.consultations_window + f.consultations_window,
        searches: sum.searches + f.searches,
        analysis_reports: sum.analysis_reports + f.analysis_reports,
        key_industry_reports: sum.key_industry_reports + f.key_industry_reports,
        training_sessions: sum.training_sessions + f.training_sessions,
        training_participants: sum.training_participants + f.training_participants,
        publicity_events: sum.publicity_events + f.publicity_events,
        publicity_participants: sum.publicity_participants + f.publicity_participants,
        smes_served: sum.smes_served + f.smes_served,
        online_users: sum.online_users + f.online_users,
        offline_users: sum.offline_users + f.offline_users,
        full_time_staff: sum.full_time_staff + f.full_time_staff,
        part_time_staff: sum.part_time_staff + f.part_time_staff,
        databases_and_tools: sum.databases_and_tools + f.databases_and_tools,
    })
}

#[cfg(test)]
mod tests {
    use sea_orm::Iterable as _;

    use super::*;
    use crate::domain::workflow::step;

    #[test]
    fn the_deadline_is_the_end_of_january_in_china_standard_time() {
        let deadline = deadline(2026);
        assert_eq!(deadline.to_rfc3339(), "2027-01-31T15:59:59+00:00");
        // 16:30 UTC on 31 January is already 1 February in Hohhot: late.
        assert!(is_late(2026, "2027-01-31T16:30:00Z".parse().unwrap()));
        assert!(!is_late(2026, "2027-01-31T15:59:59Z".parse().unwrap()));
    }

    #[test]
    fn report_states_move_only_as_the_table_says() {
        use ReportAction::*;
        use ReportState::*;
        let legal = [
            (Draft, Update, Draft),
            (Returned, Update, Returned),
            (Draft, Submit, Submitted),
            (Returned, Submit, Submitted),
            (Submitted, Return, Returned),
            (Submitted, Forward, Forwarded),
            (Forwarded, Accept, Accepted),
            (Forwarded, SendBack, Submitted),
        ];
        for state in ReportState::iter() {
            for action in [Update, Submit, Return, Forward, Accept, SendBack] {
                let expected =
                    legal.iter().find(|(s, a, _)| *s == state && *a == action).map(|(_, _, to)| *to);
                assert_eq!(
                    step(REPORT_TRANSITIONS, state, action).map(|(to, _)| to),
                    expected,
                    "{state:?} + {action:?}"
                );
            }
        }
    }

    #[test]
    fn change_states_move_only_as_the_table_says() {
        use ChangeAction::*;
        use ChangeState::*;
        let legal = [
            (Submitted, Forward, Forwarded),
            (Submitted, Return, Returned),
            (Forwarded, Accept, Accepted),
            (Forwarded, Reject, Rejected),
        ];
        for state in ChangeState::iter() {
            for action in [Forward, Return, Accept, Reject] {
                let expected =
                    legal.iter().find(|(s, a, _)| *s == state && *a == action).map(|(_, _, to)| *to);
                assert_eq!(
                    step(CHANGE_TRANSITIONS, state, action).map(|(to, _)| to),
                    expected,
                    "{state:?} + {action:?}"
                );
            }
        }
    }

    #[test]
    fn totals_add_every_figure() {
        let one = ReportFigures {
            consultations_phone: 1,
            searches: 2,
            smes_served: 3,
            databases_and_tools: 4,
            ..Default::default()
        };
        let two = ReportFigures {
            consultations_phone: 10,
            searches: 20,
            training_participants: 5,
            ..Default::default()
        };
        let sum = total([&one, &two]);
        assert_eq!(sum.consultations_phone, 11);
        assert_eq!(sum.searches, 22);
        assert_eq!(sum.smes_served, 3);
        assert_eq!(sum.training_participants, 5);
        assert_eq!(sum.databases_and_tools, 4);
    }
}
