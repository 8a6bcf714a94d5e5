//! Output types and enumerations. Each wraps an entity model, so a change to a table
//! cannot change the API unnoticed.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use entity::json::{ApplicationForm, DatabaseEntry, PersonEntry, ServiceItemEntry, StaffEntry};
use entity::{
    announcement, audit_event, calendar_day, department, filing, filing_attachment, institution, json,
    objection, outlet, sea_orm_active_enums as db, user,
};

use crate::db::mapping::{database_entry, service_item_entry, staff_entry};
use crate::domain::institution::{ServiceCategory as DomainCategory, category_of};
use crate::error::AppError;
use crate::graphql::loaders::{
    AttachmentsOf, DatabasesOf, HistoryOf, InstitutionOf, Loaders, ServiceItemsOf, StaffOf, UserOf,
};
use crate::graphql::state;
use crate::service::outlets::{Standing, standing};

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

/// 推荐部门类别 — the kind of a recommending department.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::DepartmentKind")]
pub enum DepartmentKind {
    /// 地级市 — prefecture-level city.
    PrefectureCity,
    /// 盟 — league.
    League,
    /// 计划单列市 — separately planned city.
    SeparatelyPlannedCity,
}

/// 机构类型 — the kind of an institution (Art 2).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::InstitutionKind")]
pub enum InstitutionKind {
    /// 高校 — university.
    University,
    /// 科研机构 — research institute.
    ResearchInstitute,
    /// 科技情报机构 — sci-tech information institution.
    ScitechInformation,
    /// 行业组织 — industry organisation.
    IndustryOrganization,
    /// 生产力促进机构 — productivity promotion centre.
    ProductivityPromotion,
    /// 公共图书馆 — public library.
    PublicLibrary,
    /// 博物馆 — museum.
    Museum,
    /// 相关服务机构 — related service agency.
    ServiceAgency,
}

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

/// 用工形式 — full or part time.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::Employment")]
pub enum Employment {
    /// 专职 — full time.
    FullTime,
    /// 兼职 — part time.
    PartTime,
}

/// 数据库来源 — how a database or tool was obtained.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::ToolSource")]
pub enum ToolSource {
    /// 自建 — self-built.
    SelfBuilt,
    /// 购买 — purchased.
    Purchased,
    /// 租用 — leased.
    Leased,
}

/// 服务类型 — a service an outlet offers.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::ServiceType")]
pub enum ServiceType {
    /// 知识产权咨询服务 — consultation (basic, Art 13(1)).
    Consultation,
    /// 知识产权信息查询检索服务 — information search (basic, Art 13(2)).
    Search,
    /// 知识产权宣传培训服务 — publicity and training (basic, Art 13(3)).
    Training,
    /// 重点产业知识产权信息分析服务 — key-industry analysis (special, Art 14(1)).
    IndustryAnalysis,
    /// 中小微企业知识产权服务 — services for SMEs (special, Art 14(2)).
    SmeService,
}

/// 服务类别 — basic (Art 13) or special (Art 14).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceCategory {
    /// 基础服务 — basic service.
    Basic,
    /// 特色服务 — special service.
    Special,
}

/// 知识产权类别 — an IP category served.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "json::IpCategory")]
pub enum IpCategory {
    /// 专利 — patents.
    Patent,
    /// 商标 — trademarks.
    Trademark,
    /// 地理标志 — geographical indications.
    GeographicalIndication,
}

/// 服务方式 — online or offline service.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "json::ServiceMode")]
pub enum ServiceMode {
    /// 线上 — online.
    Online,
    /// 线下 — offline.
    Offline,
}

/// 服务渠道 — a channel a service is given through.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "json::ServiceChannel")]
pub enum ServiceChannel {
    /// 电话 — telephone.
    Phone,
    /// 网络 — online.
    Online,
    /// 窗口 — service window.
    Window,
}

/// A recommending department (盟市市场监管局（知识产权局）).
pub struct Department(pub department::Model);

#[Object]
impl Department {
    /// GB/T 2260 division code.
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn kind(&self) -> DepartmentKind {
        self.0.kind.into()
    }
    /// For a separately planned city, the code of the league or city it lies in.
    async fn parent_code(&self) -> Option<&str> {
        self.0.parent_code.as_deref()
    }
}

