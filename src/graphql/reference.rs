//! Reference data: the recommending departments, the eligibility conditions and the
//! working-day calendar.

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use chrono::NaiveDate;
use entity::{calendar_day, department, sea_orm_active_enums as db};

use crate::domain::text::Name;
use crate::error::AppError;
use crate::graphql::{inputs, request, state};
use crate::service::calendar;

/// 推荐部门类别 — the kind of a recommending department.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::DepartmentKind")]
pub enum DepartmentKind {
    /// 地级市 — prefecture-level city.
    PrefectureCity,
    /// 盟 — league.
    League,
    /// 计划单列市 — separately planned city.
    SeparatelyPlannedCity,
}

/// A recommending department (盟市市场监管局（知识产权局）).
pub struct Department(pub department::Model);

#[Object]
impl Department {
    /// GB/T 2260 division code.
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn kind(&self) -> DepartmentKind {
        self.0.kind.into()
    }
    /// For a separately planned city, the code of the league or city it lies in.
    async fn parent_code(&self) -> Option<&str> {
        self.0.parent_code.as_deref()
    }
}

/// Looks up a department by code in the cached list.
pub(crate) fn department(ctx: &Context<'_>, code: &str) -> Result<Option<Department>, AppError> {
    Ok(state(ctx)?.departments.get(code).cloned().map(Department))
}

/// One eligibility condition (Art 5, 6, 13).
#[derive(SimpleObject)]
pub struct EligibilityCondition {
    /// The code `INELIGIBLE` errors and `unmetConditions` report.
    pub code: String,
    /// Where the guideline sets it.
    pub article: String,
    pub description: String,
}

/// Reference data open to everyone.
#[derive(Default)]
pub struct ReferenceQuery;

#[Object]
impl ReferenceQuery {
    /// The 14 recommending departments (盟市 and the two separately planned cities), in
    /// their published order.
    async fn regions(&self, ctx: &Context<'_>) -> Result<Vec<Department>, AppError> {
        Ok(state(ctx)?.departments.all().iter().cloned().map(Department).collect())
    }

    /// The conditions a filing must meet to be submitted (Art 5, 6, 13), in order.
    async fn eligibility_conditions(&self) -> Vec<EligibilityCondition> {
        crate::domain::eligibility::CONDITIONS
            .iter()
            .map(|c| EligibilityCondition {
                code: c.code.to_owned(),
                article: c.article.to_owned(),
                description: c.description.to_owned(),
            })
            .collect()
    }
}

/// 日期类型 — how a day departs from the ordinary week.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::DayKind")]
pub enum DayKind {
    /// 法定节假日 — a rest day.
    Holiday,
    /// 调休上班 — a weekend day that is worked.
    MakeupWorkday,
}

/// A marked day of the working-day calendar.
pub struct CalendarDay(pub calendar_day::Model);

#[Object]
impl CalendarDay {
    async fn date(&self) -> NaiveDate {
        self.0.day
    }
    async fn kind(&self) -> DayKind {
        self.0.kind.into()
    }
    /// The holiday it belongs to, e.g. 春节.
    async fn name(&self) -> &str {
        &self.0.name
    }
}

/// A holiday or make-up working day.
#[derive(InputObject)]
pub struct SetCalendarDayInput {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// The holiday it belongs to, e.g. 春节.
    pub name: String,
}

/// A day whose mark to remove.
#[derive(InputObject)]
pub struct RemoveCalendarDayInput {
    pub date: NaiveDate,
}

/// The working-day calendar, open to everyone.
#[derive(Default)]
pub struct CalendarQuery;

#[Object]
impl CalendarQuery {
    /// The marked days (holidays, make-up working days) of a year. Open to everyone.
    async fn calendar_days(&self, ctx: &Context<'_>, year: i32) -> Result<Vec<CalendarDay>, AppError> {
        let year = inputs::year("year", year)?;
        Ok(calendar::days_of(state(ctx)?, year).await?.into_iter().map(CalendarDay).collect())
    }
}

/// The calendar day as marked.
#[derive(SimpleObject)]
pub struct CalendarDayPayload {
    day: CalendarDay,
}

/// The day whose mark was removed.
#[derive(SimpleObject)]
pub struct RemoveCalendarDayPayload {
    date: NaiveDate,
}

/// The working-day calendar publicity periods are counted in (DESIGN §6).
#[derive(Default)]
pub struct CalendarMutation;

#[Object]
impl CalendarMutation {
    /// Marks a day as a public holiday or a make-up working day (admins).
    async fn set_calendar_day(
        &self,
        ctx: &Context<'_>,
        input: SetCalendarDayInput,
    ) -> Result<CalendarDayPayload, AppError> {
        let name = Name::parse(&input.name).map_err(|e| AppError::invalid("input.name", e.0))?;
        let day = calendar::set_day(state(ctx)?, request(ctx)?, input.date, input.kind.into(), name).await?;
        Ok(CalendarDayPayload { day: CalendarDay(day) })
    }

    /// Removes a day's mark (admins).
    async fn remove_calendar_day(
        &self,
        ctx: &Context<'_>,
        input: RemoveCalendarDayInput,
    ) -> Result<RemoveCalendarDayPayload, AppError> {
        calendar::remove_day(state(ctx)?, request(ctx)?, input.date).await?;
        Ok(RemoveCalendarDayPayload { date: input.date })
    }
}
