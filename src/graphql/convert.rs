//! GraphQL enumerations mirror the stored ones (`remote = …`); these conversions take an
//! API value on to the domain's, through the stored value of the same name.

use entity::json;
use entity::sea_orm_active_enums as stored;

use super::{reports, types};
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
    types::InstitutionKind => stored::InstitutionKind => domain::institution::InstitutionKind,
    types::ExemptCategory => stored::ExemptCategory => domain::institution::ExemptCategory,
    types::Employment => stored::Employment => domain::institution::Employment,
    types::ToolSource => stored::ToolSource => domain::institution::ToolSource,
    types::ServiceType => stored::ServiceType => domain::institution::ServiceType,
    types::IpCategory => json::IpCategory => domain::institution::IpCategory,
    types::ServiceMode => json::ServiceMode => domain::institution::ServiceMode,
    types::ServiceChannel => json::ServiceChannel => domain::institution::ServiceChannel,
    types::FilingKind => stored::FilingKind => domain::workflow::filing::FilingKind,
    types::AttachmentKind => stored::AttachmentKind => domain::workflow::filing::AttachmentKind,
    types::DayKind => stored::DayKind => domain::calendar::DayKind,
    types::Role => stored::Role => domain::role::Role,
    types::AnnouncementKind => stored::AnnouncementKind => domain::workflow::announcement::AnnouncementKind,
    reports::ReportState => stored::ReportState => domain::workflow::report::ReportState,
    reports::SummaryState => stored::SummaryState => domain::workflow::summary::SummaryState,
    reports::ChangeState => stored::ChangeState => domain::workflow::change::ChangeState,
}
