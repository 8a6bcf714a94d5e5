//! Accounts: login, creating users, applicants registering themselves, the first admin.

use chrono::{DateTime, Utc};
use entity::sea_orm_active_enums::Role;
use entity::{institution, user};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use secrecy::SecretString;

use crate::authz::Action;
use crate::db::begin_write;
use crate::db::on_unique;
use crate::domain::institution::NewInstitution;
use crate::domain::scope::ScopePath;
use crate::domain::text::{Name, NewPassword, Username};
use crate::error::AppError;
use crate::identity::role_label;
use crate::service::audit::{self, Actor, AuditEntry};
use crate::service::institutions;
use crate::service::page::{Page, PageRequest, fetch_page};
use crate::service::usecase::UseCase;
use crate::state::{AppState, RequestContext};
use crate::throttle::Guarded;

/// A successful login.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: user::Model,
}

/// Logs a user in. A wrong password, an unknown user and an inactive account all get the
/// same answer and cost the same time: one argon2 verification.
///
/// # Errors
/// `UNAUTHENTICATED` on bad credentials; `RATE_LIMITED` after too many attempts from the
/// client's address, or for this account from it (see [`crate::throttle`]), or while too
/// many passwords are being checked at once.
pub async fn login(
    state: &AppState,
    request: &RequestContext,
    username: &str,
    password: SecretString,
) -> Result<Session, AppError> {
    let username = username.trim().to_ascii_lowercase();
    let (now, client) = (state.clock.now(), request.client);
    state.throttle.attempt(&state.writer, now, Guarded::LoginFromAddress, client, "").await?;
    state.throttle.attempt(&state.writer, now, Guarded::LoginToAccount, client, &username).await?;
    let found = match Username::parse(&username) {
        Ok(name) => {
            user::Entity::find().filter(user::Column::Username.eq(name.as_ref())).one(&state.db).await?
        }
        Err(_) => None,
    };
    let verified = state.passwords.verify(password, found.as_ref().map(|u| u.password_hash.clone())).await?;
    let user = match found {
        Some(user) if verified && user.active => user,
        _ => return Err(AppError::Unauthenticated),
    };
    state.throttle.clear(&state.writer, Guarded::LoginToAccount, client, &username).await?;
    let (token, expires_at) = state.tokens.issue(user.id)?;
    let txn = begin_write(&state.writer).await?;
    let scope = scope_of_user(&txn, &user).await?;
    let actor = Actor { user_id: Some(user.id), role: role_label(user.role.into()) };
    audit::record_as(&txn, state, actor, request.request_id.as_deref(), user_entry("login", &scope, &user))
        .await?;
    txn.commit().await?;
    Ok(Session { token, expires_at, user })
}

/// A new account as an admin creates it.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: Username,
    pub password: NewPassword,
    pub display_name: Name,
    pub role: Role,
    pub department_code: Option<String>,
    pub institution_id: Option<i64>,
}

