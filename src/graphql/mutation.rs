//! Mutation roots, one per area, merged into [`MutationRoot`]. Each mutation is named in
//! `authz/policy.csv` or in `authz::PUBLIC_MUTATIONS`.

use async_graphql::{Context, MergedObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use secrecy::SecretString;

use crate::domain::text::Name;
use crate::domain::workflow::FilingAction;
use crate::error::AppError;
use crate::graphql::inputs::{
    CreateFilingInput, CreateUserInput, FilingActionInput, LoginInput, RegisterApplicantInput,
    RemoveFilingAttachmentInput, UpdateFilingInput, UpdateInstitutionInput, UploadFilingAttachmentInput,
    row_id,
};
use crate::graphql::types::{Attachment, Filing, Institution, User};
use crate::graphql::{request, state};
use crate::service::filings::NewAttachment;
use crate::service::{accounts, filings, institutions};

/// Every mutation.
#[derive(MergedObject, Default)]
pub struct MutationRoot(AccountMutation, InstitutionMutation, FilingMutation);

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
        let upload =
            input.file.value(ctx).map_err(|_| AppError::invalid("input.file", "no file was sent"))?;
        let file_name = Name::parse(&upload.filename)
            .map_err(|e| AppError::invalid("input.file", format!("file name {e}")))?;
        let content = tokio::task::spawn_blocking(move || {
            use std::io::Read as _;
            let mut content = Vec::new();
            upload.into_read().read_to_end(&mut content).map(|_| content)
        })
        .await
        .map_err(|e| AppError::Internal(anyhow::Error::new(e)))?
        .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("reading an upload")))?;
        let new = NewAttachment { kind: input.kind.into(), file_name, content };
        let (filing, attachment) =
            filings::attach(state(ctx)?, request(ctx)?, filing_id, input.version, new).await?;
        Ok(UploadFilingAttachmentPayload { filing: Filing(filing), attachment: Attachment(attachment) })
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