/// Looks up a department by code in the cached list.
fn department(ctx: &Context<'_>, code: &str) -> Result<Option<Department>, AppError> {
    Ok(state(ctx)?.departments.get(code).cloned().map(Department))
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

/// Facilities for public service (Art 5(3)).
#[derive(SimpleObject)]
pub struct Facilities {
    /// Premises area in square metres.
    premises_area: Option<i32>,
    network_environment: Option<String>,
    hardware: Option<String>,
    software: Option<String>,
}

/// A member of the IP information team (Art 5(1)). Personal data.
pub struct StaffMember(pub StaffEntry);

#[Object]
impl StaffMember {
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn employment(&self) -> Employment {
        self.0.employment.into()
    }
    async fn education(&self) -> Option<&str> {
        self.0.education.as_deref()
    }
    async fn speciality(&self) -> Option<&str> {
        self.0.speciality.as_deref()
    }
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }
    async fn years_of_experience(&self) -> Option<i32> {
        self.0.years_of_experience
    }
    async fn certificates(&self) -> Option<&str> {
        self.0.certificates.as_deref()
    }
}

/// A database or search/analysis tool (Art 5(3)).
pub struct DatabaseTool(pub DatabaseEntry);

#[Object]
impl DatabaseTool {
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn source(&self) -> ToolSource {
        self.0.source.into()
    }
    async fn valid_until(&self) -> Option<NaiveDate> {
        self.0.valid_until
    }
}

/// A service offered (Art 13, 14).
pub struct ServiceItem(pub ServiceItemEntry);

#[Object]
impl ServiceItem {
    /// Basic or special, as the service type decides.
    async fn category(&self) -> ServiceCategory {
        match category_of(self.0.service_type.into()) {
            DomainCategory::Basic => ServiceCategory::Basic,
            DomainCategory::Special => ServiceCategory::Special,
        }
    }
    async fn service_type(&self) -> ServiceType {
        self.0.service_type.into()
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    async fn channels(&self) -> Vec<ServiceChannel> {
        self.0.channels.iter().map(|&c| c.into()).collect()
    }
    /// Whether the service is free or low-cost.
    async fn free_or_low_cost(&self) -> bool {
        self.0.free_or_low_cost
    }
}

/// An institution (服务机构) with its capability profile. Readable by its applicant, its
/// department's recommender and the region bureau.
pub struct Institution(pub institution::Model);

#[Object]
impl Institution {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// Unified social credit code.
    async fn uscc(&self) -> &str {
        &self.0.uscc
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn kind(&self) -> InstitutionKind {
        self.0.kind.into()
    }
    /// The recommending department the institution belongs to.
    async fn department(&self, ctx: &Context<'_>) -> Result<Option<Department>, AppError> {
        department(ctx, &self.0.department_code)
    }
    /// Set when the institution need not file (Art 19).
    async fn exempt_category(&self) -> Option<ExemptCategory> {
        self.0.exempt_category.map(Into::into)
    }
    async fn legal_representative(&self) -> &str {
        &self.0.legal_representative
    }
    /// Premises address.
    async fn address(&self) -> &str {
        &self.0.address
    }
    async fn principal(&self) -> Principal {
        let m = &self.0;
        Principal {
            name: m.principal_name.clone(),
            title: m.principal_title.clone(),
            phone: m.principal_phone.clone(),
            email: m.principal_email.clone(),
        }
    }
    async fn contact(&self) -> Contact {
        let m = &self.0;
        Contact {
            name: m.contact_name.clone(),
            title: m.contact_title.clone(),
            phone: m.contact_phone.clone(),
            mobile: m.contact_mobile.clone(),
            email: m.contact_email.clone(),
        }
    }
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }
    async fn ip_categories(&self) -> Vec<IpCategory> {
        self.0.ip_categories.0.iter().map(|&c| c.into()).collect()
    }
    async fn service_modes(&self) -> Vec<ServiceMode> {
        self.0.service_modes.0.iter().map(|&m| m.into()).collect()
    }
    async fn facilities(&self) -> Facilities {
        let m = &self.0;
        Facilities {
            premises_area: m.premises_area,
            network_environment: m.network_environment.clone(),
            hardware: m.hardware.clone(),
            software: m.software.clone(),
        }
    }
    async fn key_industries(&self) -> &[String] {
        &self.0.key_industries.0
    }
    /// Profile text (机构简介).
    async fn profile(&self) -> Option<&str> {
        self.0.profile.as_deref()
    }
    /// The staff roster. Personal data: never shown publicly.
    async fn staff(&self, ctx: &Context<'_>) -> Result<Vec<StaffMember>, AppError> {
        let rows = loaders(ctx)?.load_one(StaffOf(self.0.id)).await.map_err(load_failed)?;
        Ok(rows.unwrap_or_default().iter().map(|r| StaffMember(staff_entry(r))).collect())
    }
    async fn databases(&self, ctx: &Context<'_>) -> Result<Vec<DatabaseTool>, AppError> {
        let rows = loaders(ctx)?.load_one(DatabasesOf(self.0.id)).await.map_err(load_failed)?;
        Ok(rows.unwrap_or_default().iter().map(|r| DatabaseTool(database_entry(r))).collect())
    }
    async fn service_items(&self, ctx: &Context<'_>) -> Result<Vec<ServiceItem>, AppError> {
        let rows = loaders(ctx)?.load_one(ServiceItemsOf(self.0.id)).await.map_err(load_failed)?;
        Ok(rows.unwrap_or_default().iter().map(|r| ServiceItem(service_item_entry(r))).collect())
    }
    /// Optimistic-concurrency version: send it back with an update.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

fn loaders<'a>(ctx: &Context<'a>) -> Result<&'a Loaders, AppError> {
    ctx.data::<Loaders>().map_err(|_| AppError::Internal(anyhow::anyhow!("loaders missing from the request")))
}

