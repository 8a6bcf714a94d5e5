//! `audit_events`: an append-only record of every mutation (DESIGN §9), each event chained
//! to the one before it by hash.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub occurred_at: DateTimeUtc,
    /// The acting user; absent for anonymous actions such as self-registration.
    pub actor_user_id: Option<i64>,
    /// The role the actor acted in, or `ANONYMOUS`.
    pub actor_role: String,
    /// Scope path of the entity acted on, e.g. `/nm/150100/inst/42`.
    pub scope: String,
    /// The mutation, e.g. `updateInstitution`.
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub comment: Option<String>,
    pub request_id: Option<String>,
    /// The `hash` of the event before it in id order, or 64 zeros for the first: the link
    /// of the chain (`domain::audit_chain`).
    pub prev_hash: String,
    /// Lower-case hex SHA-256 of the event's canonical encoding (`domain::audit_chain`).
    pub hash: String,
}

no_relations!();
