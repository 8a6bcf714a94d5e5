//! How long a filing holds (Art 9): three years from the filing date, renewable for three
//! years at a time from the end of the last term, and when a renewal may be applied for.

use chrono::{Datelike, Days, NaiveDate};

/// Length of a term and of a ban, in years.
const YEARS: i32 = 3;

/// The same date `YEARS` years on; 29 February becomes 1 March in a common year.
fn years_on(day: NaiveDate) -> NaiveDate {
    let year = day.year() + YEARS;
    NaiveDate::from_ymd_opt(year, day.month(), day.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
        .unwrap_or(NaiveDate::MAX)
}

/// The last day of a term that starts on `first_day`: the day before the same date three
/// years on.
pub fn term_end(first_day: NaiveDate) -> NaiveDate {
    years_on(first_day).pred_opt().unwrap_or(NaiveDate::MAX)
}

/// The last day of the term that follows one ending on `last_day`, without a gap.
pub fn renewed_end(last_day: NaiveDate) -> NaiveDate {
    last_day.checked_add_days(Days::new(1)).map_or(NaiveDate::MAX, term_end)
}

/// Whether a renewal may be applied for on `today`: from `window_days` before the last
/// day of validity up to and including that day.
pub fn in_renewal_window(today: NaiveDate, last_day: NaiveDate, window_days: u32) -> bool {
    let opens = last_day.checked_sub_days(Days::new(u64::from(window_days))).unwrap_or(NaiveDate::MIN);
    opens <= today && today <= last_day
}

/// The first day on which a window of `window_days` before `last_day` opens.
pub fn renewal_opens(last_day: NaiveDate, window_days: u32) -> NaiveDate {
    last_day.checked_sub_days(Days::new(u64::from(window_days))).unwrap_or(NaiveDate::MIN)
}

/// The first day an institution banned on `decided_on` may file again (Art 18: three years).
pub fn ban_ends(decided_on: NaiveDate) -> NaiveDate {
    years_on(decided_on)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_term_is_three_years_less_a_day() {
        assert_eq!(term_end(day("2026-03-10")), day("2029-03-09"));
        assert_eq!(term_end(day("2028-02-29")), day("2031-02-28"));
        assert_eq!(term_end(day("2029-03-01")), day("2032-02-29"));
    }

    #[test]
    fn a_renewal_continues_without_a_gap() {
        let first = term_end(day("2026-03-10"));
        let second = renewed_end(first);
        assert_eq!(second, day("2032-03-09"));
        assert_eq!(term_end(first.succ_opt().unwrap()), second);
        assert_eq!(renewed_end(day("2029-02-28")), day("2032-02-29"));
    }

    #[test]
    fn the_renewal_window_closes_on_the_last_day() {
        let last = day("2029-03-09");
        assert!(!in_renewal_window(day("2028-12-08"), last, 90));
        assert!(in_renewal_window(day("2028-12-09"), last, 90));
        assert!(in_renewal_window(last, last, 90));
        assert!(!in_renewal_window(day("2029-03-10"), last, 90));
    }

    #[test]
    fn a_ban_lasts_three_years() {
        assert_eq!(ban_ends(day("2026-05-09")), day("2029-05-09"));
    }
}
