//! Working days in China: Monday to Friday, less public holidays, plus the weekend days
//! the State Council makes working days (调休). Periods in working days are counted in
//! dates of China Standard Time.

use std::collections::HashMap;

use chrono::{Datelike, Days, NaiveDate, Weekday};

named! {
    /// How a calendar day departs from the Monday-to-Friday week.
    pub enum DayKind {
        /// A rest day, weekend or not (法定节假日).
        Holiday = "HOLIDAY",
        /// A Saturday or Sunday that is worked (调休上班).
        MakeupWorkday = "MAKEUP_WORKDAY",
    }
}

/// A calendar of marked days over the ordinary week.
#[derive(Debug, Clone, Default)]
pub struct WorkingCalendar {
    marks: HashMap<NaiveDate, DayKind>,
}

impl WorkingCalendar {
    /// A calendar with these marked days.
    pub fn new(marks: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> Self {
        Self { marks: marks.into_iter().collect() }
    }

    /// Whether `day` is worked.
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        match self.marks.get(&day) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::MakeupWorkday) => true,
            None => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The last day of a period of `working_days` working days that starts on `start`
    /// (counted if it is itself a working day). A period of 0 days ends the day before.
    pub fn period_end(&self, start: NaiveDate, working_days: u32) -> NaiveDate {
        let mut day = start;
        let mut left = working_days;
        if left == 0 {
            return start.pred_opt().unwrap_or(start);
        }
        loop {
            if self.is_working_day(day) {
                left -= 1;
                if left == 0 {
                    return day;
                }
            }
            day = day.checked_add_days(Days::new(1)).unwrap_or(day);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// 2026's National Day: 1–7 October off, Saturday 10 October worked.
    fn national_day_2026() -> WorkingCalendar {
        let mut marks: Vec<_> =
            (1..=7).map(|d| (NaiveDate::from_ymd_opt(2026, 10, d).unwrap(), DayKind::Holiday)).collect();
        marks.push((day("2026-10-10"), DayKind::MakeupWorkday));
        WorkingCalendar::new(marks)
    }

    #[test]
    fn an_ordinary_week_skips_the_weekend() {
        let calendar = WorkingCalendar::default();
        // Thursday 5 March 2026 + 5 working days: Thu, Fri, Mon, Tue, Wed.
        assert_eq!(calendar.period_end(day("2026-03-05"), 5), day("2026-03-11"));
        // Starting on a Saturday, counting begins on Monday.
        assert_eq!(calendar.period_end(day("2026-03-07"), 1), day("2026-03-09"));
    }

    #[test]
    fn holidays_are_skipped_and_makeup_days_counted() {
        let calendar = national_day_2026();
        assert!(!calendar.is_working_day(day("2026-10-05")));
        assert!(calendar.is_working_day(day("2026-10-10")));
        // 30 Sep, 8 Oct, 9 Oct, Sat 10 Oct (worked), Mon 12 Oct.
        assert_eq!(calendar.period_end(day("2026-09-30"), 5), day("2026-10-12"));
    }
}