pub(crate) fn load_failed(error: std::sync::Arc<sea_orm::DbErr>) -> AppError {
    AppError::Internal(anyhow::anyhow!("batch load failed: {error}"))
}

/// An entry of the audit trail (DESIGN §9).
pub struct AuditEvent(pub audit_event::Model);

#[Object]
impl AuditEvent {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
    /// The acting user's id; absent for anonymous or system actions.
    async fn actor_user_id(&self) -> Option<ID> {
        self.0.actor_user_id.map(ID::from)
    }
    /// The role acted in, `ANONYMOUS` or `SYSTEM`.
    async fn actor_role(&self) -> &str {
        &self.0.actor_role
    }
    /// Scope path of the entity acted on.
    async fn scope(&self) -> &str {
        &self.0.scope
    }
    /// The mutation performed.
    async fn action(&self) -> &str {
        &self.0.action
    }
    async fn entity_type(&self) -> &str {
        &self.0.entity_type
    }
    async fn entity_id(&self) -> &str {
        &self.0.entity_id
    }
    async fn from_state(&self) -> Option<&str> {
        self.0.from_state.as_deref()
    }
    async fn to_state(&self) -> Option<&str> {
        self.0.to_state.as_deref()
    }
    async fn comment(&self) -> Option<&str> {
        self.0.comment.as_deref()
    }
    /// The id of the HTTP request that caused the event.
    async fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
}

/// 备案类型 — first filing or renewal.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::FilingKind")]
pub enum FilingKind {
    /// 首次备案 — first filing.
    Initial,
    /// 续期 — renewal of an outlet (Art 9).
    Renewal,
}

/// 备案状态 — where a filing stands (DESIGN §5).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::FilingState")]
pub enum FilingState {
    /// 草稿 — being prepared by the applicant.
    Draft,
    /// 已提交 — waiting for the league/city bureau's initial review.
    Submitted,
    /// 已退回 — returned to the applicant for changes.
    Returned,
    /// 已撤回 — withdrawn by the applicant.
    Withdrawn,
    /// 未推荐 — not recommended by the league/city bureau.
    NotRecommended,
    /// 已推荐 — recommended to the region bureau.
    Recommended,
    /// 未通过 — rejected by the region bureau.
    Rejected,
    /// 公示中 — under publicity.
    Publicizing,
    /// 已备案 — filed; the institution is an outlet.
    Filed,
}

/// 附件类型 — what an attachment is (Art 6).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::AttachmentKind")]
pub enum AttachmentKind {
    /// 相关工作制度 — work rules.
    WorkRules,
    /// 备案申请表（签章） — the signed application form.
    ApplicationForm,
    /// 其他材料 — other material.
    Other,
}

/// A person as a form records them.
pub struct Person(pub PersonEntry);

#[Object]
impl Person {
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    async fn mobile(&self) -> Option<&str> {
        self.0.mobile.as_deref()
    }
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
}

