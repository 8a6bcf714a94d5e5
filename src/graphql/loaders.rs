//! Batch loaders, built per request: a page of institutions or filings costs one query per
//! kind of related row, however long the page. The reads themselves are
//! [`service::lookups`](crate::service::lookups).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, Loader};
use entity::json::ApplicationForm;
use entity::{
    audit_event, filing_attachment, institution, institution_database, institution_service_item,
    institution_staff, report_attachment, user,
};

use crate::error::AppError;
use crate::service::lookups;
use crate::state::AppState;

/// Loads related rows by the id of the record they belong to.
#[derive(Debug, Clone)]
pub struct ProfileLoader {
    state: AppState,
}

/// The per-request loader of related rows, shared by the operations of a batch.
pub type Loaders = Arc<DataLoader<ProfileLoader>>;

/// Loaders for one request.
pub fn for_request(state: AppState) -> Loaders {
    Arc::new(DataLoader::new(ProfileLoader { state }, tokio::spawn))
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
    K: Send + Sync + Hash + Eq + Clone + 'static,
    ProfileLoader: Loader<K, Error = Arc<AppError>>,
{
    let loaders = ctx
        .data::<Loaders>()
        .map_err(|_| AppError::Internal(anyhow::anyhow!("loaders missing from the request")))?;
    loaders.load_one(key).await.map_err(load_failed)
}

fn load_failed(error: Arc<AppError>) -> AppError {
    let cause = match &*error {
        AppError::Internal(cause) => format!("{cause:#}"),
        other => other.message(),
    };
    AppError::Internal(anyhow::anyhow!("batch load failed: {cause}"))
}

/// Groups rows by the record they belong to, keeping their order.
fn group<K: Hash + Eq, M>(rows: Vec<M>, key: impl Fn(&M) -> K) -> HashMap<K, Vec<M>> {
    let mut map: HashMap<K, Vec<M>> = HashMap::new();
    for row in rows {
        map.entry(key(&row)).or_default().push(row);
    }
    map
}

/// The ids behind a batch of keys.
fn ids<K>(keys: &[K], id: impl Fn(&K) -> i64) -> Vec<i64> {
    keys.iter().map(id).collect()
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
/// An institution by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct InstitutionOf(pub i64);
/// The attachments of a filing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AttachmentsOf(pub i64);
/// The application form of a filing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FormOf(pub i64);
/// The audit history of a filing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HistoryOf(pub i64);
/// A user by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UserOf(pub i64);
/// The attachments of an annual report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReportAttachmentsOf(pub i64);

impl Loader<StaffOf> for ProfileLoader {
    type Value = Vec<institution_staff::Model>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[StaffOf]) -> Result<HashMap<StaffOf, Self::Value>, Self::Error> {
        let rows = lookups::staff_of(&self.state.db, &ids(keys, |k| k.0)).await?;
        Ok(group(rows, |r| StaffOf(r.institution_id)))
    }
}

impl Loader<DatabasesOf> for ProfileLoader {
    type Value = Vec<institution_database::Model>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[DatabasesOf]) -> Result<HashMap<DatabasesOf, Self::Value>, Self::Error> {
        let rows = lookups::databases_of(&self.state.db, &ids(keys, |k| k.0)).await?;
        Ok(group(rows, |r| DatabasesOf(r.institution_id)))
    }
}

impl Loader<ServiceItemsOf> for ProfileLoader {
    type Value = Vec<institution_service_item::Model>;
    type Error = Arc<AppError>;

    async fn load(
        &self,
        keys: &[ServiceItemsOf],
    ) -> Result<HashMap<ServiceItemsOf, Self::Value>, Self::Error> {
        let rows = lookups::service_items_of(&self.state.db, &ids(keys, |k| k.0)).await?;
        Ok(group(rows, |r| ServiceItemsOf(r.institution_id)))
    }
}

impl Loader<InstitutionOf> for ProfileLoader {
    type Value = institution::Model;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[InstitutionOf]) -> Result<HashMap<InstitutionOf, Self::Value>, Self::Error> {
        let rows = lookups::institutions(&self.state.db, &ids(keys, |k| k.0)).await?;
        Ok(rows.into_iter().map(|r| (InstitutionOf(r.id), r)).collect())
    }
}

impl Loader<FormOf> for ProfileLoader {
    type Value = Arc<ApplicationForm>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[FormOf]) -> Result<HashMap<FormOf, Self::Value>, Self::Error> {
        let rows = lookups::filing_forms(&self.state.db, &ids(keys, |k| k.0)).await?;
        Ok(rows.into_iter().map(|(id, form)| (FormOf(id), Arc::new(form.0))).collect())
    }
}

impl Loader<AttachmentsOf> for ProfileLoader {
    type Value = Vec<filing_attachment::Model>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[AttachmentsOf]) -> Result<HashMap<AttachmentsOf, Self::Value>, Self::Error> {
        let rows = lookups::filing_attachments_of(&self.state.db, &ids(keys, |k| k.0)).await?;
        Ok(group(rows, |r| AttachmentsOf(r.filing_id)))
    }
}

impl Loader<HistoryOf> for ProfileLoader {
    type Value = Vec<audit_event::Model>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[HistoryOf]) -> Result<HashMap<HistoryOf, Self::Value>, Self::Error> {
        let rows = lookups::filing_histories(&self.state.db, &ids(keys, |k| k.0)).await?;
        Ok(group(rows, |r| HistoryOf(r.entity_id.parse().unwrap_or_default())))
    }
}

impl Loader<UserOf> for ProfileLoader {
    type Value = user::Model;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[UserOf]) -> Result<HashMap<UserOf, Self::Value>, Self::Error> {
        let rows = lookups::users(&self.state.db, &ids(keys, |k| k.0)).await?;
        Ok(rows.into_iter().map(|r| (UserOf(r.id), r)).collect())
    }
}

impl Loader<ReportAttachmentsOf> for ProfileLoader {
    type Value = Vec<report_attachment::Model>;
    type Error = Arc<AppError>;

    async fn load(
        &self,
        keys: &[ReportAttachmentsOf],
    ) -> Result<HashMap<ReportAttachmentsOf, Self::Value>, Self::Error> {
        let rows = lookups::report_attachments_of(&self.state.db, &ids(keys, |k| k.0)).await?;
        Ok(group(rows, |r| ReportAttachmentsOf(r.report_id)))
    }
}
