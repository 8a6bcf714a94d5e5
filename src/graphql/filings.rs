//! Filings (备案申请) and their workflow (DESIGN §5): the application form, attachments,
//! history and opinions.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject, Upload};
use chrono::{DateTime, Utc};
use entity::json::{ApplicationForm, PersonEntry};
use entity::{audit_event, filing, filing_attachment, institution, sea_orm_active_enums as db};

use crate::domain::text::Prose;
use crate::domain::workflow::filing::FilingAction;
use crate::error::AppError;
use crate::graphql::connection::{Conn, ListOrder, connection, nodes_select, page_complexity, page_request};
use crate::graphql::inputs::{read_upload, row_id, step_input};
use crate::graphql::institutions::{
    DatabaseTool, Facilities, Institution, ProfileInput, ServiceItem, StaffMember,
};
use crate::graphql::loaders::{AttachmentsOf, FormOf, HistoryOf, InstitutionOf, UserOf, load};
use crate::graphql::publicity::Objection;
use crate::graphql::shared::{FileColumns, InstitutionKind, IpCategory, ServiceMode, StoredFile};
use crate::graphql::{request, run_step, state};
use crate::service::filings::{self, FilingFilter, FormChanges};
use crate::service::publicity;

/// 备案类型 — first filing or renewal.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::FilingKind")]
pub enum FilingKind {
    /// 首次备案 — first filing.
    Initial,
    /// 续期 — renewal of an outlet (Art 9).
    Renewal,
}

/// 备案状态 — where a filing stands (DESIGN §5).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::FilingState")]
pub enum FilingState {
    /// 草稿 — being prepared by the applicant.
    Draft,
    /// 已提交 — waiting for the league/city bureau's initial review.
    Submitted,
    /// 已退回 — returned to the applicant for changes.
    Returned,
    /// 已撤回 — withdrawn by the applicant.
    Withdrawn,
    /// 未推荐 — not recommended by the league/city bureau.
    NotRecommended,
    /// 已推荐 — recommended to the region bureau.
    Recommended,
    /// 未通过 — rejected by the region bureau.
    Rejected,
    /// 公示中 — under publicity.
    Publicizing,
    /// 已备案 — filed; the institution is an outlet.
    Filed,
}

/// 附件类型 — what an attachment is (Art 6).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::AttachmentKind")]
pub enum AttachmentKind {
    /// 相关工作制度 — work rules.
    WorkRules,
    /// 备案申请表（签章） — the signed application form.
    ApplicationForm,
    /// 其他材料 — other material.
    Other,
}

/// A person as a form records them.
pub struct Person(pub PersonEntry);

#[Object]
impl Person {
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    async fn mobile(&self) -> Option<&str> {
        self.0.mobile.as_deref()
    }
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
}

/// The application form (备案申请表) a filing holds: the institution's data and profile
/// as filed. Frozen once the filing is submitted.
pub struct FilingForm(pub Arc<ApplicationForm>);

#[Object]
impl FilingForm {
    async fn uscc(&self) -> &str {
        &self.0.institution.uscc
    }
    async fn name(&self) -> &str {
        &self.0.institution.name
    }
    async fn kind(&self) -> InstitutionKind {
        self.0.institution.kind.into()
    }
    async fn department_code(&self) -> &str {
        &self.0.institution.department_code
    }
    async fn legal_representative(&self) -> &str {
        &self.0.institution.legal_representative
    }
    async fn address(&self) -> &str {
        &self.0.institution.address
    }
    async fn principal(&self) -> Person {
        Person(self.0.institution.principal.clone())
    }
    async fn contact(&self) -> Person {
        Person(self.0.institution.contact.clone())
    }
    async fn website(&self) -> Option<&str> {
        self.0.institution.website.as_deref()
    }
    async fn staff(&self) -> Vec<StaffMember> {
        self.0.staff.iter().cloned().map(StaffMember).collect()
    }
    async fn ip_categories(&self) -> Vec<IpCategory> {
        self.0.ip_categories.iter().map(|&c| c.into()).collect()
    }
    async fn service_modes(&self) -> Vec<ServiceMode> {
        self.0.service_modes.iter().map(|&m| m.into()).collect()
    }
    async fn facilities(&self) -> Facilities {
        let f = &self.0.facilities;
        Facilities {
            premises_area: f.premises_area,
            network_environment: f.network_environment.clone(),
            hardware: f.hardware.clone(),
            software: f.software.clone(),
        }
    }
    async fn databases(&self) -> Vec<DatabaseTool> {
        self.0.databases.iter().cloned().map(DatabaseTool).collect()
    }
    async fn service_items(&self) -> Vec<ServiceItem> {
        self.0.service_items.iter().cloned().map(ServiceItem).collect()
    }
    async fn key_industries(&self) -> &[String] {
        &self.0.key_industries
    }
    async fn profile(&self) -> Option<&str> {
        self.0.profile.as_deref()
    }
}