/// Creates an account with one role at one scope.
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN` unless the caller is an admin; `BAD_USER_INPUT` when the
/// bindings do not fit the role; `CONFLICT` when the username is taken.
pub async fn create_user(
    state: &AppState,
    request: &RequestContext,
    new: NewUser,
) -> Result<user::Model, AppError> {
    // Authorized and hashed before the transaction opens: argon2 takes a while and must
    // neither run for a caller who may not create accounts nor hold a writer.
    request.caller.signed_in()?;
    let scope = account_scope(state, &new).await?;
    state.authz.authorize(&request.caller, Action::CreateUser, &scope)?;
    let hash = state.passwords.hash(new.password.secret().clone()).await?;
    let uc = UseCase::begin(state, request).await?;
    let user = insert_user(&uc.txn, state, UserRow::of(&new), hash).await?;
    uc.audit(user_entry(Action::CreateUser.name(), &scope, &user)).await?;
    uc.commit().await?;
    Ok(user)
}

/// Creates an account on the operator's word (the `create-user` and `seed-demo`
/// subcommands, run by whoever holds the database), recorded as done by `SYSTEM`.
///
/// # Errors
/// As [`create_user`], less the authorization.
pub async fn create_user_as_operator(state: &AppState, new: NewUser) -> Result<user::Model, AppError> {
    let scope = account_scope(state, &new).await?;
    add_user(state, Actor { user_id: None, role: "SYSTEM" }, &scope, new).await
}

/// The scope an account will live at, checking that its bindings fit its role.
async fn account_scope(state: &AppState, new: &NewUser) -> Result<ScopePath, AppError> {
    match (new.role, &new.department_code, new.institution_id) {
        (Role::Reviewer | Role::Admin, None, None) => Ok(ScopePath::region()),
        (Role::Recommender, Some(code), None) => {
            if state.departments.get(code).is_none() {
                return Err(AppError::invalid("input.departmentCode", "no such recommending department"));
            }
            Ok(ScopePath::department(code))
        }
        (Role::Applicant, None, Some(id)) => {
            let institution = institution::Entity::find_by_id(id)
                .one(&state.db)
                .await?
                .ok_or_else(|| AppError::invalid("input.institutionId", "no such institution"))?;
            Ok(crate::db::mapping::institution_scope(&institution))
        }
        (Role::Recommender, ..) => Err(AppError::invalid(
            "input.departmentCode",
            "a recommender needs a department and no institution",
        )),
        (Role::Applicant, ..) => Err(AppError::invalid(
            "input.institutionId",
            "an applicant needs an institution and no department",
        )),
        (Role::Reviewer | Role::Admin, ..) => Err(AppError::invalid(
            "input.role",
            "reviewers and admins act for the whole region: give no department or institution",
        )),
    }
}

async fn add_user(
    state: &AppState,
    actor: Actor,
    scope: &ScopePath,
    new: NewUser,
) -> Result<user::Model, AppError> {
    let hash = state.passwords.hash(new.password.secret().clone()).await?;
    let txn = begin_write(&state.writer).await?;
    let user = insert_user(&txn, state, UserRow::of(&new), hash).await?;
    audit::record_as(&txn, state, actor, None, user_entry(Action::CreateUser.name(), scope, &user)).await?;
    txn.commit().await?;
    Ok(user)
}

/// The account part of a self-registration.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: Username,
    pub password: NewPassword,
    pub display_name: Name,
}

/// What a self-registration created.
#[derive(Debug, Clone)]
pub struct Registration {
    pub institution: institution::Model,
    pub session: Session,
}

/// Registers an institution with its applicant account, in one transaction, and logs the
/// applicant in. Open to anyone.
///
/// # Errors
/// `BAD_USER_INPUT` for an unknown department; `CONFLICT` when the USCC or the username is
/// taken; `RATE_LIMITED` after too many registrations from the client's address.
pub async fn register_applicant(
    state: &AppState,
    request: &RequestContext,
    institution: NewInstitution,
    account: NewAccount,
) -> Result<Registration, AppError> {
    let now = state.clock.now();
    state.throttle.attempt(&state.writer, now, Guarded::Registration, request.client, "").await?;
    let hash = state.passwords.hash(account.password.secret().clone()).await?;
    let txn = begin_write(&state.writer).await?;
    let institution = institutions::insert(&txn, state, institution).await?;
    let scope = crate::db::mapping::institution_scope(&institution);
    let row = UserRow {
        username: &account.username,
        display_name: &account.display_name,
        role: Role::Applicant,
        department_code: None,
        institution_id: Some(institution.id),
    };
    let user = insert_user(&txn, state, row, hash).await?;
    let entry = AuditEntry::named("registerApplicant", &scope, institutions::ENTITY, institution.id);
    audit::record(&txn, state, request, entry).await?;
    txn.commit().await?;
    let (token, expires_at) = state.tokens.issue(user.id)?;
    Ok(Registration { institution, session: Session { token, expires_at, user } })
}

/// Accounts, for admins.
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN` as the policy says.
pub async fn list(
    state: &AppState,
    request: &RequestContext,
    page: PageRequest,
) -> Result<Page<user::Model>, AppError> {
    state.authz.visibility(&request.caller, Action::ReadUser)?;
    fetch_page(&state.db, user::Entity::find(), user::Column::Id, &page).await
}

