//! Use cases. Each takes the shared [`AppState`](crate::state::AppState), the
//! [`RequestContext`](crate::state::RequestContext) of the caller and validated domain
//! values, authorizes through the one door, and writes in one transaction together with
//! its audit event.

pub mod accounts;
pub mod annual_reports;
pub mod attachments;
pub mod audit;
pub mod calendar;
pub mod change_reports;
pub mod compliance;
pub mod demo;
pub mod filings;
pub mod institutions;
pub mod lookups;
pub mod outlets;
pub mod page;
pub mod publicity;
pub mod summaries;
pub mod usecase;
