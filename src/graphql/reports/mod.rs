//! The GraphQL face of annual reports (Art 17), their department summaries, and change
//! reports (Art 10). This module holds what they share: the figures and narrative of a
//! report, and the input of a workflow step.

mod annual;
mod changes;
mod summaries;

use async_graphql::{ID, InputObject, SimpleObject};
use entity::json::ReportNarrative;

use crate::domain::reports::ReportFigures;

pub use self::annual::{AnnualReportMutation, AnnualReportQuery, ReportState};
pub use self::changes::{ChangeReportMutation, ChangeReportQuery, ChangeState};
pub use self::summaries::{SummaryMutation, SummaryQuery, SummaryState};
use crate::domain::text::{Prose, Text};
use crate::error::AppError;
use crate::graphql::inputs::step_input;

/// The figures of an annual report: counts for the year (Art 17). Also a department's totals.
#[derive(SimpleObject, InputObject, Debug, Clone, Copy, Default)]
#[graphql(input_name = "ReportFiguresInput")]
pub struct Figures {
    /// 咨询服务 by telephone, online and at the window.
    pub consultations_phone: i32,
    pub consultations_online: i32,
    pub consultations_window: i32,
    /// 检索服务.
    pub searches: i32,
    /// 检索分析报告, key-industry ones not included.
    pub analysis_reports: i32,
    /// 重点产业分析报告.
    pub key_industry_reports: i32,
    /// 培训 sessions and participants.
    pub training_sessions: i32,
    pub training_participants: i32,
    /// 宣传活动 and participants.
    pub publicity_events: i32,
    pub publicity_participants: i32,
    /// 服务中小微企业.
    pub smes_served: i32,
    /// Users served online and offline.
    pub online_users: i32,
    pub offline_users: i32,
    /// Staff at year end.
    pub full_time_staff: i32,
    pub part_time_staff: i32,
    pub databases_and_tools: i32,
}

fn clamp(value: i64) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

impl From<ReportFigures> for Figures {
    fn from(f: ReportFigures) -> Self {
        Self {
            consultations_phone: clamp(f.consultations_phone),
            consultations_online: clamp(f.consultations_online),
            consultations_window: clamp(f.consultations_window),
            searches: clamp(f.searches),
            analysis_reports: clamp(f.analysis_reports),
            key_industry_reports: clamp(f.key_industry_reports),
            training_sessions: clamp(f.training_sessions),
            training_participants: clamp(f.training_participants),
            publicity_events: clamp(f.publicity_events),
            publicity_participants: clamp(f.publicity_participants),
            smes_served: clamp(f.smes_served),
            online_users: clamp(f.online_users),
            offline_users: clamp(f.offline_users),
            full_time_staff: clamp(f.full_time_staff),
            part_time_staff: clamp(f.part_time_staff),
            databases_and_tools: clamp(f.databases_and_tools),
        }
    }
}

impl Figures {
    /// # Errors
    /// `BAD_USER_INPUT` naming the first negative count.
    fn parse(self) -> Result<ReportFigures, AppError> {
        let counts = [
            ("consultationsPhone", self.consultations_phone),
            ("consultationsOnline", self.consultations_online),
            ("consultationsWindow", self.consultations_window),
            ("searches", self.searches),
            ("analysisReports", self.analysis_reports),
            ("keyIndustryReports", self.key_industry_reports),
            ("trainingSessions", self.training_sessions),
            ("trainingParticipants", self.training_participants),
            ("publicityEvents", self.publicity_events),
            ("publicityParticipants", self.publicity_participants),
            ("smesServed", self.smes_served),
            ("onlineUsers", self.online_users),
            ("offlineUsers", self.offline_users),
            ("fullTimeStaff", self.full_time_staff),
            ("partTimeStaff", self.part_time_staff),
            ("databasesAndTools", self.databases_and_tools),
        ];
        if let Some((name, _)) = counts.iter().find(|(_, v)| *v < 0) {
            return Err(AppError::invalid(format!("input.figures.{name}"), "must not be negative"));
        }
        Ok(ReportFigures {
            consultations_phone: self.consultations_phone.into(),
            consultations_online: self.consultations_online.into(),
            consultations_window: self.consultations_window.into(),
            searches: self.searches.into(),
            analysis_reports: self.analysis_reports.into(),
            key_industry_reports: self.key_industry_reports.into(),
            training_sessions: self.training_sessions.into(),
            training_participants: self.training_participants.into(),
            publicity_events: self.publicity_events.into(),
            publicity_participants: self.publicity_participants.into(),
            smes_served: self.smes_served.into(),
            online_users: self.online_users.into(),
            offline_users: self.offline_users.into(),
            full_time_staff: self.full_time_staff.into(),
            part_time_staff: self.part_time_staff.into(),
            databases_and_tools: self.databases_and_tools.into(),
        })
    }
}

/// The narrative of a report or summary.
#[derive(SimpleObject, InputObject, Debug, Clone, Default)]
#[graphql(input_name = "NarrativeInput")]
pub struct Narrative {
    /// 工作成效.
    pub achievements: Option<String>,
    /// 典型案例.
    pub typical_cases: Option<String>,
    /// 存在问题.
    pub problems: Option<String>,
    /// 下一年度工作计划.
    pub next_year_plan: Option<String>,
}

impl From<ReportNarrative> for Narrative {
    fn from(n: ReportNarrative) -> Self {
        Self {
            achievements: n.achievements,
            typical_cases: n.typical_cases,
            problems: n.problems,
            next_year_plan: n.next_year_plan,
        }
    }
}

impl Narrative {
    fn parse(self, path: &str) -> Result<ReportNarrative, AppError> {
        let part = |name: &str, value: Option<String>| {
            value
                .filter(|v| !v.trim().is_empty())
                .map(|v| {
                    Text::<10_000>::parse(&v)
                        .map(Text::into_inner)
                        .map_err(|e| AppError::invalid(format!("{path}.{name}"), e.0))
                })
                .transpose()
        };
        Ok(ReportNarrative {
            achievements: part("achievements", self.achievements)?,
            typical_cases: part("typicalCases", self.typical_cases)?,
            problems: part("problems", self.problems)?,
            next_year_plan: part("nextYearPlan", self.next_year_plan)?,
        })
    }
}

/// A step on a report, summary or change report.
#[derive(InputObject)]
pub struct ReportActionInput {
    pub id: ID,
    pub version: i32,
    /// Required to return or reject.
    pub comment: Option<String>,
}

impl ReportActionInput {
    fn parse(self) -> Result<(i64, i32, Option<Prose>), AppError> {
        step_input(&self.id, self.version, self.comment.as_deref())
    }
}
