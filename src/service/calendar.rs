//! The working-day calendar: public holidays and make-up working days, kept by admins and
//! seeded from the State Council's notices.

use chrono::{Datelike, NaiveDate};
use entity::calendar_day;
use entity::sea_orm_active_enums::DayKind;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::authz::Action;
use crate::db::begin_write;
use crate::domain::calendar::WorkingCalendar;
use crate::domain::scope::ScopePath;
use crate::domain::text::Name;
use crate::error::AppError;
use crate::service::audit::{self, Actor, AuditEntry};
use crate::service::usecase::UseCase;
use crate::state::{AppState, RequestContext};

/// The calendar as stored.
///
/// # Errors
/// When the database fails.
pub async fn load(conn: &impl ConnectionTrait) -> Result<WorkingCalendar, AppError> {
    let days = calendar_day::Entity::find().all(conn).await?;
    Ok(WorkingCalendar::new(days.into_iter().map(|d| (d.day, d.kind.into()))))
}

/// The marked days of `year`, in order. Open to everyone.
///
/// # Errors
/// When the database fails.
pub async fn days_of(state: &AppState, year: i32) -> Result<Vec<calendar_day::Model>, AppError> {
    let (Some(first), Some(last)) =
        (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31))
    else {
        return Err(AppError::invalid("year", "not a year"));
    };
    Ok(calendar_day::Entity::find()
        .filter(calendar_day::Column::Day.between(first, last))
        .order_by_asc(calendar_day::Column::Day)
        .all(&state.db)
        .await?)
}

/// Marks a day as a holiday or a make-up working day, replacing any mark it had.
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN` unless the caller is an admin.
pub async fn set_day(
    state: &AppState,
    request: &RequestContext,
    day: NaiveDate,
    kind: DayKind,
    name: Name,
) -> Result<calendar_day::Model, AppError> {
    let scope = ScopePath::region();
    let uc = UseCase::begin(state, request).await?;
    uc.authorize(Action::SetCalendarDay, &scope)?;
    upsert(&uc.txn, day, kind, name.as_ref()).await?;
    let note = format!("{kind:?} {name}");
    uc.audit(entry(Action::SetCalendarDay, &scope, day, &note)).await?;
    uc.commit().await?;
    Ok(calendar_day::Model { day, kind, name: name.into_inner() })
}

/// Removes a day's mark, so it counts as an ordinary weekday or weekend day again.
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN` unless the caller is an admin; `NOT_FOUND` for an unmarked day.
pub async fn remove_day(state: &AppState, request: &RequestContext, day: NaiveDate) -> Result<(), AppError> {
    let scope = ScopePath::region();
    let uc = UseCase::begin(state, request).await?;
    uc.authorize(Action::RemoveCalendarDay, &scope)?;
    let removed = calendar_day::Entity::delete_by_id(day).exec(&uc.txn).await?;
    if removed.rows_affected == 0 {
        return Err(AppError::NotFound { entity: "calendar day" });
    }
    uc.audit(entry(Action::RemoveCalendarDay, &scope, day, "removed")).await?;
    uc.commit().await?;
    Ok(())
}

/// Imports days from CSV text with the columns `date,kind,name` (the format of the
/// published holiday file), replacing marks on the same dates. Returns how many were read.
///
/// # Errors
/// `BAD_USER_INPUT` naming the first bad line; nothing is imported then.
pub async fn import_csv(state: &AppState, csv: &str) -> Result<usize, AppError> {
    let mut rows = Vec::new();
    for (number, line) in csv.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let bad = || AppError::invalid(format!("line {}", number + 1), "expected date,kind,name");
        let mut fields = line.split(',').map(str::trim);
        let (Some(day), Some(kind), Some(name)) = (fields.next(), fields.next(), fields.next()) else {
            return Err(bad());
        };
        let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|_| bad())?;
        let kind = match kind {
            "HOLIDAY" => DayKind::Holiday,
            "MAKEUP_WORKDAY" => DayKind::MakeupWorkday,
            _ => return Err(bad()),
        };
        let name = Name::parse(name).map_err(|_| bad())?;
        rows.push((day, kind, name));
    }
    let txn = begin_write(&state.writer).await?;
    for (day, kind, name) in &rows {
        upsert(&txn, *day, *kind, name.as_ref()).await?;
    }
    let years: Vec<String> = {
        let mut years: Vec<i32> = rows.iter().map(|(d, ..)| d.year()).collect();
        years.dedup();
        years.iter().map(ToString::to_string).collect()
    };
    let scope = ScopePath::region();
    let note = format!("{} days for {}", rows.len(), years.join(", "));
    let actor = Actor { user_id: None, role: "SYSTEM" };
    let audit_entry =
        AuditEntry::named("importCalendar", &scope, "calendar", years.join(",")).noting(Some(&note));
    audit::record_as(&txn, state, actor, None, audit_entry).await?;
    txn.commit().await?;
    Ok(rows.len())
}

async fn upsert(
    conn: &impl ConnectionTrait,
    day: NaiveDate,
    kind: DayKind,
    name: &str,
) -> Result<(), AppError> {
    calendar_day::Entity::insert(calendar_day::ActiveModel {
        day: Set(day),
        kind: Set(kind),
        name: Set(name.to_owned()),
    })
    .on_conflict(
        OnConflict::column(calendar_day::Column::Day)
            .update_columns([calendar_day::Column::Kind, calendar_day::Column::Name])
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

fn entry<'a>(action: Action, scope: &'a ScopePath, day: NaiveDate, note: &'a str) -> AuditEntry<'a> {
    AuditEntry::new(action, scope, "calendar", day).noting(Some(note))
}