/// A file filed with an application.
#[derive(SimpleObject)]
pub struct Attachment {
    pub kind: AttachmentKind,
    #[graphql(flatten)]
    pub file: StoredFile,
}

impl From<filing_attachment::Model> for Attachment {
    fn from(a: filing_attachment::Model) -> Self {
        Self { kind: a.kind.into(), file: a.stored_file("/files") }
    }
}

/// One step in a filing's history, with its comment or opinion (意见).
pub struct HistoryEntry(pub audit_event::Model);

#[Object]
impl HistoryEntry {
    /// The mutation taken, e.g. `recommendFiling`.
    async fn action(&self) -> &str {
        &self.0.action
    }
    async fn from_state(&self) -> Option<&str> {
        self.0.from_state.as_deref()
    }
    async fn to_state(&self) -> Option<&str> {
        self.0.to_state.as_deref()
    }
    /// The comment, or the recommendation opinion.
    async fn comment(&self) -> Option<&str> {
        self.0.comment.as_deref()
    }
    /// The role acted in.
    async fn actor_role(&self) -> &str {
        &self.0.actor_role
    }
    /// Who handled it (经办人): the acting account's display name.
    async fn handler(&self, ctx: &Context<'_>) -> Result<Option<String>, AppError> {
        let Some(id) = self.0.actor_user_id else { return Ok(None) };
        let user = load(ctx, UserOf(id)).await?;
        Ok(user.map(|u| u.display_name))
    }
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
}

/// An application to become, or stay, an outlet (备案申请).
pub struct Filing {
    row: filing::Listed,
    /// The form, when the filing was read whole; a listed filing reads it when asked.
    form: Option<Arc<ApplicationForm>>,
    /// The institution, when the page read it with the filing; otherwise it is loaded.
    institution: Option<institution::Summary>,
}

impl From<filing::Model> for Filing {
    fn from(filing: filing::Model) -> Self {
        let (row, form) = filing.split();
        Self { row, form: Some(Arc::new(form.0)), institution: None }
    }
}

impl From<filing::Listed> for Filing {
    fn from(row: filing::Listed) -> Self {
        Self { row, form: None, institution: None }
    }
}

impl From<filing::ListedWithInstitution> for Filing {
    fn from(listed: filing::ListedWithInstitution) -> Self {
        Self { row: listed.filing, form: None, institution: listed.institution }
    }
}

impl Filing {
    /// The application form, read now if the filing was listed without it.
    async fn read_form(&self, ctx: &Context<'_>) -> Result<Arc<ApplicationForm>, AppError> {
        match &self.form {
            Some(form) => Ok(form.clone()),
            None => load(ctx, FormOf(self.row.id)).await?.ok_or(AppError::NotFound { entity: "filing" }),
        }
    }
}

/// The workflow actions whose comments are opinions shown to the applicant.
const OPINION_ACTIONS: [&str; 6] =
    ["returnFiling", "declineFiling", "recommendFiling", "sendBackFiling", "rejectFiling", "withdrawFiling"];

