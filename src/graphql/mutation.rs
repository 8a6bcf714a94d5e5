//! Mutation roots, one per area, merged into [`MutationRoot`]. Each mutation is named in
//! `authz/policy.csv` or in `authz::PUBLIC_MUTATIONS`.

use async_graphql::{Context, MergedObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use secrecy::SecretString;

use crate::error::AppError;
use crate::graphql::inputs::{CreateUserInput, LoginInput, RegisterApplicantInput, UpdateInstitutionInput};
use crate::graphql::types::{Institution, User};
use crate::graphql::{request, state};
use crate::service::{accounts, institutions};

/// Every mutation.
#[derive(MergedObject, Default)]
pub struct MutationRoot(AccountMutation, InstitutionMutation);

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
