//! Query roots, one per area, merged into [`QueryRoot`].

use async_graphql::{Context, ID, InputObject, MergedObject, Object};
use sea_orm::EntityTrait as _;

use crate::error::AppError;
use crate::graphql::connection::{Conn, ListOrder, connection, page_request};
use crate::graphql::inputs::row_id;
use crate::graphql::types::{
    Announcement, AnnouncementKind, AuditEvent, CalendarDay, Department, EligibilityCondition, Filing,
    FilingKind, FilingState, Institution, InstitutionKind, IpCategory, Outlet, OutletStatus, PublishedOutlet,
    ServiceMode, ServiceType, User,
};
use crate::graphql::{request, state};
use crate::identity::Caller;
use crate::service::audit::AuditFilter;
use crate::service::filings::FilingFilter;
use crate::service::institutions::InstitutionFilter;
use crate::service::outlets::OutletFilter;
use crate::service::{accounts, audit, calendar, filings, institutions, outlets, publicity};

/// Every query.
#[derive(MergedObject, Default)]
pub struct QueryRoot(
    AccountQuery,
    ReferenceQuery,
    InstitutionQuery,
    FilingQuery,
    OutletQuery,
    crate::graphql::reports::ReportQuery,
    AuditQuery,
);

/// Accounts.
#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// The calling user.
    async fn me(&self, ctx: &Context<'_>) -> Result<User, AppError> {
        let Caller::User(subject) = &request(ctx)?.caller else {
            return Err(AppError::Unauthenticated);
        };
        let user = entity::user::Entity::find_by_id(subject.user_id)
            .one(&state(ctx)?.db)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        Ok(User(user))
    }

    /// Accounts, for admins.
    #[graphql(complexity = "first.or(last).unwrap_or(20).max(0) as usize * child_complexity")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<Conn<User>, AppError> {
        let page = page_request(ctx, after, before, first, last)?;
        let rows = accounts::list(state(ctx)?, request(ctx)?, page).await?;
        Ok(connection(rows, |u| u.id, User))
    }
}

/// Reference data open to everyone.
#[derive(Default)]
pub struct ReferenceQuery;

#[Object]
impl ReferenceQuery {
    /// The 14 recommending departments (盟市 and the two separately planned cities), in
    /// their published order.
    async fn regions(&self, ctx: &Context<'_>) -> Result<Vec<Department>, AppError> {
        Ok(state(ctx)?.departments.all().iter().cloned().map(Department).collect())
    }

    /// The conditions a filing must meet to be submitted (Art 5, 6, 13), in order.
    async fn eligibility_conditions(&self) -> Vec<EligibilityCondition> {
        crate::domain::eligibility::CONDITIONS
            .iter()
            .map(|c| EligibilityCondition {
                code: c.code.to_owned(),
                article: c.article.to_owned(),
                description: c.description.to_owned(),
            })
            .collect()
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
        Ok(Institution(institutions::get(state(ctx)?, request(ctx)?, id).await?))
    }

    /// Institutions in the caller's scope, by id.
    #[graphql(complexity = "first.or(last).unwrap_or(20).max(0) as usize * child_complexity")]
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
        Ok(connection(rows, |i| i.id, Institution))
    }
}

/// Which audit events to list.
#[derive(InputObject, Default)]
pub struct AuditFilterInput {
    /// e.g. `institution`, `user`.
    pub entity_type: Option<String>,
    pub entity_id: Option<ID>,
    /// The mutation's name, e.g. `updateInstitution`.
    pub action: Option<String>,
}

/// The audit trail.
#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// Audit events in the caller's scope, oldest first.
    #[graphql(complexity = "first.or(last).unwrap_or(20).max(0) as usize * child_complexity")]
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        filter: Option<AuditFilterInput>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<Conn<AuditEvent>, AppError> {
        let page = page_request(ctx, after, before, first, last)?;
        let filter = filter.unwrap_or_default();
        let filter = AuditFilter {
            entity_type: filter.entity_type,
            entity_id: filter.entity_id.map(|id| id.to_string()),
            action: filter.action,
        };
        let rows = audit::list(state(ctx)?, request(ctx)?, filter, page).await?;
        Ok(connection(rows, |e| e.id, AuditEvent))
    }
}

/// Which filings to list.
#[derive(InputObject, Default)]
pub struct FilingFilterInput {
    pub state: Option<FilingState>,
    pub kind: Option<FilingKind>,
    pub department_code: Option<String>,
    pub institution_id: Option<ID>,
    /// Submitted at or after this instant.
    pub submitted_from: Option<chrono::DateTime<chrono::Utc>>,
    /// Submitted before this instant.
    pub submitted_to: Option<chrono::DateTime<chrono::Utc>>,
}

/// Filings.
#[derive(Default)]
pub struct FilingQuery;

#[Object]
impl FilingQuery {
    /// One filing in the caller's scope, with its form, attachments, opinions and history.
    async fn filing(&self, ctx: &Context<'_>, id: ID) -> Result<Filing, AppError> {
        let id = row_id("id", &id)?;
        Ok(Filing(filings::get(state(ctx)?, request(ctx)?, id).await?))
    }