#[Object]
impl Filing {
    async fn id(&self) -> ID {
        self.row.id.into()
    }
    async fn kind(&self) -> FilingKind {
        self.row.kind.into()
    }
    async fn state(&self) -> FilingState {
        self.row.state.into()
    }
    async fn institution(&self, ctx: &Context<'_>) -> Result<Institution, AppError> {
        if let Some(summary) = &self.institution {
            return Ok(Institution::summarized(summary.clone()));
        }
        let found = load(ctx, InstitutionOf(self.row.institution_id)).await?;
        found.map(Institution::new).ok_or(AppError::NotFound { entity: "institution" })
    }
    /// The application form as filed.
    async fn form(&self, ctx: &Context<'_>) -> Result<FilingForm, AppError> {
        Ok(FilingForm(self.read_form(ctx).await?))
    }
    /// The applicant declared the materials true and lawful (Art 6).
    async fn declaration_accepted(&self) -> bool {
        self.row.declaration_accepted
    }
    async fn attachments(&self, ctx: &Context<'_>) -> Result<Vec<Attachment>, AppError> {
        let rows = load(ctx, AttachmentsOf(self.row.id)).await?;
        Ok(rows.unwrap_or_default().into_iter().map(Attachment::from).collect())
    }
    /// Codes of the eligibility conditions (Art 5) not met yet; empty when the filing may
    /// be submitted. See `eligibilityConditions` for what each means.
    async fn unmet_conditions(&self, ctx: &Context<'_>) -> Result<Vec<String>, AppError> {
        // Both at once, so that a page's forms are read in the same batch as its `form`s.
        let (rows, form) = tokio::try_join!(load(ctx, AttachmentsOf(self.row.id)), self.read_form(ctx))?;
        let kinds: Vec<db::AttachmentKind> = rows.unwrap_or_default().iter().map(|a| a.kind).collect();
        let unmet = filings::unmet_with(&form, self.row.declaration_accepted, &kinds)?;
        Ok(unmet.into_iter().map(str::to_owned).collect())
    }
    /// Every step taken, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<HistoryEntry>, AppError> {
        let rows = load(ctx, HistoryOf(self.row.id)).await?;
        Ok(rows.unwrap_or_default().into_iter().map(HistoryEntry).collect())
    }
    /// The reviewers' opinions and comments: returns, refusals, recommendations.
    async fn opinions(&self, ctx: &Context<'_>) -> Result<Vec<HistoryEntry>, AppError> {
        let rows = load(ctx, HistoryOf(self.row.id)).await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .filter(|e| e.comment.is_some() && OPINION_ACTIONS.contains(&e.action.as_str()))
            .map(HistoryEntry)
            .collect())
    }
    /// Objections raised while it was under publicity.
    async fn objections(&self, ctx: &Context<'_>) -> Result<Vec<Objection>, AppError> {
        let rows = publicity::objections_of(&state(ctx)?.db, self.row.id).await?;
        Ok(rows.into_iter().map(Objection).collect())
    }
    /// For a renewal, the outlet renewed; once filed, the outlet it made or renewed.
    async fn outlet_id(&self) -> Option<ID> {
        self.row.outlet_id.map(ID::from)
    }
    /// Optimistic-concurrency version: send it back with every change.
    async fn version(&self) -> i32 {
        self.row.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.row.updated_at
    }
    async fn submitted_at(&self) -> Option<DateTime<Utc>> {
        self.row.submitted_at
    }
}

/// A new filing for the caller's institution.
#[derive(InputObject)]
pub struct CreateFilingInput {
    pub institution_id: ID,
    /// `INITIAL` for a first filing; `RENEWAL` to renew a filed outlet (Art 9).
    pub kind: FilingKind,
}

/// Changes to a filing's application form, while it is a draft or returned.
#[derive(InputObject)]
pub struct UpdateFilingInput {
    pub id: ID,
    /// The version read; a stale one gets `CONFLICT`.
    pub version: i32,
    /// Parts of the profile to replace in the form.
    pub profile: Option<ProfileInput>,
    /// The declaration that the materials are true and lawful (Art 6).
    pub declaration_accepted: Option<bool>,
    /// Refill the form from the institution's current data first.
    #[graphql(default)]
    pub refresh_from_institution: bool,
}

impl UpdateFilingInput {
    /// # Errors
    /// `BAD_USER_INPUT` naming the first field that breaks a rule.
    pub fn parse(self) -> Result<(i64, i32, FormChanges), AppError> {
        let id = row_id("input.id", &self.id)?;
        let changes = FormChanges {
            profile: self.profile.map(|p| p.parse("input.profile")).transpose()?.unwrap_or_default(),
            declaration_accepted: self.declaration_accepted,
            refresh_from_institution: self.refresh_from_institution,
        };
        Ok((id, self.version, changes))
    }
}

