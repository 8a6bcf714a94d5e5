//! Institutions (服务机构): their data and capability profile, as read and as changed by
//! their applicant.

mod inputs;
mod profile;

use std::borrow::Cow;

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{institution, sea_orm_active_enums as db};

pub use self::inputs::{
    ContactInput, NewInstitutionInput, PrincipalInput, ProfileInput, ServiceItemInput, UpdateInstitutionInput,
};
pub use self::profile::{
    DatabaseTool, Employment, Facilities, ServiceChannel, ServiceItem, StaffMember, ToolSource,
};
use crate::db::mapping::{database_entry, service_item_entry, staff_entry};
use crate::error::AppError;
use crate::graphql::connection::{Conn, connection, page_complexity, page_request};
use crate::graphql::inputs::row_id;
use crate::graphql::loaders::{DatabasesOf, InstitutionOf, ServiceItemsOf, StaffOf, load};
use crate::graphql::reference::{Department, department};
use crate::graphql::shared::{InstitutionKind, IpCategory, ServiceMode};
use crate::graphql::{request, state};
use crate::service::institutions::{self, InstitutionFilter};

/// 免于备案类别 — why an institution need not file (Art 19).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::ExemptCategory")]
pub enum ExemptCategory {
    /// 自治区知识产权局直属单位 — direct subsidiary of the region bureau.
    BureauSubsidiary,
    /// 自治区级、盟市级知识产权公共服务骨干节点 — region- or league-level backbone node.
    BackboneNode,
    /// 国家级知识产权保护中心 — national IP protection centre.
    NationalProtectionCenter,
    /// 技术与创新支持中心（TISC） — technology and innovation support centre.
    Tisc,
    /// 高校国家知识产权信息服务中心 — university national IP information service centre.
    UniversityNationalInfoCenter,
}

/// The principal (主要负责人) of an institution.
#[derive(SimpleObject)]
pub struct Principal {
    name: String,
    title: Option<String>,
    phone: Option<String>,
    email: Option<String>,
}

/// The contact person (联系人) of an institution.
#[derive(SimpleObject)]
pub struct Contact {
    name: String,
    title: Option<String>,
    phone: Option<String>,
    mobile: Option<String>,
    email: Option<String>,
}

/// An institution (服务机构) with its capability profile. Readable by its applicant, its
/// department's recommender and the region bureau.
pub struct Institution {
    read: Read,
    personal: PersonalData,
}

/// What has been read of an institution.
enum Read {
    Whole(Box<institution::Model>),
    /// Read beside a list of other records; the rest is loaded when a field asks for it.
    Summary(institution::Summary),
}

/// The fields of an institution that its summary holds, borrowed from what was read.
struct Summed<'a> {
    id: i64,
    uscc: &'a str,
    name: &'a str,
    kind: db::InstitutionKind,
    department_code: &'a str,
}

/// Whether an institution's personal data (staff, phones, e-mail) is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PersonalData {
    /// As the policy says for the caller.
    AsPolicySays,
    /// Shown: the caller has just entered it (the registration's own answer).
    Shown,
}

impl Institution {
    /// An institution as the caller may see it.
    pub fn new(model: institution::Model) -> Self {
        Self { read: Read::Whole(Box::new(model)), personal: PersonalData::AsPolicySays }
    }

    /// An institution read in summary beside another record, as the caller may see it.
    pub fn summarized(summary: institution::Summary) -> Self {
        Self { read: Read::Summary(summary), personal: PersonalData::AsPolicySays }
    }

    /// An institution just registered, shown in full to the person who registered it.
    pub fn registered(model: institution::Model) -> Self {
        Self { read: Read::Whole(Box::new(model)), personal: PersonalData::Shown }
    }

