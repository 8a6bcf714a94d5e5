//! Output types several areas share: the enumerations that describe an institution's kind
//! and services (institutions, filings and outlets all show them), and the stored file
//! (filings and annual reports).

use async_graphql::{Enum, ID, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{filing_attachment, json, report_attachment, sea_orm_active_enums as db};

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

/// A stored row that holds a file's columns (both kinds of attachment), shown as a
/// [`StoredFile`].
pub trait FileColumns {
    /// The file the row holds, downloadable at `{download_path}/{id}`.
    fn stored_file(self, download_path: &str) -> StoredFile;
}

/// Implements [`FileColumns`] for rows whose file columns have the same names.
macro_rules! file_columns {
    ($($row:ty),+) => {
        $(
            impl FileColumns for $row {
                fn stored_file(self, download_path: &str) -> StoredFile {
                    StoredFile {
                        id: self.id.into(),
                        url: format!("{download_path}/{}", self.id),
                        file_name: self.file_name,
                        media_type: self.media_type,
                        size_bytes: self.size_bytes,
                        sha256: self.sha256,
                        created_at: self.created_at,
                    }
                }
            }
        )+
    };
}

file_columns!(filing_attachment::Model, report_attachment::Model);
