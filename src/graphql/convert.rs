//! GraphQL enumerations mirror the stored ones (`remote = …`); these conversions take an
//! API value on to the domain's, through the stored value of the same name.

use entity::sea_orm_active_enums as stored;

use super::{accounts, filings, institutions, publicity, reference, reports, shared};
use crate::domain;

macro_rules! through_stored {
    ($($api:ty => $stored:ty => $domain:ty),+ $(,)?) => {
        $(
            impl From<$api> for $domain {
                fn from(value: $api) -> Self {
                    <$stored>::from(value).into()
                }
            }

            impl From<$domain> for $api {
                fn from(value: $domain) -> Self {
                    <$stored>::from(value).into()
                }
            }
        )+
    };
}

through_stored! {
    shared::InstitutionKind => stored::InstitutionKind => domain::institution::InstitutionKind,
    institutions::ExemptCategory => stored::ExemptCategory => domain::institution::ExemptCategory,
    institutions::Employment => stored::Employment => domain::institution::Employment,
    institutions::ToolSource => stored::ToolSource => domain::institution::ToolSource,
    shared::ServiceType => stored::ServiceType => domain::institution::ServiceType,
    filings::FilingKind => stored::FilingKind => domain::workflow::filing::FilingKind,
    filings::AttachmentKind => stored::AttachmentKind => domain::workflow::filing::AttachmentKind,
    reference::DayKind => stored::DayKind => domain::calendar::DayKind,
    accounts::Role => stored::Role => domain::role::Role,
    publicity::AnnouncementKind => stored::AnnouncementKind => domain::workflow::announcement::AnnouncementKind,
    reports::ReportState => stored::ReportState => domain::workflow::report::ReportState,
    reports::SummaryState => stored::SummaryState => domain::workflow::summary::SummaryState,
    reports::ChangeState => stored::ChangeState => domain::workflow::change::ChangeState,
}