/// The application form (备案申请表) a filing holds: the institution's data and profile
/// as filed. Frozen once the filing is submitted.
pub struct FilingForm(pub ApplicationForm);

#[Object]
impl FilingForm {
    async fn uscc(&self) -> &str {
        &self.0.institution.uscc
    }
    async fn name(&self) -> &str {
        &self.0.institution.name
    }
    async fn kind(&self) -> InstitutionKind {
        self.0.institution.kind.into()
    }
    async fn department_code(&self) -> &str {
        &self.0.institution.department_code
    }
    async fn legal_representative(&self) -> &str {
        &self.0.institution.legal_representative
    }
    async fn address(&self) -> &str {
        &self.0.institution.address
    }
    async fn principal(&self) -> Person {
        Person(self.0.institution.principal.clone())
    }
    async fn contact(&self) -> Person {
        Person(self.0.institution.contact.clone())
    }
    async fn website(&self) -> Option<&str> {
        self.0.institution.website.as_deref()
    }
    async fn staff(&self) -> Vec<StaffMember> {
        self.0.staff.iter().cloned().map(StaffMember).collect()
    }
    async fn ip_categories(&self) -> Vec<IpCategory> {
        self.0.ip_categories.iter().map(|&c| c.into()).collect()
    }
    async fn service_modes(&self) -> Vec<ServiceMode> {
        self.0.service_modes.iter().map(|&m| m.into()).collect()
    }
    async fn facilities(&self) -> Facilities {
        let f = &self.0.facilities;
        Facilities {
            premises_area: f.premises_area,
            network_environment: f.network_environment.clone(),
            hardware: f.hardware.clone(),
            software: f.software.clone(),
        }
    }
    async fn databases(&self) -> Vec<DatabaseTool> {
        self.0.databases.iter().cloned().map(DatabaseTool).collect()
    }
    async fn service_items(&self) -> Vec<ServiceItem> {
        self.0.service_items.iter().cloned().map(ServiceItem).collect()
    }
    async fn key_industries(&self) -> &[String] {
        &self.0.key_industries
    }
    async fn profile(&self) -> Option<&str> {
        self.0.profile.as_deref()
    }
}

/// What every stored file shows: name, type, size, hash, and where to fetch it.
#[derive(SimpleObject)]
pub struct StoredFile {
    pub id: ID,
    pub file_name: String,
    /// As judged from the content.
    pub media_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the content.
    pub sha256: String,
    pub created_at: DateTime<Utc>,
    /// Where to download it, with the same bearer token.
    pub url: String,
}

/// A file filed with an application.
#[derive(SimpleObject)]
pub struct Attachment {
    pub kind: AttachmentKind,
    #[graphql(flatten)]
    pub file: StoredFile,
}

impl From<filing_attachment::Model> for Attachment {
    fn from(a: filing_attachment::Model) -> Self {
        let url = format!("/files/{}", a.id);
        Self {
            kind: a.kind.into(),
            file: StoredFile {
                id: a.id.into(),
                file_name: a.file_name,
                media_type: a.media_type,
                size_bytes: a.size_bytes,
                sha256: a.sha256,
                created_at: a.created_at,
                url,
            },
        }
    }
}

/// One step in a filing's history, with its comment or opinion (意见).
pub struct HistoryEntry(pub audit_event::Model);

#[Object]
impl HistoryEntry {
    /// The mutation taken, e.g. `recommendFiling`.
    async fn action(&self) -> &str {
        &self.0.action
    }
    async fn from_state(&self) -> Option<&str> {
        self.0.from_state.as_deref()
    }
    async fn to_state(&self) -> Option<&str> {
        self.0.to_state.as_deref()
    }
    /// The comment, or the recommendation opinion.
    async fn comment(&self) -> Option<&str> {
        self.0.comment.as_deref()
    }
    /// The role acted in.
    async fn actor_role(&self) -> &str {
        &self.0.actor_role
    }
    /// Who handled it (经办人): the acting account's display name.
    async fn handler(&self, ctx: &Context<'_>) -> Result<Option<String>, AppError> {
        let Some(id) = self.0.actor_user_id else { return Ok(None) };
        let user = loaders(ctx)?.load_one(UserOf(id)).await.map_err(load_failed)?;
        Ok(user.map(|u| u.display_name))
    }
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
}

/// An application to become, or stay, an outlet (备案申请).
pub struct Filing(pub filing::Model);

