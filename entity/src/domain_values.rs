//! Each stored enumeration converts both ways to the domain's value of the same name,
//! variant by variant. The domain crate knows nothing of storage; these impls live here,
//! beside the stored form, and a test in the service crate checks the wire names agree.

use crate::sea_orm_active_enums as stored;
use domain::calendar::DayKind;
use domain::institution::{Employment, ExemptCategory, InstitutionKind, ServiceType, ToolSource};
use domain::role::Role;
use domain::workflow::announcement::AnnouncementKind;
use domain::workflow::change::ChangeState;
use domain::workflow::filing::{AttachmentKind, FilingKind, FilingState};
use domain::workflow::objection::ObjectionStatus;
use domain::workflow::outlet::OutletStatus;
use domain::workflow::report::ReportState;
use domain::workflow::summary::SummaryState;

/// `From` both ways between a stored enumeration and the domain's, variant by variant.
macro_rules! same_variants {
    ($($stored:ty => $domain:ident { $($variant:ident),+ $(,)? })+) => {
        $(
            impl From<$stored> for $domain {
                fn from(value: $stored) -> Self {
                    match value {
                        $(<$stored>::$variant => Self::$variant,)+
                    }
                }
            }

            impl From<$domain> for $stored {
                fn from(value: $domain) -> Self {
                    match value {
                        $($domain::$variant => Self::$variant,)+
                    }
                }
            }
        )+
    };
}

same_variants! {
    stored::Role => Role { Applicant, Recommender, Reviewer, Admin }
    stored::InstitutionKind => InstitutionKind {
        University, ResearchInstitute, ScitechInformation, IndustryOrganization, ProductivityPromotion,
        PublicLibrary, Museum, ServiceAgency,
    }
    stored::ExemptCategory => ExemptCategory {
        BureauSubsidiary, BackboneNode, NationalProtectionCenter, Tisc, UniversityNationalInfoCenter,
    }
    stored::Employment => Employment { FullTime, PartTime }
    stored::ToolSource => ToolSource { SelfBuilt, Purchased, Leased }
    stored::ServiceType => ServiceType { Consultation, Search, Training, IndustryAnalysis, SmeService }
    stored::FilingKind => FilingKind { Initial, Renewal }
    stored::FilingState => FilingState {
        Draft, Submitted, Returned, Withdrawn, NotRecommended, Recommended, Rejected, Publicizing, Filed,
    }
    stored::AttachmentKind => AttachmentKind { WorkRules, ApplicationForm, Other }
    stored::DayKind => DayKind { Holiday, MakeupWorkday }
    stored::AnnouncementKind => AnnouncementKind { Publicity, List }
    stored::ObjectionStatus => ObjectionStatus { Open, Upheld, Dismissed }
    stored::OutletStatus => OutletStatus { Active, Terminated, Revoked }
    stored::ReportState => ReportState { Draft, Submitted, Returned, Forwarded, Accepted }
    stored::SummaryState => SummaryState { Forwarded, Accepted, Returned }
    stored::ChangeState => ChangeState { Submitted, Forwarded, Returned, Accepted, Rejected }
}
