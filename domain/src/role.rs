//! The roles of DESIGN §3: who a signed-in user acts as.

named! {
    /// A user's role. Each account has one (separation of duties).
    pub enum Role {
        /// 申请机构: bound to one institution.
        Applicant = "APPLICANT",
        /// 盟市推荐部门: bound to one recommending department.
        Recommender = "RECOMMENDER",
        /// 自治区: reviews, files and publishes for the whole region.
        Reviewer = "REVIEWER",
        /// Keeps accounts; no workflow power.
        Admin = "ADMIN",
    }
}

impl Role {
    /// The role as the policy file spells it: lower case.
    pub fn policy_name(self) -> &'static str {
        match self {
            Self::Applicant => "applicant",
            Self::Recommender => "recommender",
            Self::Reviewer => "reviewer",
            Self::Admin => "admin",
        }
    }
}
