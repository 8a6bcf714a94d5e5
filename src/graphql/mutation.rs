//! Mutation roots, one per area, merged into [`MutationRoot`]. Each mutation is named in
//! `authz/policy.csv` or in `authz::PUBLIC_MUTATIONS`.

use async_graphql::{Context, MergedObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use secrecy::SecretString;

use crate::domain::text::{Name, Text};
use crate::domain::workflow::filing::FilingAction;
use crate::error::AppError;
use crate::graphql::inputs::{
    ConfirmPublicityInput, CreateFilingInput, CreateUserInput, FilingActionInput, LoginInput,
    ObjectionOutcome, OpenPublicityInput, RecommendOutletToNationalInput, RecordObjectionInput,
    RegisterApplicantInput, RemoveCalendarDayInput, RemoveFilingAttachmentInput, ResolveObjectionInput,
    SanctionOutletInput, SetCalendarDayInput, UpdateFilingInput, UpdateInstitutionInput,
    UploadFilingAttachmentInput, read_upload, row_id,
};
use crate::graphql::types::{
    Announcement, Attachment, CalendarDay, Filing, Institution, Objection, Outlet, User,
};
use crate::graphql::{request, state};
use crate::service::attachments::NewAttachment;
use crate::service::outlets::Sanction;
use crate::service::{accounts, calendar, filings, institutions, outlets, publicity};

/// Every mutation.
#[derive(MergedObject, Default)]
pub struct MutationRoot(
    AccountMutation,
    InstitutionMutation,
    FilingMutation,
    OutletMutation,
    crate::graphql::reports::ReportMutation,
);

/// A login token and whose it is.
#[derive(SimpleObject)]
pub struct LoginPayload {
    /// Send as `Authorization: Bearer <token>`.
    token: String,
    expires_at: DateTime<Utc>,
    user: User,
}

/// The account created.
#[derive(SimpleObject)]
pub struct CreateUserPayload {
    user: User,
}

/// The institution and applicant account registered, logged in.
#[derive(SimpleObject)]
pub struct RegisterApplicantPayload {
    institution: Institution,
    user: User,
    /// A login token for the new account.
    token: String,
    expires_at: DateTime<Utc>,
}

/// The institution as updated.
#[derive(SimpleObject)]
pub struct UpdateInstitutionPayload {
    institution: Institution,
}

/// Accounts.
#[derive(Default)]
pub struct AccountMutation;

#[Object]
impl AccountMutation {
    /// Logs in. A wrong password and an unknown user get the same answer.
    async fn login(&self, ctx: &Context<'_>, input: LoginInput) -> Result<LoginPayload, AppError> {
        let password = SecretString::from(input.password);
        let session = accounts::login(state(ctx)?, request(ctx)?, &input.username, password).await?;
        Ok(LoginPayload { token: session.token, expires_at: session.expires_at, user: User(session.user) })
    }

    /// Creates an account with one role at one scope (admins only).
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        input: CreateUserInput,
    ) -> Result<CreateUserPayload, AppError> {
        let new = input.parse()?;
        let user = accounts::create_user(state(ctx)?, request(ctx)?, new).await?;
        Ok(CreateUserPayload { user: User(user) })
    }

    /// Registers an institution and its applicant account (open to anyone).
    async fn register_applicant(
        &self,
        ctx: &Context<'_>,
        input: RegisterApplicantInput,
    ) -> Result<RegisterApplicantPayload, AppError> {
        let (institution, account) = input.parse()?;
        let done = accounts::register_applicant(state(ctx)?, request(ctx)?, institution, account).await?;
        Ok(RegisterApplicantPayload {
            institution: Institution(done.institution),
            user: User(done.session.user),
            token: done.session.token,
            expires_at: done.session.expires_at,
        })
    }
}

/// Institutions.
#[derive(Default)]
pub struct InstitutionMutation;

#[Object]
impl InstitutionMutation {
    /// Changes an institution's data and profile (its applicant only).
    async fn update_institution(
        &self,
        ctx: &Context<'_>,
        input: UpdateInstitutionInput,
    ) -> Result<UpdateInstitutionPayload, AppError> {
        let (id, version, changes) = input.parse()?;
        let institution = institutions::update(state(ctx)?, request(ctx)?, id, version, changes).await?;
        Ok(UpdateInstitutionPayload { institution: Institution(institution) })
    }
}

