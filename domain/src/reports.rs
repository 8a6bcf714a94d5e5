//! Annual reports (Art 17): what a report holds, the reporting deadline, and the sums a
//! department summary carries. Their workflows are in [`super::workflow`].

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::clock::china_standard_time;

/// The figures of an annual report, all counts. Summing two gives a department's totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ReportFigures {
    pub consultations_phone: i64,
    pub consultations_online: i64,
    pub consultations_window: i64,
    pub searches: i64,
    /// Search and analysis reports, key-industry ones not included.
    pub analysis_reports: i64,
    pub key_industry_reports: i64,
    pub training_sessions: i64,
    pub training_participants: i64,
    pub publicity_events: i64,
    pub publicity_participants: i64,
    pub smes_served: i64,
    pub online_users: i64,
    pub offline_users: i64,
    pub full_time_staff: i64,
    pub part_time_staff: i64,
    pub databases_and_tools: i64,
}

/// The deadline of the report on `year`: 31 January of the next year, 23:59:59 China
/// Standard Time (Art 17), as an instant.
pub fn deadline(year: i32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(year + 1, 1, 31)
        .and_then(|d| d.and_hms_opt(23, 59, 59))
        .and_then(|t| t.and_local_timezone(china_standard_time()).single())
        .map_or(DateTime::<Utc>::MAX_UTC, |t| t.with_timezone(&Utc))
}

/// The years the service keeps reports, lists and calendars for. A year outside is
/// refused at the edge, so date arithmetic on a year never overflows.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The first and last day of `year`, if chrono can represent it.
pub fn year_span(year: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((NaiveDate::from_ymd_opt(year, 1, 1)?, NaiveDate::from_ymd_opt(year, 12, 31)?))
}

/// An outlet's term as far as reporting cares: when it was valid, and the day it was
/// terminated or revoked, if it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub ended_on: Option<NaiveDate>,
}

/// Whether an outlet owes a report on `year` (Art 17): it was an outlet on some day of the
/// year, so valid for a day of it and not ended before it began.
pub fn owes_report_on(term: Term, year: i32) -> bool {
    let Some((first, last)) = year_span(year) else { return false };
    term.valid_from <= last && term.valid_until >= first && term.ended_on.is_none_or(|d| d >= first)
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
    use super::*;

    #[test]
    fn the_deadline_is_the_end_of_january_in_china_standard_time() {
        let deadline = deadline(2026);
        assert_eq!(deadline.to_rfc3339(), "2027-01-31T15:59:59+00:00");
        // 16:30 UTC on 31 January is already 1 February in Hohhot: late.
        assert!(is_late(2026, "2027-01-31T16:30:00Z".parse().unwrap()));
        assert!(!is_late(2026, "2027-01-31T15:59:59Z".parse().unwrap()));
    }

    #[test]
    fn an_outlet_owes_a_report_on_every_year_it_was_an_outlet_on_some_day() {
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        let term = Term { valid_from: day("2024-07-01"), valid_until: day("2027-06-30"), ended_on: None };
        assert!(!owes_report_on(term, 2023));
        assert!(owes_report_on(term, 2024));
        assert!(owes_report_on(term, 2027));
        assert!(!owes_report_on(term, 2028));
        let revoked = Term { ended_on: Some(day("2025-03-01")), ..term };
        assert!(owes_report_on(revoked, 2025), "active until March");
        assert!(!owes_report_on(revoked, 2026), "revoked before the year began");
        assert!(!owes_report_on(term, 262_142), "a year chrono cannot hold owes nothing");
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
