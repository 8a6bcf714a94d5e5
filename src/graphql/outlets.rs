//! Outlets (网点): the published list (Art 8), outlets as their readers in scope see them,
//! and the region bureau's decisions on them (Art 11, 18).

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::NaiveDate;
use entity::outlet;

use crate::domain::text::{Prose, Text};
use crate::error::AppError;
use crate::graphql::connection::{Conn, connection, page_complexity, page_request};
use crate::graphql::inputs::{field, row_id};
use crate::graphql::institutions::{Institution, ServiceItem};
use crate::graphql::loaders::{InstitutionOf, load};
use crate::graphql::reference::{Department, department};
use crate::graphql::shared::{InstitutionKind, IpCategory, ServiceMode, ServiceType};
use crate::graphql::{request, run_step, state};
use crate::service::outlets::{self, OutletFilter, Sanction, Standing, standing};
use crate::service::usecase;

/// 网点状态 — an outlet's standing today.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutletStatus {
    /// 有效 — valid and listed.
    Active,
    /// 已过期 — past its last day without renewal.
    Expired,
    /// 已终止 — terminated (Art 18).
    Terminated,
    /// 已撤销 — revoked (Art 18).
    Revoked,
}

impl From<Standing> for OutletStatus {
    fn from(standing: Standing) -> Self {
        match standing {
            Standing::Active => Self::Active,
            Standing::Expired => Self::Expired,
            Standing::Terminated => Self::Terminated,
            Standing::Revoked => Self::Revoked,
        }
    }
}

impl From<OutletStatus> for Standing {
    fn from(status: OutletStatus) -> Self {
        match status {
            OutletStatus::Active => Self::Active,
            OutletStatus::Expired => Self::Expired,
            OutletStatus::Terminated => Self::Terminated,
            OutletStatus::Revoked => Self::Revoked,
        }
    }
}

/// What the public may reach an outlet by (Art 8): no personal telephone or e-mail.
#[derive(SimpleObject)]
pub struct PublicContact {
    /// The contact person's name.
    pub name: String,
    pub website: Option<String>,
}

/// An outlet as the published list shows it (Art 8): public fields only.
pub struct PublishedOutlet(pub outlet::Model);