    /// The id, name and belonging, whatever was read.
    fn summary(&self) -> Summed<'_> {
        let (id, uscc, name, kind, department_code) = match &self.read {
            Read::Whole(m) => (m.id, &m.uscc, &m.name, m.kind, &m.department_code),
            Read::Summary(s) => (s.id, &s.uscc, &s.name, s.kind, &s.department_code),
        };
        Summed { id, uscc, name, kind, department_code }
    }

    /// The whole row, loaded now (batched with the page's others) if only the summary was.
    async fn whole(&self, ctx: &Context<'_>) -> Result<Cow<'_, institution::Model>, AppError> {
        match &self.read {
            Read::Whole(model) => Ok(Cow::Borrowed(&**model)),
            Read::Summary(summary) => load(ctx, InstitutionOf(summary.id))
                .await?
                .map(Cow::Owned)
                .ok_or(AppError::NotFound { entity: "institution" }),
        }
    }

    fn shows_personal_data(&self, ctx: &Context<'_>) -> Result<bool, AppError> {
        let Summed { id, department_code, .. } = self.summary();
        Ok(self.personal == PersonalData::Shown
            || institutions::shows_personal_data(state(ctx)?, request(ctx)?, department_code, id))
    }
}

#[Object]
impl Institution {
    async fn id(&self) -> ID {
        self.summary().id.into()
    }
    /// Unified social credit code.
    async fn uscc(&self) -> &str {
        self.summary().uscc
    }
    async fn name(&self) -> &str {
        self.summary().name
    }
    async fn kind(&self) -> InstitutionKind {
        self.summary().kind.into()
    }
    /// The recommending department the institution belongs to.
    async fn department(&self, ctx: &Context<'_>) -> Result<Option<Department>, AppError> {
        department(ctx, self.summary().department_code)
    }
    /// Set when the institution need not file (Art 19).
    async fn exempt_category(&self, ctx: &Context<'_>) -> Result<Option<ExemptCategory>, AppError> {
        Ok(self.whole(ctx).await?.exempt_category.map(Into::into))
    }
    async fn legal_representative(&self, ctx: &Context<'_>) -> Result<String, AppError> {
        Ok(self.whole(ctx).await?.legal_representative.clone())
    }
    /// Premises address.
    async fn address(&self, ctx: &Context<'_>) -> Result<String, AppError> {
        Ok(self.whole(ctx).await?.address.clone())
    }
    /// Phone and e-mail are personal data: null for callers who may not see it (admins).
    async fn principal(&self, ctx: &Context<'_>) -> Result<Principal, AppError> {
        let (m, shown) = (self.whole(ctx).await?, self.shows_personal_data(ctx)?);
        Ok(Principal {
            name: m.principal_name.clone(),
            title: m.principal_title.clone(),
            phone: m.principal_phone.clone().filter(|_| shown),
            email: m.principal_email.clone().filter(|_| shown),
        })
    }
    /// Phones and e-mail are personal data: null for callers who may not see it (admins).
    async fn contact(&self, ctx: &Context<'_>) -> Result<Contact, AppError> {
        let (m, shown) = (self.whole(ctx).await?, self.shows_personal_data(ctx)?);
        Ok(Contact {
            name: m.contact_name.clone(),
            title: m.contact_title.clone(),
            phone: m.contact_phone.clone().filter(|_| shown),
            mobile: m.contact_mobile.clone().filter(|_| shown),
            email: m.contact_email.clone().filter(|_| shown),
        })
    }
    async fn website(&self, ctx: &Context<'_>) -> Result<Option<String>, AppError> {
        Ok(self.whole(ctx).await?.website.clone())
    }
    async fn ip_categories(&self, ctx: &Context<'_>) -> Result<Vec<IpCategory>, AppError> {
        Ok(self.whole(ctx).await?.ip_categories.0.iter().map(|&c| c.into()).collect())
    }
    async fn service_modes(&self, ctx: &Context<'_>) -> Result<Vec<ServiceMode>, AppError> {
        Ok(self.whole(ctx).await?.service_modes.0.iter().map(|&m| m.into()).collect())
    }
    async fn facilities(&self, ctx: &Context<'_>) -> Result<Facilities, AppError> {
        let m = self.whole(ctx).await?;
        Ok(Facilities {
            premises_area: m.premises_area,
            network_environment: m.network_environment.clone(),
            hardware: m.hardware.clone(),
            software: m.software.clone(),
        })
    }
    async fn key_industries(&self, ctx: &Context<'_>) -> Result<Vec<String>, AppError> {
        Ok(self.whole(ctx).await?.key_industries.0.clone())
    }
    /// Profile text (机构简介).
    async fn profile(&self, ctx: &Context<'_>) -> Result<Option<String>, AppError> {
        Ok(self.whole(ctx).await?.profile.clone())
    }
    /// The staff roster. Personal data: never shown publicly, nor to admins (`FORBIDDEN`).
    async fn staff(&self, ctx: &Context<'_>) -> Result<Vec<StaffMember>, AppError> {
        if !self.shows_personal_data(ctx)? {
            return Err(AppError::Forbidden);
        }
        let rows = load(ctx, StaffOf(self.summary().id)).await?;
        Ok(rows.unwrap_or_default().iter().map(|r| StaffMember(staff_entry(r))).collect())
    }
    async fn databases(&self, ctx: &Context<'_>) -> Result<Vec<DatabaseTool>, AppError> {
        let rows = load(ctx, DatabasesOf(self.summary().id)).await?;
        Ok(rows.unwrap_or_default().iter().map(|r| DatabaseTool(database_entry(r))).collect())
    }
    async fn service_items(&self, ctx: &Context<'_>) -> Result<Vec<ServiceItem>, AppError> {
        let rows = load(ctx, ServiceItemsOf(self.summary().id)).await?;
        Ok(rows.unwrap_or_default().iter().map(|r| ServiceItem(service_item_entry(r))).collect())
    }
    /// Optimistic-concurrency version: send it back with an update.
    async fn version(&self, ctx: &Context<'_>) -> Result<i32, AppError> {
        Ok(self.whole(ctx).await?.version)
    }
    async fn created_at(&self, ctx: &Context<'_>) -> Result<DateTime<Utc>, AppError> {
        Ok(self.whole(ctx).await?.created_at)
    }
    async fn updated_at(&self, ctx: &Context<'_>) -> Result<DateTime<Utc>, AppError> {
        Ok(self.whole(ctx).await?.updated_at)
    }
}

