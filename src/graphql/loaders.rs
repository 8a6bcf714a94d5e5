//! Batch loaders, built per request: a page of institutions or filings costs one query per
//! kind of related row, however long the page.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, Loader};
use entity::{
    audit_event, filing_attachment, institution, institution_database, institution_service_item,
    institution_staff, report_attachment, user,
};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::error::AppError;

/// Loads profile rows by institution id.
#[derive(Debug, Clone)]
pub struct ProfileLoader {
    db: DatabaseConnection,
}

/// The per-request loader of profile rows, shared by the operations of a batch.
pub type Loaders = Arc<DataLoader<ProfileLoader>>;

/// Loaders for one request.
pub fn for_request(db: DatabaseConnection) -> Loaders {
    Arc::new(DataLoader::new(ProfileLoader { db }, tokio::spawn))
}

/// Loads the value under `key` through the request's loaders, batched with the other keys
/// of its kind asked for at the same time.
///
/// # Errors
/// `INTERNAL` when the loaders are missing or the read fails.
pub(crate) async fn load<K>(
    ctx: &Context<'_>,
    key: K,
) -> Result<Option<<ProfileLoader as Loader<K>>::Value>, AppError>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    ProfileLoader: Loader<K, Error = Arc<DbErr>>,
{
    let loaders = ctx
        .data::<Loaders>()
        .map_err(|_| AppError::Internal(anyhow::anyhow!("loaders missing from the request")))?;
    loaders
        .load_one(key)
        .await
        .map_err(|error| AppError::Internal(anyhow::anyhow!("batch load failed: {error}")))
}

/// The staff roster of an institution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StaffOf(pub i64);
/// The databases and tools of an institution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DatabasesOf(pub i64);
/// The service items of an institution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ServiceItemsOf(pub i64);

/// Groups rows by institution, keeping their order.
fn group<K: std::hash::Hash + Eq, M>(rows: Vec<M>, key: impl Fn(&M) -> K) -> HashMap<K, Vec<M>> {
    let mut map: HashMap<K, Vec<M>> = HashMap::new();
    for row in rows {
        map.entry(key(&row)).or_default().push(row);
    }
    map
}

impl Loader<StaffOf> for ProfileLoader {
    type Value = Vec<institution_staff::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[StaffOf]) -> Result<HashMap<StaffOf, Self::Value>, Self::Error> {
        let rows = institution_staff::Entity::find()
            .filter(institution_staff::Column::InstitutionId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(institution_staff::Column::Position)
            .all(&self.db)
            .await?;
        Ok(group(rows, |r| StaffOf(r.institution_id)))
    }
}

impl Loader<DatabasesOf> for ProfileLoader {
    type Value = Vec<institution_database::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[DatabasesOf]) -> Result<HashMap<DatabasesOf, Self::Value>, Self::Error> {
        let rows = institution_database::Entity::find()
            .filter(institution_database::Column::InstitutionId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(institution_database::Column::Position)
            .all(&self.db)
            .await?;
        Ok(group(rows, |r| DatabasesOf(r.institution_id)))
    }
}

impl Loader<ServiceItemsOf> for ProfileLoader {
    type Value = Vec<institution_service_item::Model>;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[ServiceItemsOf],
    ) -> Result<HashMap<ServiceItemsOf, Self::Value>, Self::Error> {
        let rows = institution_service_item::Entity::find()
            .filter(institution_service_item::Column::InstitutionId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(institution_service_item::Column::Position)
            .all(&self.db)
            .await?;
        Ok(group(rows, |r| ServiceItemsOf(r.institution_id)))
    }
}

/// An institution by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct InstitutionOf(pub i64);
/// The attachments of a filing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AttachmentsOf(pub i64);
/// The audit history of a filing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HistoryOf(pub i64);
/// A user by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UserOf(pub i64);

impl Loader<InstitutionOf> for ProfileLoader {
    type Value = institution::Model;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[InstitutionOf]) -> Result<HashMap<InstitutionOf, Self::Value>, Self::Error> {
        let rows = institution::Entity::find()
            .filter(institution::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|r| (InstitutionOf(r.id), r)).collect())
    }
}

impl Loader<AttachmentsOf> for ProfileLoader {
    type Value = Vec<filing_attachment::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[AttachmentsOf]) -> Result<HashMap<AttachmentsOf, Self::Value>, Self::Error> {
        let rows = filing_attachment::Entity::find()
            .filter(filing_attachment::Column::FilingId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(filing_attachment::Column::Id)
            .all(&self.db)
            .await?;
        Ok(group(rows, |r| AttachmentsOf(r.filing_id)))
    }
}

impl Loader<HistoryOf> for ProfileLoader {
    type Value = Vec<audit_event::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[HistoryOf]) -> Result<HashMap<HistoryOf, Self::Value>, Self::Error> {
        let rows = audit_event::Entity::find()
            .filter(audit_event::Column::EntityType.eq(crate::service::filings::ENTITY))
            .filter(audit_event::Column::EntityId.is_in(keys.iter().map(|k| k.0.to_string())))
            .order_by_asc(audit_event::Column::Id)
            .all(&self.db)
            .await?;
        Ok(group(rows, |r| HistoryOf(r.entity_id.parse().unwrap_or_default())))
    }
}

impl Loader<UserOf> for ProfileLoader {
    type Value = user::Model;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[UserOf]) -> Result<HashMap<UserOf, Self::Value>, Self::Error> {
        let rows = user::Entity::find()
            .filter(user::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|r| (UserOf(r.id), r)).collect())
    }
}

/// The attachments of an annual report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReportAttachmentsOf(pub i64);

impl Loader<ReportAttachmentsOf> for ProfileLoader {
    type Value = Vec<report_attachment::Model>;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[ReportAttachmentsOf],
    ) -> Result<HashMap<ReportAttachmentsOf, Self::Value>, Self::Error> {
        let rows = report_attachment::Entity::find()
            .filter(report_attachment::Column::ReportId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(report_attachment::Column::Id)
            .all(&self.db)
            .await?;
        Ok(group(rows, |r| ReportAttachmentsOf(r.report_id)))
    }
}
