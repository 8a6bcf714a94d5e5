//! Enumerations stored as text columns. The stored strings are the GraphQL names, so a
//! row reads the same in SQL as in the API.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

text_enum! {
    /// A user's role (DESIGN §3).
    #[derive(Hash)]
    #[sea_orm(db_type = "String(StringLen::N(16))")]
    pub enum Role {
        Applicant,
        Recommender,
        Reviewer,
        Admin,
    }
}

text_enum! {
    /// The kind of a recommending department (DESIGN §2).
    #[sea_orm(db_type = "String(StringLen::N(16))")]
    pub enum DepartmentKind {
        PrefectureCity,
        League,
        SeparatelyPlannedCity,
    }
}

text_enum! {
    /// The kind of an institution (Art 2).
    #[sea_orm(db_type = "String(StringLen::N(32))")]
    pub enum InstitutionKind {
        University,
        ResearchInstitute,
        ScitechInformation,
        IndustryOrganization,
        ProductivityPromotion,
        PublicLibrary,
        Museum,
        ServiceAgency,
    }
}

text_enum! {
    /// Why an institution need not file (Art 19).
    #[sea_orm(db_type = "String(StringLen::N(40))")]
    pub enum ExemptCategory {
        BureauSubsidiary,
        BackboneNode,
        NationalProtectionCenter,
        Tisc,
        UniversityNationalInfoCenter,
    }
}

text_enum! {
    /// Whether a staff member works full or part time (Art 5(1)).
    #[sea_orm(db_type = "String(StringLen::N(16))")]
    pub enum Employment {
        FullTime,
        PartTime,
    }
}

text_enum! {
    /// How an institution came by a database or tool (Art 5(3)).
    #[sea_orm(db_type = "String(StringLen::N(16))")]
    pub enum ToolSource {
        SelfBuilt,
        Purchased,
        Leased,
    }
}

text_enum! {
    /// A service an outlet offers: three basic (Art 13) and two special (Art 14).
    #[derive(Hash)]
    #[sea_orm(db_type = "String(StringLen::N(24))")]
    pub enum ServiceType {
        Consultation,
        Search,
        Training,
        IndustryAnalysis,
        SmeService,
    }
}

text_enum! {
    /// Whether a filing applies for the first time or renews an outlet (Art 9).
    #[derive(Hash)]
    #[sea_orm(db_type = "String(StringLen::N(16))")]
    pub enum FilingKind {
        Initial,
        Renewal,
    }
}

text_enum! {
    /// Where a filing stands in the workflow (DESIGN §5).
    #[derive(Hash)]
    #[sea_orm(db_type = "String(StringLen::N(24))")]
    pub enum FilingState {
        Draft,
        Submitted,
        Returned,
        Withdrawn,
        NotRecommended,
        Recommended,
        Rejected,
        Publicizing,
        Filed,
    }
}

text_enum! {
    /// What an attachment of a filing is (Art 6).
    #[derive(Hash)]
    #[sea_orm(db_type = "String(StringLen::N(24))")]
    pub enum AttachmentKind {
        /// 相关工作制度.
        WorkRules,
        /// The signed application form (备案申请表).
        ApplicationForm,
        Other,
    }
}

text_enum! {
    /// How a calendar day departs from the Monday-to-Friday week.
    #[derive(Hash)]
    #[sea_orm(db_type = "String(StringLen::N(16))")]
    pub enum DayKind {
        /// A rest day, weekend or not (法定节假日).
        Holiday,
        /// A Saturday or Sunday that is worked (调休上班).
        MakeupWorkday,
    }
}

text_enum! {
    /// What an announcement publishes.
    #[derive(Hash)]
    #[sea_orm(db_type = "String(StringLen::N(16))")]
    pub enum AnnouncementKind {
        /// 公示: candidates open to objection for a period (Art 7(3)).
        Publicity,
        /// 名单: the outlets filed (Art 7(3), 8).
        List,
    }
}

text_enum! {
    /// Where an objection stands.
    #[derive(Hash)]
    #[sea_orm(db_type = "String(StringLen::N(16))")]
    pub enum ObjectionStatus {
        Open,
        Upheld,
        Dismissed,
    }
}

text_enum! {
    /// The stored status of an outlet. `EXPIRED` is not stored: it follows from the dates.
    #[derive(Hash)]
    #[sea_orm(db_type = "String(StringLen::N(16))")]
    pub enum OutletStatus {
        Active,
        /// 终止备案 (Art 18).
        Terminated,
        /// 撤销备案 (Art 18).
        Revoked,
    }
}

text_enum! {
    /// Where an annual report stands (Art 17).
    #[derive(Hash)]
    #[sea_orm(db_type = "String(StringLen::N(16))")]
    pub enum ReportState {
        Draft,
        Submitted,
        Returned,
        /// In a department summary awaiting the region bureau.
        Forwarded,
        Accepted,
    }
}

text_enum! {
    /// Where a department summary stands.
    #[derive(Hash)]
    #[sea_orm(db_type = "String(StringLen::N(16))")]
    pub enum SummaryState {
        Forwarded,
        Accepted,
        Returned,
    }
}

text_enum! {
    /// Where a change report stands (Art 10).
    #[derive(Hash)]
    #[sea_orm(db_type = "String(StringLen::N(16))")]
    pub enum ChangeState {
        Submitted,
        Forwarded,
        Returned,
        Accepted,
        Rejected,
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Debug;

    use sea_orm::{ActiveEnum, Iterable};
    use serde::Serialize;

    use super::*;

    /// Asserts that every variant of `E` is stored as the string it is serialized as.
    fn assert_stored_as_serialized<E>()
    where
        E: ActiveEnum<Value = String> + Iterable + Serialize + Debug,
    {
        for variant in E::iter() {
            let serialized = serde_json::to_value(&variant).expect("an enum serializes");
            assert_eq!(Some(variant.to_value().as_str()), serialized.as_str(), "{variant:?}");
        }
    }

    #[test]
    fn every_variant_is_stored_as_its_graphql_name() {
        assert_stored_as_serialized::<Role>();
        assert_stored_as_serialized::<DepartmentKind>();
        assert_stored_as_serialized::<InstitutionKind>();
        assert_stored_as_serialized::<ExemptCategory>();
        assert_stored_as_serialized::<Employment>();
        assert_stored_as_serialized::<ToolSource>();
        assert_stored_as_serialized::<ServiceType>();
        assert_stored_as_serialized::<FilingKind>();
        assert_stored_as_serialized::<FilingState>();
        assert_stored_as_serialized::<AttachmentKind>();
        assert_stored_as_serialized::<DayKind>();
        assert_stored_as_serialized::<AnnouncementKind>();
        assert_stored_as_serialized::<ObjectionStatus>();
        assert_stored_as_serialized::<OutletStatus>();
        assert_stored_as_serialized::<ReportState>();
        assert_stored_as_serialized::<SummaryState>();
        assert_stored_as_serialized::<ChangeState>();
    }
}