/// Which institutions to list.
#[derive(InputObject, Default)]
pub struct InstitutionFilterInput {
    pub department_code: Option<String>,
    pub kind: Option<InstitutionKind>,
    /// Part of the name.
    pub name_contains: Option<String>,
}

/// Institutions.
#[derive(Default)]
pub struct InstitutionQuery;

#[Object]
impl InstitutionQuery {
    /// One institution in the caller's scope.
    async fn institution(&self, ctx: &Context<'_>, id: ID) -> Result<Institution, AppError> {
        let id = row_id("id", &id)?;
        Ok(Institution::new(institutions::get(state(ctx)?, request(ctx)?, id).await?))
    }

    /// Institutions in the caller's scope, by id.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn institutions(
        &self,
        ctx: &Context<'_>,
        filter: Option<InstitutionFilterInput>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<Conn<Institution>, AppError> {
        let page = page_request(ctx, after, before, first, last)?;
        let filter = filter.unwrap_or_default();
        let filter = InstitutionFilter {
            department_code: filter.department_code,
            kind: filter.kind.map(Into::into),
            name_contains: filter.name_contains,
        };
        let rows = institutions::list(state(ctx)?, request(ctx)?, filter, page).await?;
        Ok(connection(rows, |i| i.id, Institution::new))
    }
}

/// The institution as updated.
#[derive(SimpleObject)]
pub struct UpdateInstitutionPayload {
    institution: Institution,
}

impl From<institution::Model> for UpdateInstitutionPayload {
    fn from(institution: institution::Model) -> Self {
        Self { institution: Institution::new(institution) }
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
        Ok(institutions::update(state(ctx)?, request(ctx)?, id, version, changes).await?.into())
    }
}