/// A workflow step on a filing.
#[derive(InputObject)]
pub struct FilingActionInput {
    pub id: ID,
    /// The version read; a stale one gets `CONFLICT`.
    pub version: i32,
    /// Required to return, decline, send back or reject; the opinion (意见) when
    /// recommending; optional otherwise.
    pub comment: Option<String>,
}

impl FilingActionInput {
    /// # Errors
    /// `BAD_USER_INPUT` for a bad id or an overlong comment.
    pub fn parse(self) -> Result<(i64, i32, Option<Prose>), AppError> {
        step_input(&self.id, self.version, self.comment.as_deref())
    }
}

/// A file to attach to a filing (GraphQL multipart request).
#[derive(InputObject)]
pub struct UploadFilingAttachmentInput {
    pub filing_id: ID,
    pub version: i32,
    pub kind: AttachmentKind,
    pub file: Upload,
}

/// An attachment to remove.
#[derive(InputObject)]
pub struct RemoveFilingAttachmentInput {
    pub attachment_id: ID,
    /// The filing's version.
    pub version: i32,
}

/// Which filings to list.
#[derive(InputObject, Default)]
pub struct FilingFilterInput {
    pub state: Option<FilingState>,
    pub kind: Option<FilingKind>,
    pub department_code: Option<String>,
    pub institution_id: Option<ID>,
    /// Submitted at or after this instant.
    pub submitted_from: Option<chrono::DateTime<chrono::Utc>>,
    /// Submitted before this instant.
    pub submitted_to: Option<chrono::DateTime<chrono::Utc>>,
}

/// Filings.
#[derive(Default)]
pub struct FilingQuery;

#[Object]
impl FilingQuery {
    /// One filing in the caller's scope, with its form, attachments, opinions and history.
    async fn filing(&self, ctx: &Context<'_>, id: ID) -> Result<Filing, AppError> {
        let id = row_id("id", &id)?;
        Ok(Filing::from(filings::get(state(ctx)?, request(ctx)?, id).await?))
    }

    /// Filings in the caller's scope, oldest first unless `order` says otherwise.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    #[expect(clippy::too_many_arguments, reason = "Relay paging arguments beside filter and order")]
    async fn filings(
        &self,
        ctx: &Context<'_>,
        filter: Option<FilingFilterInput>,
        order: Option<ListOrder>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<Conn<Filing>, AppError> {
        let mut page = page_request(ctx, after, before, first, last)?;
        page.descending = order == Some(ListOrder::NewestFirst);
        let filter = filter.unwrap_or_default();
        let institution = filter.institution_id.map(|id| row_id("filter.institutionId", &id)).transpose()?;
        let filter = FilingFilter {
            state: filter.state.map(Into::into),
            kind: filter.kind.map(Into::into),
            department_code: filter.department_code,
            institution_id: institution,
            submitted_from: filter.submitted_from,
            submitted_to: filter.submitted_to,
        };
        // A page that shows each filing's institution reads it in the same statement.
        if nodes_select(ctx, "institution") {
            let rows = filings::list_with_institutions(state(ctx)?, request(ctx)?, filter, page).await?;
            Ok(connection(rows, |f| f.filing.id, Filing::from))
        } else {
            let rows = filings::list(state(ctx)?, request(ctx)?, filter, page).await?;
            Ok(connection(rows, |f| f.id, Filing::from))
        }
    }
}

/// The filing after a change.
#[derive(SimpleObject)]
pub struct FilingPayload {
    filing: Filing,
}

impl From<filing::Model> for FilingPayload {
    fn from(filing: filing::Model) -> Self {
        Self { filing: Filing::from(filing) }
    }
}

/// The filing and the attachment added to it.
#[derive(SimpleObject)]
pub struct UploadFilingAttachmentPayload {
    filing: Filing,
    attachment: Attachment,
}

/// Filings and their workflow (DESIGN §5).
#[derive(Default)]
pub struct FilingMutation;

#[Object]
impl FilingMutation {
    /// Opens a filing for the applicant's institution, its form filled from the
    /// institution's data. Refused for exempt (Art 19) and banned (Art 18) institutions,
    /// and while another filing of the institution is open.
    async fn create_filing(
        &self,
        ctx: &Context<'_>,
        input: CreateFilingInput,
    ) -> Result<FilingPayload, AppError> {
        let institution_id = row_id("input.institutionId", &input.institution_id)?;
        Ok(filings::create(state(ctx)?, request(ctx)?, institution_id, input.kind.into()).await?.into())
    }

