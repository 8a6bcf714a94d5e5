//! Publicity (公示) and the published lists (名单, Art 7(3)): announcements, objections,
//! and concluding a publicity.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use entity::{announcement, objection, sea_orm_active_enums as db};

use crate::domain::text::{Line, Text};
use crate::error::AppError;
use crate::graphql::connection::{Conn, connection, page_complexity, page_request};
use crate::graphql::filings::Filing;
use crate::graphql::inputs::{optional, row_id};
use crate::graphql::reference::Department;
use crate::graphql::{request, state};
use crate::service::filings;
use crate::service::publicity::{self, Candidate};

/// 公告类型 — what an announcement publishes.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::AnnouncementKind")]
pub enum AnnouncementKind {
    /// 公示 — candidates open to objection.
    Publicity,
    /// 名单 — the outlets filed.
    List,
}

/// 异议状态 — where an objection stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::ObjectionStatus")]
pub enum ObjectionStatus {
    /// 待处理 — not resolved yet.
    Open,
    /// 异议成立 — upheld: the filing is rejected.
    Upheld,
    /// 异议不成立 — dismissed.
    Dismissed,
}

/// An objection to a filing under publicity (异议).
pub struct Objection(pub objection::Model);

#[Object]
impl Objection {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn content(&self) -> &str {
        &self.0.content
    }
    async fn status(&self) -> ObjectionStatus {
        self.0.status.into()
    }
    async fn resolution(&self) -> Option<&str> {
        self.0.resolution.as_deref()
    }
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }
    async fn resolved_at(&self) -> Option<DateTime<Utc>> {
        self.0.resolved_at
    }
    /// The publicity announcement it was raised under.
    async fn announcement_id(&self) -> ID {
        self.0.announcement_id.into()
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// One institution an announcement names.
#[derive(SimpleObject)]
pub struct AnnouncementEntry {
    pub institution_name: String,
    pub department: Option<Department>,
    /// For a list: the outlet's number.
    pub outlet_number: Option<String>,
}

/// A published announcement: a publicity (公示) or a list (名单). Published announcements
/// never change, and are open to everyone: titles, dates and institution names only.
pub struct Announcement(pub announcement::Model);

#[Object]
impl Announcement {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn kind(&self) -> AnnouncementKind {
        self.0.kind.into()
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// For a list: its year and batch number (第N批).
    async fn year(&self) -> Option<i32> {
        self.0.year
    }
    async fn batch_no(&self) -> Option<i32> {
        self.0.batch_no
    }
    /// For a publicity: its first and last day (China Standard Time), and length.
    async fn start_date(&self) -> Option<NaiveDate> {
        self.0.start_date
    }
    async fn end_date(&self) -> Option<NaiveDate> {
        self.0.end_date
    }
    async fn working_days(&self) -> Option<i32> {
        self.0.working_days
    }
    /// For a list: the publicity it concludes.
    async fn publicity_id(&self) -> Option<ID> {
        self.0.publicity_id.map(ID::from)
    }
    async fn published_at(&self) -> DateTime<Utc> {
        self.0.published_at
    }
    async fn entries(&self, ctx: &Context<'_>) -> Result<Vec<AnnouncementEntry>, AppError> {
        let state = state(ctx)?;
        let entries = publicity::entries(&state.db, self.0.id).await?;
        Ok(entries
            .into_iter()
            .map(|e| AnnouncementEntry {
                department: state.departments.get(&e.department_code).cloned().map(Department),
                institution_name: e.institution_name,
                outlet_number: e.outlet_number,
            })
            .collect())
    }
}

/// A filing at the version read.
#[derive(InputObject)]
pub struct FilingVersionInput {
    pub id: ID,
    pub version: i32,
}

/// A publicity announcement over recommended filings.
#[derive(InputObject)]
pub struct OpenPublicityInput {
    pub filings: Vec<FilingVersionInput>,
    /// Length of the period in working days (weekends and public holidays do not count).
    #[graphql(default = 5)]
    pub working_days: i32,
    /// Defaults to "YYYY年自治区知识产权信息公共服务网点备案公示".
    pub title: Option<String>,
}

impl OpenPublicityInput {
    /// # Errors
    /// `BAD_USER_INPUT` naming the first field that breaks a rule.
    pub fn parse(self) -> Result<(Option<Line>, u32, Vec<Candidate>), AppError> {
        let title = optional("input.title", self.title.as_deref(), Text::parse)?;
        let days = u32::try_from(self.working_days)
            .map_err(|_| AppError::invalid("input.workingDays", "must be positive"))?;
        let candidates = self
            .filings
            .iter()
            .enumerate()
            .map(|(i, f)| {
                Ok(Candidate {
                    filing_id: row_id(&format!("input.filings[{i}].id"), &f.id)?,
                    version: f.version,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        Ok((title, days, candidates))
    }
}

/// An objection to a filing under publicity.
#[derive(InputObject)]
pub struct RecordObjectionInput {
    pub filing_id: ID,
    /// What is objected to, as received.
    pub content: String,
}

/// 异议处理结果 — how an objection is resolved.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectionOutcome {
    /// 异议成立 — the filing will be rejected on confirmation.
    Upheld,
    /// 异议不成立.
    Dismissed,
}

/// The resolution of an objection.
#[derive(InputObject)]
pub struct ResolveObjectionInput {
    pub objection_id: ID,
    pub version: i32,
    pub outcome: ObjectionOutcome,
    pub resolution: String,
}

/// A publicity to conclude.
#[derive(InputObject)]
pub struct ConfirmPublicityInput {
    pub announcement_id: ID,
}

/// Publicity announcements and lists, open to everyone.
#[derive(Default)]
pub struct PublicityQuery;

#[Object]
impl PublicityQuery {
    /// Published announcements — publicities and lists — newest first. Open to everyone.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn announcements(
        &self,
        ctx: &Context<'_>,
        kind: Option<AnnouncementKind>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<Conn<Announcement>, AppError> {
        let mut page = page_request(ctx, after, before, first, last)?;
        page.descending = true;
        let rows = publicity::list(state(ctx)?, kind.map(Into::into), page).await?;
        Ok(connection(rows, |a| a.id, Announcement))
    }

    /// One published announcement. Open to everyone.
    async fn announcement(&self, ctx: &Context<'_>, id: ID) -> Result<Announcement, AppError> {
        let id = row_id("id", &id)?;
        Ok(Announcement(publicity::get(state(ctx)?, id).await?))
    }
}

/// The publicity opened, and its filings now under publicity.
#[derive(SimpleObject)]
pub struct OpenPublicityPayload {
    announcement: Announcement,
    filings: Vec<Filing>,
}

/// The objection as recorded or resolved.
#[derive(SimpleObject)]
pub struct ObjectionPayload {
    objection: Objection,
}

/// The list published on confirmation.
#[derive(SimpleObject)]
pub struct ConfirmPublicityPayload {
    list: Announcement,
}

/// Publicity and objections (DESIGN §6).
#[derive(Default)]
pub struct PublicityMutation;

#[Object]
impl PublicityMutation {
    /// Puts recommended filings under publicity (公示) for a number of working days,
    /// starting today (Art 7(3)).
    async fn open_publicity(
        &self,
        ctx: &Context<'_>,
        input: OpenPublicityInput,
    ) -> Result<OpenPublicityPayload, AppError> {
        let (title, days, candidates) = input.parse()?;
        let (state, request) = (state(ctx)?, request(ctx)?);
        let (announcement, filing_ids) = publicity::open(state, request, title, days, candidates).await?;
        let mut opened = Vec::with_capacity(filing_ids.len());
        for id in filing_ids {
            opened.push(Filing::from(filings::get(state, request, id).await?));
        }
        Ok(OpenPublicityPayload { announcement: Announcement(announcement), filings: opened })
    }

    /// Records an objection against a filing under publicity.
    async fn record_objection(
        &self,
        ctx: &Context<'_>,
        input: RecordObjectionInput,
    ) -> Result<ObjectionPayload, AppError> {
        let filing_id = row_id("input.filingId", &input.filing_id)?;
        let content = Text::parse(&input.content).map_err(|e| AppError::invalid("input.content", e.0))?;
        let objection = publicity::record_objection(state(ctx)?, request(ctx)?, filing_id, content).await?;
        Ok(ObjectionPayload { objection: Objection(objection) })
    }

    /// Resolves an open objection: upheld (the filing will be rejected) or dismissed.
    async fn resolve_objection(
        &self,
        ctx: &Context<'_>,
        input: ResolveObjectionInput,
    ) -> Result<ObjectionPayload, AppError> {
        let objection_id = row_id("input.objectionId", &input.objection_id)?;
        let resolution =
            Text::parse(&input.resolution).map_err(|e| AppError::invalid("input.resolution", e.0))?;
        let upheld = input.outcome == ObjectionOutcome::Upheld;
        let objection = publicity::resolve_objection(
            state(ctx)?,
            request(ctx)?,
            objection_id,
            input.version,
            upheld,
            resolution,
        )
        .await?;
        Ok(ObjectionPayload { objection: Objection(objection) })
    }

    /// Concludes a publicity once its period is over: files every filing without an upheld
    /// objection, rejects the others, and publishes the list (名单) of this year's next batch.
    async fn confirm_publicity(
        &self,
        ctx: &Context<'_>,
        input: ConfirmPublicityInput,
    ) -> Result<ConfirmPublicityPayload, AppError> {
        let id = row_id("input.announcementId", &input.announcement_id)?;
        let list = publicity::confirm(state(ctx)?, request(ctx)?, id).await?;
        Ok(ConfirmPublicityPayload { list: Announcement(list) })
    }
}