/// Creates the `admin` account on a database that has no users yet. Returns the password
/// when it was generated, for the caller to show once.
///
/// # Errors
/// When the database fails.
pub async fn ensure_admin(
    db: &DatabaseConnection,
    state: &AppState,
    password: Option<&SecretString>,
) -> anyhow::Result<Option<String>> {
    if user::Entity::find().count(db).await? > 0 {
        return Ok(None);
    }
    let (password, generated) = match password {
        Some(p) => (p.clone(), None),
        None => {
            let p = random_password();
            (SecretString::from(p.clone()), Some(p))
        }
    };
    let hash =
        state.passwords.hash(password).await.map_err(|e| anyhow::anyhow!("cannot hash: {}", e.message()))?;
    let username = Username::parse("admin").map_err(|e| anyhow::anyhow!(e))?;
    let display_name = Name::parse("系统管理员").map_err(|e| anyhow::anyhow!(e))?;
    let txn = begin_write(db).await?;
    let row = UserRow {
        username: &username,
        display_name: &display_name,
        role: Role::Admin,
        department_code: None,
        institution_id: None,
    };
    let user = insert_user(&txn, state, row, hash)
        .await
        .map_err(|e| anyhow::anyhow!("cannot create the admin account: {}", e.message()))?;
    let actor = Actor { user_id: None, role: "SYSTEM" };
    audit::record_as(&txn, state, actor, None, user_entry("bootstrapAdmin", &ScopePath::region(), &user))
        .await
        .map_err(|e| anyhow::anyhow!("cannot audit the admin account: {}", e.message()))?;
    txn.commit().await?;
    Ok(generated)
}

/// A random password of 20 characters from an unambiguous alphabet.
pub fn random_password() -> String {
    use rand::Rng as _;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789-_";
    let mut rng = rand::rng();
    (0..20).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

/// The columns of a new account besides its password hash.
struct UserRow<'a> {
    username: &'a Username,
    display_name: &'a Name,
    role: Role,
    department_code: Option<String>,
    institution_id: Option<i64>,
}

impl<'a> UserRow<'a> {
    fn of(new: &'a NewUser) -> Self {
        Self {
            username: &new.username,
            display_name: &new.display_name,
            role: new.role,
            department_code: new.department_code.clone(),
            institution_id: new.institution_id,
        }
    }
}

async fn insert_user(
    conn: &impl ConnectionTrait,
    state: &AppState,
    new: UserRow<'_>,
    password_hash: String,
) -> Result<user::Model, AppError> {
    user::Entity::insert(user::ActiveModel {
        id: NotSet,
        username: Set(new.username.as_ref().to_owned()),
        password_hash: Set(password_hash),
        display_name: Set(new.display_name.to_string()),
        role: Set(new.role),
        department_code: Set(new.department_code),
        institution_id: Set(new.institution_id),
        active: Set(true),
        created_at: Set(state.clock.now()),
    })
    .exec_with_returning(conn)
    .await
    .map_err(|e| on_unique(e, || AppError::conflict("this username is taken")))
}

/// The scope path an account lives at.
async fn scope_of_user(conn: &impl ConnectionTrait, user: &user::Model) -> Result<ScopePath, AppError> {
    Ok(match (user.role, &user.department_code, user.institution_id) {
        (Role::Recommender, Some(code), _) => ScopePath::department(code),
        (Role::Applicant, _, Some(id)) => match institution::Entity::find_by_id(id).one(conn).await? {
            Some(institution) => crate::db::mapping::institution_scope(&institution),
            None => ScopePath::region(),
        },
        _ => ScopePath::region(),
    })
}

fn user_entry<'a>(action: &'a str, scope: &'a ScopePath, user: &user::Model) -> AuditEntry<'a> {
    AuditEntry::named(action, scope, "user", user.id)
}