    /// Filings in the caller's scope, oldest first unless `order` says otherwise.
    #[graphql(complexity = "first.or(last).unwrap_or(20).max(0) as usize * child_complexity")]
    #[expect(clippy::too_many_arguments, reason = "Relay paging arguments beside filter and order")]
    async fn filings(
        &self,
        ctx: &Context<'_>,
        filter: Option<FilingFilterInput>,
        order: Option<ListOrder>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<Conn<Filing>, AppError> {
        let mut page = page_request(ctx, after, before, first, last)?;
        page.descending = order == Some(ListOrder::NewestFirst);
        let filter = filter.unwrap_or_default();
        let filter = FilingFilter {
            state: filter.state.map(Into::into),
            kind: filter.kind.map(Into::into),
            department_code: filter.department_code,
            institution_id: filter
                .institution_id
                .as_ref()
                .map(|id| row_id("filter.institutionId", id))
                .transpose()?,
            submitted_from: filter.submitted_from,
            submitted_to: filter.submitted_to,
        };
        let rows = filings::list(state(ctx)?, request(ctx)?, filter, page).await?;
        Ok(connection(rows, |f| f.id, Filing))
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

/// Outlets, publicity and the calendar.
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
    #[graphql(complexity = "first.or(last).unwrap_or(20).max(0) as usize * child_complexity")]
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
        let mut tags = Vec::new();
        tags.extend(filter.ip_category.map(|c| outlets::tag("IP", &entity::json::IpCategory::from(c))));
        tags.extend(
            filter
                .service_type
                .map(|t| outlets::tag("SERVICE", &entity::sea_orm_active_enums::ServiceType::from(t))),
        );
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
    #[graphql(complexity = "first.or(last).unwrap_or(20).max(0) as usize * child_complexity")]
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
        let mut tags = Vec::new();
        tags.extend(filter.ip_category.map(|c| outlets::tag("IP", &entity::json::IpCategory::from(c))));
        tags.extend(
            filter
                .service_type
                .map(|t| outlets::tag("SERVICE", &entity::sea_orm_active_enums::ServiceType::from(t))),
        );
        tags.extend(filter.service_mode.map(|m| outlets::tag("MODE", &entity::json::ServiceMode::from(m))));
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

    /// Published announcements — publicities and lists — newest first. Open to everyone.
    #[graphql(complexity = "first.or(last).unwrap_or(20).max(0) as usize * child_complexity")]
    async fn announcements(
        &self,
        ctx: &Context<'_>,
        kind: Option<AnnouncementKind>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<Conn<Announcement>, AppError> {
        let mut page = page_request(ctx, after, before, first, last)?;
        page.descending = true;
        let rows = publicity::list(state(ctx)?, kind.map(Into::into), page).await?;
        Ok(connection(rows, |a| a.id, Announcement))
    }

    /// One published announcement. Open to everyone.
    async fn announcement(&self, ctx: &Context<'_>, id: ID) -> Result<Announcement, AppError> {
        let id = row_id("id", &id)?;
        Ok(Announcement(publicity::get(state(ctx)?, id).await?))
    }

    /// Coverage of the region by valid outlets today: per department, by institution kind,
    /// IP category, service type and service mode. Open to everyone (counts only).
    async fn coverage(&self, ctx: &Context<'_>) -> Result<crate::graphql::types::Coverage, AppError> {
        use crate::graphql::types::{Coverage, DepartmentCoverage, NamedCount};
        let state = state(ctx)?;
        let rows = outlets::coverage(state).await?;
        let pick = |tags: &std::collections::BTreeMap<String, u32>, prefix: &str| {
            tags.iter()
                .filter_map(|(tag, count)| {
                    tag.strip_prefix(prefix).map(|name| NamedCount { name: name.to_owned(), count: *count })
                })
                .collect::<Vec<_>>()
        };
        let departments: Vec<DepartmentCoverage> = rows
            .iter()
            .map(|row| DepartmentCoverage {
                department: state.departments.get(&row.department_code).cloned().map(Department),
                outlets: row.outlets,
                by_kind: row
                    .by_kind
                    .iter()
                    .map(|(name, count)| NamedCount { name: name.clone(), count: *count })
                    .collect(),
                by_ip_category: pick(&row.by_tag, "IP:"),
                by_service_type: pick(&row.by_tag, "SERVICE:"),
                by_service_mode: pick(&row.by_tag, "MODE:"),
            })
            .collect();
        Ok(Coverage {
            as_of: crate::service::usecase::today(state),
            total: rows.iter().map(|r| r.outlets).sum(),
            departments,
        })
    }

    /// The marked days (holidays, make-up working days) of a year. Open to everyone.
    async fn calendar_days(&self, ctx: &Context<'_>, year: i32) -> Result<Vec<CalendarDay>, AppError> {
        Ok(calendar::days_of(state(ctx)?, year).await?.into_iter().map(CalendarDay).collect())
    }
}