#[Object]
impl PublishedOutlet {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// e.g. `NM-IPIS-2026-0001`.
    async fn number(&self) -> &str {
        &self.0.number
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn kind(&self) -> InstitutionKind {
        self.0.kind.into()
    }
    async fn department(&self, ctx: &Context<'_>) -> Result<Option<Department>, AppError> {
        department(ctx, &self.0.department_code)
    }
    async fn address(&self) -> &str {
        &self.0.address
    }
    async fn public_contact(&self) -> PublicContact {
        PublicContact { name: self.0.contact_name.clone(), website: self.0.website.clone() }
    }
    async fn ip_categories(&self) -> Vec<IpCategory> {
        self.0.ip_categories.0.iter().map(|&c| c.into()).collect()
    }
    async fn service_modes(&self) -> Vec<ServiceMode> {
        self.0.service_modes.0.iter().map(|&m| m.into()).collect()
    }
    /// The service items (服务事项清单).
    async fn service_items(&self) -> Vec<ServiceItem> {
        self.0.service_items.0.iter().cloned().map(ServiceItem).collect()
    }
    async fn valid_from(&self) -> NaiveDate {
        self.0.valid_from
    }
    async fn valid_until(&self) -> NaiveDate {
        self.0.valid_until
    }
    /// Recommended to CNIPA as a national outlet (Art 11).
    async fn recommended_to_national(&self) -> bool {
        self.0.national_recommended_on.is_some()
    }
}

/// An outlet with everything its readers in scope may see.
pub struct Outlet(pub outlet::Model);

#[Object]
impl Outlet {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn number(&self) -> &str {
        &self.0.number
    }
    /// Today's standing: `EXPIRED` follows from the dates, not from a stored flag.
    async fn status(&self, ctx: &Context<'_>) -> Result<OutletStatus, AppError> {
        let today = usecase::today(state(ctx)?);
        Ok(standing(&self.0, today).into())
    }
    async fn institution(&self, ctx: &Context<'_>) -> Result<Institution, AppError> {
        let found = load(ctx, InstitutionOf(self.0.institution_id)).await?;
        found.map(Institution::new).ok_or(AppError::NotFound { entity: "institution" })
    }
    /// The public face of the outlet, as the list shows it.
    async fn published(&self) -> PublishedOutlet {
        PublishedOutlet(self.0.clone())
    }
    /// The initial filing that created it.
    async fn filing_id(&self) -> ID {
        self.0.filing_id.into()
    }
    async fn filed_on(&self) -> NaiveDate {
        self.0.filed_on
    }
    async fn valid_from(&self) -> NaiveDate {
        self.0.valid_from
    }
    async fn valid_until(&self) -> NaiveDate {
        self.0.valid_until
    }
    async fn national_recommended_on(&self) -> Option<NaiveDate> {
        self.0.national_recommended_on
    }
    async fn national_note(&self) -> Option<&str> {
        self.0.national_note.as_deref()
    }
    /// Why it was terminated or revoked, and when.
    async fn sanction_reason(&self) -> Option<&str> {
        self.0.sanction_reason.as_deref()
    }
    async fn sanctioned_on(&self) -> Option<NaiveDate> {
        self.0.sanctioned_on
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// Which outlets to list.
#[derive(InputObject, Default)]
pub struct OutletFilterInput {
    pub status: Option<OutletStatus>,
    pub department_code: Option<String>,
    pub kind: Option<InstitutionKind>,
    pub ip_category: Option<IpCategory>,
    pub service_type: Option<ServiceType>,
    /// Valid, and ending within this many days.
    pub expiring_within_days: Option<i32>,
}

/// Which published outlets to list.
#[derive(InputObject, Default)]
pub struct PublishedOutletFilterInput {
    pub department_code: Option<String>,
    pub kind: Option<InstitutionKind>,
    pub ip_category: Option<IpCategory>,
    pub service_type: Option<ServiceType>,
    pub service_mode: Option<ServiceMode>,
}

/// A recommendation to CNIPA (Art 11).
#[derive(InputObject)]
pub struct RecommendOutletToNationalInput {
    pub outlet_id: ID,
    pub version: i32,
    pub note: String,
    /// The day of the recommendation; today if left out.
    pub date: Option<NaiveDate>,
}

/// A termination or revocation (Art 18).
#[derive(InputObject)]
pub struct SanctionOutletInput {
    pub outlet_id: ID,
    pub version: i32,
    pub reason: String,
}

impl SanctionOutletInput {
    /// The outlet's id, the version read, and the reason.
    ///
    /// # Errors
    /// `BAD_USER_INPUT` for a bad id or a blank or overlong reason.
    pub fn parse(self) -> Result<(i64, i32, Prose), AppError> {
        let id = row_id("input.outletId", &self.outlet_id)?;
        Ok((id, self.version, field("input.reason", Text::parse(&self.reason))?))
    }
}

/// The search tags an outlet must carry to match a filter's IP category, service type
/// and service mode, each only when the filter names it.
fn search_tags(
    ip_category: Option<IpCategory>,
    service_type: Option<ServiceType>,
    service_mode: Option<ServiceMode>,
) -> Vec<String> {
    let ip = ip_category.map(|c| outlets::tag("IP", &entity::json::IpCategory::from(c)));
    let service =
        service_type.map(|t| outlets::tag("SERVICE", &entity::sea_orm_active_enums::ServiceType::from(t)));
    let mode = service_mode.map(|m| outlets::tag("MODE", &entity::json::ServiceMode::from(m)));
    [ip, service, mode].into_iter().flatten().collect()
}

/// Outlets.
#[derive(Default)]
pub struct OutletQuery;

#[Object]
impl OutletQuery {
    /// One outlet in the caller's scope.
    async fn outlet(&self, ctx: &Context<'_>, id: ID) -> Result<Outlet, AppError> {
        let id = row_id("id", &id)?;
        Ok(Outlet(outlets::get(state(ctx)?, request(ctx)?, id).await?))
    }

    /// Outlets in the caller's scope, whatever their standing.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn outlets(
        &self,
        ctx: &Context<'_>,
        filter: Option<OutletFilterInput>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<Conn<Outlet>, AppError> {
        let page = page_request(ctx, after, before, first, last)?;
        let filter = filter.unwrap_or_default();
        let expiring = filter
            .expiring_within_days
            .map(|d| {
                u32::try_from(d)
                    .map_err(|_| AppError::invalid("filter.expiringWithinDays", "must not be negative"))
            })
            .transpose()?;
        let tags = search_tags(filter.ip_category, filter.service_type, None);
        let filter = OutletFilter {
            standing: filter.status.map(Into::into),
            department_code: filter.department_code,
            kind: filter.kind.map(Into::into),
            tags,
            expiring_within_days: expiring,
        };
        let rows = outlets::list(state(ctx)?, request(ctx)?, filter, page).await?;
        Ok(connection(rows, |o| o.id, Outlet))
    }

    /// The published list of outlets (Art 8): those valid today, public fields only. Open
    /// to everyone.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn published_outlets(
        &self,
        ctx: &Context<'_>,
        filter: Option<PublishedOutletFilterInput>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<Conn<PublishedOutlet>, AppError> {
        let page = page_request(ctx, after, before, first, last)?;
        let filter = filter.unwrap_or_default();
        let tags = search_tags(filter.ip_category, filter.service_type, filter.service_mode);
        let filter = OutletFilter {
            standing: None,
            department_code: filter.department_code,
            kind: filter.kind.map(Into::into),
            tags,
            expiring_within_days: None,
        };
        let rows = outlets::published(state(ctx)?, filter, page).await?;
        Ok(connection(rows, |o| o.id, PublishedOutlet))
    }
}

/// The outlet after a decision.
#[derive(SimpleObject)]
pub struct OutletPayload {
    outlet: Outlet,
}

impl From<outlet::Model> for OutletPayload {
    fn from(outlet: outlet::Model) -> Self {
        Self { outlet: Outlet(outlet) }
    }
}

/// Decisions on outlets (DESIGN §6).
#[derive(Default)]
pub struct OutletMutation;

#[Object]
impl OutletMutation {
    /// Records the recommendation of an active outlet to CNIPA as a national outlet (Art 11).
    async fn recommend_outlet_to_national(
        &self,
        ctx: &Context<'_>,
        input: RecommendOutletToNationalInput,
    ) -> Result<OutletPayload, AppError> {
        let id = row_id("input.outletId", &input.outlet_id)?;
        let note = field("input.note", Text::parse(&input.note))?;
        let outlet =
            outlets::recommend_to_national(state(ctx)?, request(ctx)?, id, input.version, note, input.date)
                .await?;
        Ok(outlet.into())
    }

    /// Terminates an outlet (终止备案, Art 18): it leaves the list at once and its institution
    /// may not file for three years.
    async fn terminate_outlet(
        &self,
        ctx: &Context<'_>,
        input: SanctionOutletInput,
    ) -> Result<OutletPayload, AppError> {
        run_step(ctx, input.parse()?, Sanction::Terminate, outlets::sanction).await
    }

    /// Revokes an outlet (撤销备案, Art 18): it leaves the list at once and its institution may
    /// not file for three years.
    async fn revoke_outlet(
        &self,
        ctx: &Context<'_>,
        input: SanctionOutletInput,
    ) -> Result<OutletPayload, AppError> {
        run_step(ctx, input.parse()?, Sanction::Revoke, outlets::sanction).await
    }
}
