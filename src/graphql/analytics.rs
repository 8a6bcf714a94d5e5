//! Counts: coverage of the region by valid outlets, and compliance with annual reporting.

use std::collections::BTreeMap;

use async_graphql::{ComplexObject, Context, Object, SimpleObject};
use chrono::NaiveDate;

use crate::error::AppError;
use crate::graphql::limits::ANALYTICS_COST;
use crate::graphql::outlets::Outlet;
use crate::graphql::reference::Department;
use crate::graphql::{inputs, request, state};
use crate::service::annual_reports::due_date;
use crate::service::{compliance, outlets, usecase};

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

/// Coverage of the region, open to everyone.
#[derive(Default)]
pub struct CoverageQuery;

#[Object]
impl CoverageQuery {
    /// Coverage of the region by valid outlets today: per department, by institution kind,
    /// IP category, service type and service mode. Open to everyone (counts only).
    #[graphql(complexity = "ANALYTICS_COST + child_complexity")]
    async fn coverage(&self, ctx: &Context<'_>) -> Result<Coverage, AppError> {
        let state = state(ctx)?;
        let _turn = state.heavy_permit().await?;
        let rows = outlets::coverage(state).await?;
        let pick = |tags: &BTreeMap<String, u32>, prefix: &str| {
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
            as_of: usecase::today(state),
            total: rows.iter().map(|r| r.outlets).sum(),
            departments,
        })
    }
}

/// One department's reporting on a year.
#[derive(SimpleObject)]
pub struct DepartmentCompliance {
    pub department: Option<Department>,
    /// Outlets active at any time in the year.
    pub owed: u32,
    pub submitted_on_time: u32,
    pub submitted_late: u32,
    /// Owed and never submitted.
    pub missing: u32,
}

/// Reporting compliance on a year.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct AnnualReportCompliance {
    pub year: i32,
    pub due_on: NaiveDate,
    pub departments: Vec<DepartmentCompliance>,
}

#[ComplexObject]
impl AnnualReportCompliance {
    /// Outlets past the deadline with no report submitted.
    // Read only when a client selects it: the counts above never load an outlet.
    async fn overdue(&self, ctx: &Context<'_>) -> Result<Vec<Outlet>, AppError> {
        let overdue = compliance::overdue(state(ctx)?, request(ctx)?, self.year).await?;
        Ok(overdue.into_iter().map(Outlet).collect())
    }
}

/// Compliance with annual reporting, for the bureaus.
#[derive(Default)]
pub struct ComplianceQuery;

#[Object]
impl ComplianceQuery {
    /// Who has reported on `year`: owed, on time, late and missing per department, and the
    /// overdue outlets. A recommender sees its department, a reviewer all.
    #[graphql(complexity = "ANALYTICS_COST + child_complexity")]
    async fn annual_report_compliance(
        &self,
        ctx: &Context<'_>,
        year: i32,
    ) -> Result<AnnualReportCompliance, AppError> {
        let state = state(ctx)?;
        let year = inputs::year("year", year)?;
        let _turn = state.heavy_permit().await?;
        let rows = compliance::of_year(state, request(ctx)?, year).await?;
        Ok(AnnualReportCompliance {
            year,
            due_on: due_date(year),
            departments: rows
                .iter()
                .map(|r| DepartmentCompliance {
                    department: state.departments.get(&r.department_code).cloned().map(Department),
                    owed: r.owed,
                    submitted_on_time: r.on_time,
                    submitted_late: r.late,
                    missing: r.missing,
                })
                .collect(),
        })
    }
}