    /// Edits the application form of a draft or returned filing.
    async fn update_filing(
        &self,
        ctx: &Context<'_>,
        input: UpdateFilingInput,
    ) -> Result<FilingPayload, AppError> {
        let (id, version, changes) = input.parse()?;
        Ok(filings::update(state(ctx)?, request(ctx)?, id, version, changes).await?.into())
    }

    /// Submits a draft or returned filing to the league/city bureau (Art 7(1)). Every unmet
    /// eligibility condition is reported at once with `INELIGIBLE`.
    async fn submit_filing(
        &self,
        ctx: &Context<'_>,
        input: FilingActionInput,
    ) -> Result<FilingPayload, AppError> {
        run_step(ctx, input.parse()?, FilingAction::Submit, filings::act).await
    }

    /// Withdraws a filing that has not been recommended yet.
    async fn withdraw_filing(
        &self,
        ctx: &Context<'_>,
        input: FilingActionInput,
    ) -> Result<FilingPayload, AppError> {
        run_step(ctx, input.parse()?, FilingAction::Withdraw, filings::act).await
    }

    /// Returns a submitted filing to the applicant for changes (comment required).
    async fn return_filing(
        &self,
        ctx: &Context<'_>,
        input: FilingActionInput,
    ) -> Result<FilingPayload, AppError> {
        run_step(ctx, input.parse()?, FilingAction::Return, filings::act).await
    }

    /// Declines to recommend a submitted filing (comment required).
    async fn decline_filing(
        &self,
        ctx: &Context<'_>,
        input: FilingActionInput,
    ) -> Result<FilingPayload, AppError> {
        run_step(ctx, input.parse()?, FilingAction::Decline, filings::act).await
    }

    /// Recommends a submitted filing to the region bureau, with the opinion (Art 7(2)).
    async fn recommend_filing(
        &self,
        ctx: &Context<'_>,
        input: FilingActionInput,
    ) -> Result<FilingPayload, AppError> {
        run_step(ctx, input.parse()?, FilingAction::Recommend, filings::act).await
    }

    /// Sends a recommended filing back to the league/city bureau (comment required).
    async fn send_back_filing(
        &self,
        ctx: &Context<'_>,
        input: FilingActionInput,
    ) -> Result<FilingPayload, AppError> {
        run_step(ctx, input.parse()?, FilingAction::SendBack, filings::act).await
    }

    /// Rejects a recommended filing (comment required).
    async fn reject_filing(
        &self,
        ctx: &Context<'_>,
        input: FilingActionInput,
    ) -> Result<FilingPayload, AppError> {
        run_step(ctx, input.parse()?, FilingAction::Reject, filings::act).await
    }

    /// Attaches a file (PDF, OFD, DOC, DOCX, JPEG or PNG, judged by content) to a draft or
    /// returned filing. Send as a GraphQL multipart request with an
    /// `Apollo-Require-Preflight` header.
    async fn upload_filing_attachment(
        &self,
        ctx: &Context<'_>,
        input: UploadFilingAttachmentInput,
    ) -> Result<UploadFilingAttachmentPayload, AppError> {
        let filing_id = row_id("input.filingId", &input.filing_id)?;
        let new = read_upload(ctx, &input.file).await?;
        let (filing, attachment) =
            filings::attach(state(ctx)?, request(ctx)?, filing_id, input.version, input.kind.into(), new)
                .await?;
        Ok(UploadFilingAttachmentPayload {
            filing: Filing::from(filing),
            attachment: Attachment::from(attachment),
        })
    }

    /// Removes an attachment from a draft or returned filing.
    async fn remove_filing_attachment(
        &self,
        ctx: &Context<'_>,
        input: RemoveFilingAttachmentInput,
    ) -> Result<FilingPayload, AppError> {
        let attachment_id = row_id("input.attachmentId", &input.attachment_id)?;
        Ok(filings::detach(state(ctx)?, request(ctx)?, attachment_id, input.version).await?.into())
    }
}
