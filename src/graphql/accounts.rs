//! Accounts: users, logging in, and the registration of an applicant with its institution.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{sea_orm_active_enums as db, user};
use secrecy::SecretString;

use crate::domain::institution::NewInstitution;
use crate::domain::text::{Name, NewPassword, Username};
use crate::error::AppError;
use crate::graphql::connection::{Conn, connection, page_complexity, page_request};
use crate::graphql::inputs::{field, row_id};
use crate::graphql::institutions::{Institution, NewInstitutionInput};
use crate::graphql::reference::{Department, department};
use crate::graphql::{request, state};
use crate::identity::Caller;
use crate::service::accounts::{NewAccount, NewUser};
use crate::service::{accounts, lookups};

/// 用户角色 — a user's role.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::Role")]
pub enum Role {
    /// 申请机构 — an institution applying to be an outlet.
    Applicant,
    /// 盟市推荐部门 — a league/city bureau that recommends.
    Recommender,
    /// 自治区审核 — the region bureau that reviews and files.
    Reviewer,
    /// 系统管理员 — manages accounts only.
    Admin,
}

/// A user account.
pub struct User(pub user::Model);

#[Object]
impl User {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn username(&self) -> &str {
        &self.0.username
    }
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }
    async fn role(&self) -> Role {
        self.0.role.into()
    }
    /// The department a recommender acts for.
    async fn department(&self, ctx: &Context<'_>) -> Result<Option<Department>, AppError> {
        self.0.department_code.as_deref().map_or(Ok(None), |code| department(ctx, code))
    }
    /// The id of the institution an applicant acts for.
    async fn institution_id(&self) -> Option<ID> {
        self.0.institution_id.map(ID::from)
    }
    async fn active(&self) -> bool {
        self.0.active
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// Credentials for `login`.
#[derive(InputObject)]
pub struct LoginInput {
    pub username: String,
    pub password: String,
}

/// A new account, created by an admin.
#[derive(InputObject)]
pub struct CreateUserInput {
    pub username: String,
    /// 10 to 128 characters, mixing letters with digits or symbols.
    pub password: String,
    pub display_name: String,
    pub role: Role,
    /// Required for recommenders: the department they act for.
    pub department_code: Option<String>,
    /// Required for applicants: the institution they act for.
    pub institution_id: Option<ID>,
}

impl CreateUserInput {
    /// # Errors
    /// `BAD_USER_INPUT` naming the first field that breaks a rule.
    pub fn parse(self) -> Result<NewUser, AppError> {
        Ok(NewUser {
            username: field("input.username", Username::parse(&self.username))?,
            password: field("input.password", NewPassword::parse(&self.password))?,
            display_name: field("input.displayName", Name::parse(&self.display_name))?,
            role: self.role.into(),
            department_code: self.department_code.map(|c| c.trim().to_owned()),
            institution_id: self
                .institution_id
                .as_ref()
                .map(|id| row_id("input.institutionId", id))
                .transpose()?,
        })
    }
}

/// The account an applicant registers with.
#[derive(InputObject)]
pub struct AccountInput {
    pub username: String,
    /// 10 to 128 characters, mixing letters with digits or symbols.
    pub password: String,
    pub display_name: String,
}

/// An institution registering together with its applicant account.
#[derive(InputObject)]
pub struct RegisterApplicantInput {
    pub institution: NewInstitutionInput,
    pub account: AccountInput,
}

impl RegisterApplicantInput {
    /// # Errors
    /// `BAD_USER_INPUT` naming the first field that breaks a rule.
    pub fn parse(self) -> Result<(NewInstitution, NewAccount), AppError> {
        let account = NewAccount {
            username: field("input.account.username", Username::parse(&self.account.username))?,
            password: field("input.account.password", NewPassword::parse(&self.account.password))?,
            display_name: field("input.account.displayName", Name::parse(&self.account.display_name))?,
        };
        Ok((self.institution.parse("input.institution")?, account))
    }
}

/// Accounts.
#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// The calling user.
    async fn me(&self, ctx: &Context<'_>) -> Result<User, AppError> {
        let Caller::User(subject) = &request(ctx)?.caller else {
            return Err(AppError::Unauthenticated);
        };
        let user = lookups::user(&state(ctx)?.db, subject.user_id).await?.ok_or(AppError::Unauthenticated)?;
        Ok(User(user))
    }

    /// Accounts, for admins.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<Conn<User>, AppError> {
        let page = page_request(ctx, after, before, first, last)?;
        let rows = accounts::list(state(ctx)?, request(ctx)?, page).await?;
        Ok(connection(rows, |u| u.id, User))
    }
}

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
            institution: Institution::registered(done.institution),
            user: User(done.session.user),
            token: done.session.token,
            expires_at: done.session.expires_at,
        })
    }
}
