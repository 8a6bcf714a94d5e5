//! The capability profile of an institution (Art 5, 13, 14) as shown: staff, facilities,
//! databases and service items. Filings show the same parts as filed.

use async_graphql::{Enum, Object, SimpleObject};
use chrono::NaiveDate;
use entity::json::{self, DatabaseEntry, ServiceItemEntry, StaffEntry};
use entity::sea_orm_active_enums as db;

use crate::domain::institution::{ServiceCategory as DomainCategory, category_of};
use crate::graphql::shared::ServiceType;

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

/// 服务类别 — basic (Art 13) or special (Art 14).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceCategory {
    /// 基础服务 — basic service.
    Basic,
    /// 特色服务 — special service.
    Special,
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

/// Facilities for public service (Art 5(3)).
#[derive(SimpleObject)]
pub struct Facilities {
    /// Premises area in square metres.
    pub premises_area: Option<i32>,
    pub network_environment: Option<String>,
    pub hardware: Option<String>,
    pub software: Option<String>,
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
        match category_of(self.0.service_type) {
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