/// The filing after a change.
#[derive(SimpleObject)]
pub struct FilingPayload {
    filing: Filing,
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

impl FilingMutation {
    async fn act(
        ctx: &Context<'_>,
        input: FilingActionInput,
        action: FilingAction,
    ) -> Result<FilingPayload, AppError> {
        let (id, version, comment) = input.parse()?;
        let filing = filings::act(state(ctx)?, request(ctx)?, id, version, action, comment).await?;
        Ok(FilingPayload { filing: Filing(filing) })
    }
}

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
        let filing = filings::create(state(ctx)?, request(ctx)?, institution_id, input.kind.into()).await?;
        Ok(FilingPayload { filing: Filing(filing) })
    }

    /// Edits the application form of a draft or returned filing.
    async fn update_filing(
        &self,
        ctx: &Context<'_>,
        input: UpdateFilingInput,
    ) -> Result<FilingPayload, AppError> {
        let (id, version, changes) = input.parse()?;
        let filing = filings::update(state(ctx)?, request(ctx)?, id, version, changes).await?;
        Ok(FilingPayload { filing: Filing(filing) })
    }

    /// Submits a draft or returned filing to the league/city bureau (Art 7(1)). Every unmet
    /// eligibility condition is reported at once with `INELIGIBLE`.
    async fn submit_filing(
        &self,
        ctx: &Context<'_>,
        input: FilingActionInput,
    ) -> Result<FilingPayload, AppError> {
        Self::act(ctx, input, FilingAction::Submit).await
    }

    /// Withdraws a filing that has not been recommended yet.
    async fn withdraw_filing(
        &self,
        ctx: &Context<'_>,
        input: FilingActionInput,
    ) -> Result<FilingPayload, AppError> {
        Self::act(ctx, input, FilingAction::Withdraw).await
    }

    /// Returns a submitted filing to the applicant for changes (comment required).
    async fn return_filing(
        &self,
        ctx: &Context<'_>,
        input: FilingActionInput,
    ) -> Result<FilingPayload, AppError> {
        Self::act(ctx, input, FilingAction::Return).await
    }

    /// Declines to recommend a submitted filing (comment required).
    async fn decline_filing(
        &self,
        ctx: &Context<'_>,
        input: FilingActionInput,
    ) -> Result<FilingPayload, AppError> {
        Self::act(ctx, input, FilingAction::Decline).await
    }

    /// Recommends a submitted filing to the region bureau, with the opinion (Art 7(2)).
    async fn recommend_filing(
        &self,
        ctx: &Context<'_>,
        input: FilingActionInput,
    ) -> Result<FilingPayload, AppError> {
        Self::act(ctx, input, FilingAction::Recommend).await
    }

    /// Sends a recommended filing back to the league/city bureau (comment required).
    async fn send_back_filing(
        &self,
        ctx: &Context<'_>,
        input: FilingActionInput,
    ) -> Result<FilingPayload, AppError> {
        Self::act(ctx, input, FilingAction::SendBack).await
    }

    /// Rejects a recommended filing (comment required).
    async fn reject_filing(
        &self,
        ctx: &Context<'_>,
        input: FilingActionInput,
    ) -> Result<FilingPayload, AppError> {
        Self::act(ctx, input, FilingAction::Reject).await
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
        let (file_name, content) = read_upload(ctx, &input.file).await?;
        let new = NewAttachment { file_name, content };
        let (filing, attachment) =
            filings::attach(state(ctx)?, request(ctx)?, filing_id, input.version, input.kind.into(), new)
                .await?;
        Ok(UploadFilingAttachmentPayload { filing: Filing(filing), attachment: Attachment::from(attachment) })
    }

    /// Removes an attachment from a draft or returned filing.
    async fn remove_filing_attachment(
        &self,
        ctx: &Context<'_>,
        input: RemoveFilingAttachmentInput,
    ) -> Result<FilingPayload, AppError> {
        let attachment_id = row_id("input.attachmentId", &input.attachment_id)?;
        let filing = filings::detach(state(ctx)?, request(ctx)?, attachment_id, input.version).await?;
        Ok(FilingPayload { filing: Filing(filing) })
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

/// The outlet after a decision.
#[derive(SimpleObject)]
pub struct OutletPayload {
    outlet: Outlet,
}

/// The calendar day as marked.
#[derive(SimpleObject)]
pub struct CalendarDayPayload {
    day: CalendarDay,
}

/// The day whose mark was removed.
#[derive(SimpleObject)]
pub struct RemoveCalendarDayPayload {
    date: chrono::NaiveDate,
}

/// Publicity, outlets and the calendar (DESIGN §6).
#[derive(Default)]
pub struct OutletMutation;

#[Object]
impl OutletMutation {
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
            opened.push(Filing(filings::get(state, request, id).await?));
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

    /// Records the recommendation of an active outlet to CNIPA as a national outlet (Art 11).
    async fn recommend_outlet_to_national(
        &self,
        ctx: &Context<'_>,
        input: RecommendOutletToNationalInput,
    ) -> Result<OutletPayload, AppError> {
        let id = row_id("input.outletId", &input.outlet_id)?;
        let note = Text::parse(&input.note).map_err(|e| AppError::invalid("input.note", e.0))?;
        let outlet =
            outlets::recommend_to_national(state(ctx)?, request(ctx)?, id, input.version, note, input.date)
                .await?;
        Ok(OutletPayload { outlet: Outlet(outlet) })
    }

    /// Terminates an outlet (终止备案, Art 18): it leaves the list at once and its institution
    /// may not file for three years.
    async fn terminate_outlet(
        &self,
        ctx: &Context<'_>,
        input: SanctionOutletInput,
    ) -> Result<OutletPayload, AppError> {
        Self::sanction(ctx, input, Sanction::Terminate).await
    }

    /// Revokes an outlet (撤销备案, Art 18): it leaves the list at once and its institution may
    /// not file for three years.
    async fn revoke_outlet(
        &self,
        ctx: &Context<'_>,
        input: SanctionOutletInput,
    ) -> Result<OutletPayload, AppError> {
        Self::sanction(ctx, input, Sanction::Revoke).await
    }

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

impl OutletMutation {
    async fn sanction(
        ctx: &Context<'_>,
        input: SanctionOutletInput,
        sanction: Sanction,
    ) -> Result<OutletPayload, AppError> {
        let id = row_id("input.outletId", &input.outlet_id)?;
        let reason = Text::parse(&input.reason).map_err(|e| AppError::invalid("input.reason", e.0))?;
        let outlet =
            outlets::sanction(state(ctx)?, request(ctx)?, id, input.version, sanction, reason).await?;
        Ok(OutletPayload { outlet: Outlet(outlet) })
    }
}
