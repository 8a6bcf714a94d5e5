//! Outlets (Art 8, 9, 10, 11, 18): filed by confirming a publicity, valid three years,
//! recommended to CNIPA, terminated or revoked. `EXPIRED` is not stored: it follows from
//! the dates, so an outlet's standing is computed, then looked up here.

use chrono::NaiveDate;

use super::{Comment, Transition, Workflow, row};
use crate::role::Role;

named! {
    /// The stored status of an outlet.
    pub enum OutletStatus {
        Active = "ACTIVE",
        /// 终止备案 (Art 18).
        Terminated = "TERMINATED",
        /// 撤销备案 (Art 18).
        Revoked = "REVOKED",
    }
}

named! {
    /// Where an outlet stands on a given day: its status, with `EXPIRED` for an active one
    /// past its last valid day.
    pub enum Standing {
        Active = "ACTIVE",
        Expired = "EXPIRED",
        Terminated = "TERMINATED",
        Revoked = "REVOKED",
    }
}

named! {
    /// Something done to an outlet, named by its mutation.
    pub enum OutletAction {
        /// Filed when its publicity is confirmed.
        File = "confirmPublicity",
        RecommendToNational = "recommendOutletToNational",
        Terminate = "terminateOutlet",
        Revoke = "revokeOutlet",
        /// A change report (Art 10) is made only for a valid outlet; the outlet stays.
        ReportChange = "submitChangeReport",
    }
}

/// The outlet workflow, over standings.
pub struct Outlets;

impl Workflow for Outlets {
    type State = Standing;
    type Action = OutletAction;

    const TABLE: &'static [Transition<Standing, OutletAction>] = {
        use OutletAction::*;
        use Role::{Applicant, Reviewer};
        use Standing::{Active, Revoked, Terminated};
        &[
            row(&[], File, Reviewer, Some(Active), Comment::Optional),
            row(&[Active], RecommendToNational, Reviewer, None, Comment::Required),
            row(&[Active], Terminate, Reviewer, Some(Terminated), Comment::Required),
            row(&[Active], Revoke, Reviewer, Some(Revoked), Comment::Required),
            row(&[Active], ReportChange, Applicant, None, Comment::Required),
        ]
    };
}

/// An outlet's standing on `today`, from its stored status and last valid day.
pub fn standing(status: OutletStatus, valid_until: NaiveDate, today: NaiveDate) -> Standing {
    match status {
        OutletStatus::Terminated => Standing::Terminated,
        OutletStatus::Revoked => Standing::Revoked,
        OutletStatus::Active if valid_until < today => Standing::Expired,
        OutletStatus::Active => Standing::Active,
    }
}

/// The status an outlet is stored with in `standing`.
pub fn status_of(standing: Standing) -> OutletStatus {
    match standing {
        Standing::Active | Standing::Expired => OutletStatus::Active,
        Standing::Terminated => OutletStatus::Terminated,
        Standing::Revoked => OutletStatus::Revoked,
    }
}

#[cfg(test)]
mod tests {
    use super::OutletAction::*;
    use super::Standing::*;
    use super::*;
    use crate::workflow::check;

    #[test]
    fn only_valid_outlets_change() {
        check::moves_exactly::<Outlets>(&[
            (Active, RecommendToNational, Active),
            (Active, Terminate, Terminated),
            (Active, Revoke, Revoked),
            (Active, ReportChange, Active),
        ]);
    }

    #[test]
    fn an_outlet_expires_the_day_after_its_last_valid_day() {
        let last = NaiveDate::from_ymd_opt(2029, 10, 12).unwrap();
        assert_eq!(standing(OutletStatus::Active, last, last), Active);
        assert_eq!(standing(OutletStatus::Active, last, last.succ_opt().unwrap()), Expired);
        assert_eq!(standing(OutletStatus::Revoked, last, last), Revoked);
    }
}
