//! Reads by id for the API's batch loaders: the rows related to a page of records, one
//! query per kind of row however long the page. They do not authorize: the API reaches
//! them only through a record the caller was allowed to read.

use entity::document::Json;
use entity::json::ApplicationForm;
use entity::{
    audit_event, filing, filing_attachment, institution, institution_database, institution_service_item,
    institution_staff, report_attachment, user,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::error::AppError;
use crate::service::filings;

/// The user with `id`, if any.
///
/// # Errors
/// When the database fails.
pub async fn user(conn: &impl ConnectionTrait, id: i64) -> Result<Option<user::Model>, AppError> {
    Ok(user::Entity::find_by_id(id).one(conn).await?)
}

/// The users among `ids`.
///
/// # Errors
/// When the database fails.
pub async fn users(conn: &impl ConnectionTrait, ids: &[i64]) -> Result<Vec<user::Model>, AppError> {
    Ok(user::Entity::find().filter(user::Column::Id.is_in(ids.iter().copied())).all(conn).await?)
}

/// The forms of filings `ids`, by filing id.
///
/// # Errors
/// When the database fails.
pub async fn filing_forms(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<(i64, Json<ApplicationForm>)>, AppError> {
    Ok(filing::Entity::find()
        .select_only()
        .column(filing::Column::Id)
        .column(filing::Column::Form)
        .filter(filing::Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?)
}

/// The institutions among `ids`.
///
/// # Errors
/// When the database fails.
pub async fn institutions(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<institution::Model>, AppError> {
    Ok(institution::Entity::find()
        .filter(institution::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// The staff rosters of institutions `institution_ids`, each in its order.
///
/// # Errors
/// When the database fails.
pub async fn staff_of(
    conn: &impl ConnectionTrait,
    institution_ids: &[i64],
) -> Result<Vec<institution_staff::Model>, AppError> {
    Ok(institution_staff::Entity::find()
        .filter(institution_staff::Column::InstitutionId.is_in(institution_ids.iter().copied()))
        .order_by_asc(institution_staff::Column::Position)
        .all(conn)
        .await?)
}

/// The databases and tools of institutions `institution_ids`, each in its order.
///
/// # Errors
/// When the database fails.
pub async fn databases_of(
    conn: &impl ConnectionTrait,
    institution_ids: &[i64],
) -> Result<Vec<institution_database::Model>, AppError> {
    Ok(institution_database::Entity::find()
        .filter(institution_database::Column::InstitutionId.is_in(institution_ids.iter().copied()))
        .order_by_asc(institution_database::Column::Position)
        .all(conn)
        .await?)
}

/// The service items of institutions `institution_ids`, each in its order.
///
/// # Errors
/// When the database fails.
pub async fn service_items_of(
    conn: &impl ConnectionTrait,
    institution_ids: &[i64],
) -> Result<Vec<institution_service_item::Model>, AppError> {
    Ok(institution_service_item::Entity::find()
        .filter(institution_service_item::Column::InstitutionId.is_in(institution_ids.iter().copied()))
        .order_by_asc(institution_service_item::Column::Position)
        .all(conn)
        .await?)
}

/// The attachments of filings `filing_ids`, oldest first.
///
/// # Errors
/// When the database fails.
pub async fn filing_attachments_of(
    conn: &impl ConnectionTrait,
    filing_ids: &[i64],
) -> Result<Vec<filing_attachment::Model>, AppError> {
    Ok(filing_attachment::Entity::find()
        .filter(filing_attachment::Column::FilingId.is_in(filing_ids.iter().copied()))
        .order_by_asc(filing_attachment::Column::Id)
        .all(conn)
        .await?)
}

/// The audit events of filings `filing_ids`, oldest first.
///
/// # Errors
/// When the database fails.
pub async fn filing_histories(
    conn: &impl ConnectionTrait,
    filing_ids: &[i64],
) -> Result<Vec<audit_event::Model>, AppError> {
    Ok(audit_event::Entity::find()
        .filter(audit_event::Column::EntityType.eq(filings::ENTITY))
        .filter(audit_event::Column::EntityId.is_in(filing_ids.iter().map(i64::to_string)))
        .order_by_asc(audit_event::Column::Id)
        .all(conn)
        .await?)
}

/// The attachments of annual reports `report_ids`, oldest first.
///
/// # Errors
/// When the database fails.
pub async fn report_attachments_of(
    conn: &impl ConnectionTrait,
    report_ids: &[i64],
) -> Result<Vec<report_attachment::Model>, AppError> {
    Ok(report_attachment::Entity::find()
        .filter(report_attachment::Column::ReportId.is_in(report_ids.iter().copied()))
        .order_by_asc(report_attachment::Column::Id)
        .all(conn)
        .await?)
}
