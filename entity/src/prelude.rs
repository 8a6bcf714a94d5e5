//! The entities under short names.

pub use super::announcement::Entity as Announcement;
pub use super::announcement_filing::Entity as AnnouncementFiling;
pub use super::annual_report::Entity as AnnualReport;
pub use super::audit_event::Entity as AuditEvent;
pub use super::calendar_day::Entity as CalendarDay;
pub use super::change_report::Entity as ChangeReport;
pub use super::counter::Entity as Counter;
pub use super::department::Entity as Department;
pub use super::department_summary::Entity as DepartmentSummary;
pub use super::filing::Entity as Filing;
pub use super::filing_attachment::Entity as FilingAttachment;
pub use super::institution::Entity as Institution;
pub use super::institution_ban::Entity as InstitutionBan;
pub use super::institution_database::Entity as InstitutionDatabase;
pub use super::institution_revision::Entity as InstitutionRevision;
pub use super::institution_service_item::Entity as InstitutionServiceItem;
pub use super::institution_staff::Entity as InstitutionStaff;
pub use super::objection::Entity as Objection;
pub use super::outlet::Entity as Outlet;
pub use super::outlet_tag::Entity as OutletTag;
pub use super::report_attachment::Entity as ReportAttachment;
pub use super::user::Entity as User;
