//! Enumerations stored as text columns. The stored strings are the GraphQL names, so a
//! row reads the same in SQL as in the API.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A user's role (DESIGN §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Role {
    #[sea_orm(string_value = "APPLICANT")]
    Applicant,
    #[sea_orm(string_value = "RECOMMENDER")]
    Recommender,
    #[sea_orm(string_value = "REVIEWER")]
    Reviewer,
    #[sea_orm(string_value = "ADMIN")]
    Admin,
}

/// The kind of a recommending department (DESIGN §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum DepartmentKind {
    #[sea_orm(string_value = "PREFECTURE_CITY")]
    PrefectureCity,
    #[sea_orm(string_value = "LEAGUE")]
    League,
    #[sea_orm(string_value = "SEPARATELY_PLANNED_CITY")]
    SeparatelyPlannedCity,
}

/// The kind of an institution (Art 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum InstitutionKind {
    #[sea_orm(string_value = "UNIVERSITY")]
    University,
    #[sea_orm(string_value = "RESEARCH_INSTITUTE")]
    ResearchInstitute,
    #[sea_orm(string_value = "SCITECH_INFORMATION")]
    ScitechInformation,
    #[sea_orm(string_value = "INDUSTRY_ORGANIZATION")]
    IndustryOrganization,
    #[sea_orm(string_value = "PRODUCTIVITY_PROMOTION")]
    ProductivityPromotion,
    #[sea_orm(string_value = "PUBLIC_LIBRARY")]
    PublicLibrary,
    #[sea_orm(string_value = "MUSEUM")]
    Museum,
    #[sea_orm(string_value = "SERVICE_AGENCY")]
    ServiceAgency,
}

/// Why an institution need not file (Art 19).
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(40))")]
pub enum ExemptCategory {
    #[sea_orm(string_value = "BUREAU_SUBSIDIARY")]
    BureauSubsidiary,
    #[sea_orm(string_value = "BACKBONE_NODE")]
    BackboneNode,
    #[sea_orm(string_value = "NATIONAL_PROTECTION_CENTER")]
    NationalProtectionCenter,
    #[sea_orm(string_value = "TISC")]
    Tisc,
    #[sea_orm(string_value = "UNIVERSITY_NATIONAL_INFO_CENTER")]
    UniversityNationalInfoCenter,
}

/// Whether a staff member works full or part time (Art 5(1)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Employment {
    #[sea_orm(string_value = "FULL_TIME")]
    FullTime,
    #[sea_orm(string_value = "PART_TIME")]
    PartTime,
}

/// How an institution came by a database or tool (Art 5(3)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ToolSource {
    #[sea_orm(string_value = "SELF_BUILT")]
    SelfBuilt,
    #[sea_orm(string_value = "PURCHASED")]
    Purchased,
    #[sea_orm(string_value = "LEASED")]
    Leased,
}

/// A service an outlet offers: three basic (Art 13) and two special (Art 14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
pub enum ServiceType {
    #[sea_orm(string_value = "CONSULTATION")]
    Consultation,
    #[sea_orm(string_value = "SEARCH")]
    Search,
    #[sea_orm(string_value = "TRAINING")]
    Training,
    #[sea_orm(string_value = "INDUSTRY_ANALYSIS")]
    IndustryAnalysis,
    #[sea_orm(string_value = "SME_SERVICE")]
    SmeService,
}

/// Whether a filing applies for the first time or renews an outlet (Art 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum FilingKind {
    #[sea_orm(string_value = "INITIAL")]
    Initial,
    #[sea_orm(string_value = "RENEWAL")]
    Renewal,
}

/// Where a filing stands in the workflow (DESIGN §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
pub enum FilingState {
    #[sea_orm(string_value = "DRAFT")]
    Draft,
    #[sea_orm(string_value = "SUBMITTED")]
    Submitted,
    #[sea_orm(string_value = "RETURNED")]
    Returned,
    #[sea_orm(string_value = "WITHDRAWN")]
    Withdrawn,
    #[sea_orm(string_value = "NOT_RECOMMENDED")]
    NotRecommended,
    #[sea_orm(string_value = "RECOMMENDED")]
    Recommended,
    #[sea_orm(string_value = "REJECTED")]
    Rejected,
    #[sea_orm(string_value = "PUBLICIZING")]
    Publicizing,
    #[sea_orm(string_value = "FILED")]
    Filed,
}

/// What an attachment of a filing is (Art 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
pub enum AttachmentKind {
    /// 相关工作制度.
    #[sea_orm(string_value = "WORK_RULES")]
    WorkRules,
    /// The signed application form (备案申请表).
    #[sea_orm(string_value = "APPLICATION_FORM")]
    ApplicationForm,
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// How a calendar day departs from the Monday-to-Friday week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum DayKind {
    /// A rest day, weekend or not (法定节假日).
    #[sea_orm(string_value = "HOLIDAY")]
    Holiday,
    /// A Saturday or Sunday that is worked (调休上班).
    #[sea_orm(string_value = "MAKEUP_WORKDAY")]
    MakeupWorkday,
}

/// What an announcement publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum AnnouncementKind {
    /// 公示: candidates open to objection for a period (Art 7(3)).
    #[sea_orm(string_value = "PUBLICITY")]
    Publicity,
    /// 名单: the outlets filed (Art 7(3), 8).
    #[sea_orm(string_value = "LIST")]
    List,
}

/// Where an objection stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ObjectionStatus {
    #[sea_orm(string_value = "OPEN")]
    Open,
    #[sea_orm(string_value = "UPHELD")]
    Upheld,
    #[sea_orm(string_value = "DISMISSED")]
    Dismissed,
}

/// The stored status of an outlet. `EXPIRED` is not stored: it follows from the dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum OutletStatus {
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    /// 终止备案 (Art 18).
    #[sea_orm(string_value = "TERMINATED")]
    Terminated,
    /// 撤销备案 (Art 18).
    #[sea_orm(string_value = "REVOKED")]
    Revoked,
}

/// Where an annual report stands (Art 17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ReportState {
    #[sea_orm(string_value = "DRAFT")]
    Draft,
    #[sea_orm(string_value = "SUBMITTED")]
    Submitted,
    #[sea_orm(string_value = "RETURNED")]
    Returned,
    /// In a department summary awaiting the region bureau.
    #[sea_orm(string_value = "FORWARDED")]
    Forwarded,
    #[sea_orm(string_value = "ACCEPTED")]
    Accepted,
}

/// Where a department summary stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum SummaryState {
    #[sea_orm(string_value = "FORWARDED")]
    Forwarded,
    #[sea_orm(string_value = "ACCEPTED")]
    Accepted,
    #[sea_orm(string_value = "RETURNED")]
    Returned,
}

/// Where a change report stands (Art 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ChangeState {
    #[sea_orm(string_value = "SUBMITTED")]
    Submitted,
    #[sea_orm(string_value = "FORWARDED")]
    Forwarded,
    #[sea_orm(string_value = "RETURNED")]
    Returned,
    #[sea_orm(string_value = "ACCEPTED")]
    Accepted,
    #[sea_orm(string_value = "REJECTED")]
    Rejected,
}