/// The workflow actions whose comments are opinions shown to the applicant.
const OPINION_ACTIONS: [&str; 6] =
    ["returnFiling", "declineFiling", "recommendFiling", "sendBackFiling", "rejectFiling", "withdrawFiling"];

#[Object]
impl Filing {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn kind(&self) -> FilingKind {
        self.0.kind.into()
    }
    async fn state(&self) -> FilingState {
        self.0.state.into()
    }
    async fn institution(&self, ctx: &Context<'_>) -> Result<Institution, AppError> {
        let found =
            loaders(ctx)?.load_one(InstitutionOf(self.0.institution_id)).await.map_err(load_failed)?;
        found.map(Institution).ok_or(AppError::NotFound { entity: "institution" })
    }
    /// The application form as filed.
    async fn form(&self) -> FilingForm {
        FilingForm(self.0.form.clone())
    }
    /// The applicant declared the materials true and lawful (Art 6).
    async fn declaration_accepted(&self) -> bool {
        self.0.declaration_accepted
    }
    async fn attachments(&self, ctx: &Context<'_>) -> Result<Vec<Attachment>, AppError> {
        let rows = loaders(ctx)?.load_one(AttachmentsOf(self.0.id)).await.map_err(load_failed)?;
        Ok(rows.unwrap_or_default().into_iter().map(Attachment::from).collect())
    }
    /// Codes of the eligibility conditions (Art 5) not met yet; empty when the filing may
    /// be submitted. See `eligibilityConditions` for what each means.
    async fn unmet_conditions(&self, ctx: &Context<'_>) -> Result<Vec<String>, AppError> {
        let rows = loaders(ctx)?.load_one(AttachmentsOf(self.0.id)).await.map_err(load_failed)?;
        let kinds: Vec<db::AttachmentKind> = rows.unwrap_or_default().iter().map(|a| a.kind).collect();
        Ok(crate::service::filings::unmet_with(&self.0, &kinds)?.into_iter().map(str::to_owned).collect())
    }
    /// Every step taken, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<HistoryEntry>, AppError> {
        let rows = loaders(ctx)?.load_one(HistoryOf(self.0.id)).await.map_err(load_failed)?;
        Ok(rows.unwrap_or_default().into_iter().map(HistoryEntry).collect())
    }
    /// The reviewers' opinions and comments: returns, refusals, recommendations.
    async fn opinions(&self, ctx: &Context<'_>) -> Result<Vec<HistoryEntry>, AppError> {
        let rows = loaders(ctx)?.load_one(HistoryOf(self.0.id)).await.map_err(load_failed)?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .filter(|e| e.comment.is_some() && OPINION_ACTIONS.contains(&e.action.as_str()))
            .map(HistoryEntry)
            .collect())
    }
    /// Objections raised while it was under publicity.
    async fn objections(&self, ctx: &Context<'_>) -> Result<Vec<Objection>, AppError> {
        let rows = crate::service::publicity::objections_of(&state(ctx)?.db, self.0.id).await?;
        Ok(rows.into_iter().map(Objection).collect())
    }
    /// For a renewal, the outlet renewed; once filed, the outlet it made or renewed.
    async fn outlet_id(&self) -> Option<ID> {
        self.0.outlet_id.map(ID::from)
    }
    /// Optimistic-concurrency version: send it back with every change.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    async fn submitted_at(&self) -> Option<DateTime<Utc>> {
        self.0.submitted_at
    }
}

/// One eligibility condition (Art 5, 6, 13).
#[derive(SimpleObject)]
pub struct EligibilityCondition {
    /// The code `INELIGIBLE` errors and `unmetConditions` report.
    pub code: String,
    /// Where the guideline sets it.
    pub article: String,
    pub description: String,
}

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

/// 公告类型 — what an announcement publishes.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::AnnouncementKind")]
pub enum AnnouncementKind {
    /// 公示 — candidates open to objection.
    Publicity,
    /// 名单 — the outlets filed.
    List,
}

/// 异议状态 — where an objection stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::ObjectionStatus")]
pub enum ObjectionStatus {
    /// 待处理 — not resolved yet.
    Open,
    /// 异议成立 — upheld: the filing is rejected.
    Upheld,
    /// 异议不成立 — dismissed.
    Dismissed,
}

/// 日期类型 — how a day departs from the ordinary week.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::DayKind")]
pub enum DayKind {
    /// 法定节假日 — a rest day.
    Holiday,
    /// 调休上班 — a weekend day that is worked.
    MakeupWorkday,
}

/// A marked day of the working-day calendar.
pub struct CalendarDay(pub calendar_day::Model);

#[Object]
impl CalendarDay {
    async fn date(&self) -> NaiveDate {
        self.0.day
    }
    async fn kind(&self) -> DayKind {
        self.0.kind.into()
    }
    /// The holiday it belongs to, e.g. 春节.
    async fn name(&self) -> &str {
        &self.0.name
    }
}

/// An objection to a filing under publicity (异议).
pub struct Objection(pub objection::Model);

#[Object]
impl Objection {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn content(&self) -> &str {
        &self.0.content
    }
    async fn status(&self) -> ObjectionStatus {
        self.0.status.into()
    }
    async fn resolution(&self) -> Option<&str> {
        self.0.resolution.as_deref()
    }
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }
    async fn resolved_at(&self) -> Option<DateTime<Utc>> {
        self.0.resolved_at
    }
    /// The publicity announcement it was raised under.
    async fn announcement_id(&self) -> ID {
        self.0.announcement_id.into()
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// One institution an announcement names.
#[derive(SimpleObject)]
pub struct AnnouncementEntry {
    pub institution_name: String,
    pub department: Option<Department>,
    /// For a list: the outlet's number.
    pub outlet_number: Option<String>,
}

/// A published announcement: a publicity (公示) or a list (名单). Published announcements
/// never change, and are open to everyone: titles, dates and institution names only.
pub struct Announcement(pub announcement::Model);

#[Object]
impl Announcement {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn kind(&self) -> AnnouncementKind {
        self.0.kind.into()
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// For a list: its year and batch number (第N批).
    async fn year(&self) -> Option<i32> {
        self.0.year
    }
    async fn batch_no(&self) -> Option<i32> {
        self.0.batch_no
    }
    /// For a publicity: its first and last day (China Standard Time), and length.
    async fn start_date(&self) -> Option<NaiveDate> {
        self.0.start_date
    }
    async fn end_date(&self) -> Option<NaiveDate> {
        self.0.end_date
    }
    async fn working_days(&self) -> Option<i32> {
        self.0.working_days
    }
    /// For a list: the publicity it concludes.
    async fn publicity_id(&self) -> Option<ID> {
        self.0.publicity_id.map(ID::from)
    }
    async fn published_at(&self) -> DateTime<Utc> {
        self.0.published_at
    }
    async fn entries(&self, ctx: &Context<'_>) -> Result<Vec<AnnouncementEntry>, AppError> {
        let state = state(ctx)?;
        let entries = crate::service::publicity::entries(&state.db, self.0.id).await?;
        Ok(entries
            .into_iter()
            .map(|e| AnnouncementEntry {
                department: state.departments.get(&e.department_code).cloned().map(Department),
                institution_name: e.institution_name,
                outlet_number: e.outlet_number,
            })
            .collect())
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
        let today = crate::service::usecase::today(state(ctx)?);
        Ok(standing(&self.0, today).into())
    }
    async fn institution(&self, ctx: &Context<'_>) -> Result<Institution, AppError> {
        let found =
            loaders(ctx)?.load_one(InstitutionOf(self.0.institution_id)).await.map_err(load_failed)?;
        found.map(Institution).ok_or(AppError::NotFound { entity: "institution" })
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

/// A count under a name, e.g. an IP category and how many outlets serve it.
#[derive(SimpleObject)]
pub struct NamedCount {
    /// The enum value counted, e.g. `PATENT`, `SEARCH`, `PUBLIC_LIBRARY`.
    pub name: String,
    pub count: u32,
}

/// How a department is covered by valid outlets today.
#[derive(SimpleObject)]
pub struct DepartmentCoverage {
    pub department: Option<Department>,
    pub outlets: u32,
    pub by_kind: Vec<NamedCount>,
    pub by_ip_category: Vec<NamedCount>,
    pub by_service_type: Vec<NamedCount>,
    pub by_service_mode: Vec<NamedCount>,
}

/// Coverage of the region by valid outlets (public counts).
#[derive(SimpleObject)]
pub struct Coverage {
    pub as_of: NaiveDate,
    pub total: u32,
    pub departments: Vec<DepartmentCoverage>,
}
