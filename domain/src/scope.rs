//! Scope paths (DESIGN §3): where a resource lives and how far a user's grant reaches.
//!
//! A resource's scope is computed from its current data: `/nm/region` for region-wide
//! records, `/nm/150100/dept` for a department's own records, `/nm/150100/inst/42` for an
//! institution's. A grant is a casbin `keyMatch` pattern over those paths: `/nm/*` for the
//! region bureau, `/nm/150100/*` for a department, `/nm/150100/inst/42` for one institution.
//! Every path is ASCII (department codes and ids), which `keyMatch`'s byte slicing needs.

use std::fmt;

/// The scope of one resource.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ScopePath(String);

impl ScopePath {
    /// Region-wide records, such as reviewer and admin accounts.
    pub fn region() -> Self {
        Self("/nm/region".to_owned())
    }

    /// Records that belong to a recommending department itself.
    pub fn department(code: &str) -> Self {
        Self(format!("/nm/{code}/dept"))
    }

    /// Records that belong to an institution.
    pub fn institution(department_code: &str, institution_id: i64) -> Self {
        Self(format!("/nm/{department_code}/inst/{institution_id}"))
    }
}

impl AsRef<str> for ScopePath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ScopePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How far a user's role reaches. The role decides which kind of grant a user holds:
/// applicants an institution, recommenders a department, reviewers and admins the region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grant {
    /// The whole autonomous region.
    Region,
    /// One recommending department and everything in it.
    Department { code: String },
    /// One institution.
    Institution { department_code: String, id: i64 },
}

impl Grant {
    /// The casbin pattern this grant matches resource scopes with.
    pub fn pattern(&self) -> String {
        match self {
            Self::Region => "/nm/*".to_owned(),
            Self::Department { code } => format!("/nm/{code}/*"),
            Self::Institution { department_code, id } => ScopePath::institution(department_code, *id).0,
        }
    }

    /// A scope inside this grant, for checks that concern the grant's own area (a list
    /// query, say) rather than one resource.
    pub fn home(&self) -> ScopePath {
        match self {
            Self::Region => ScopePath::region(),
            Self::Department { code } => ScopePath::department(code),
            Self::Institution { department_code, id } => ScopePath::institution(department_code, *id),
        }
    }

    /// Whether `scope` lies inside this grant; the same prefix rule as casbin's `keyMatch`.
    pub fn covers(&self, scope: &ScopePath) -> bool {
        let pattern = self.pattern();
        match pattern.strip_suffix('*') {
            Some(prefix) => scope.0.starts_with(prefix),
            None => scope.0 == pattern,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn department_grant_covers_its_institutions_and_itself_only() {
        let grant = Grant::Department { code: "150100".into() };
        assert!(grant.covers(&ScopePath::institution("150100", 7)));
        assert!(grant.covers(&ScopePath::department("150100")));
        assert!(!grant.covers(&ScopePath::institution("150200", 7)));
        assert!(!grant.covers(&ScopePath::department("150781")));
        assert!(!grant.covers(&ScopePath::region()));
    }

    #[test]
    fn institution_grant_covers_exactly_its_institution() {
        let grant = Grant::Institution { department_code: "150100".into(), id: 4 };
        assert!(grant.covers(&ScopePath::institution("150100", 4)));
        assert!(!grant.covers(&ScopePath::institution("150100", 42)));
        assert!(!grant.covers(&ScopePath::department("150100")));
    }

    #[test]
    fn region_grant_covers_everything() {
        for scope in
            [ScopePath::region(), ScopePath::department("152501"), ScopePath::institution("150300", 1)]
        {
            assert!(Grant::Region.covers(&scope));
        }
    }

    #[test]
    fn home_lies_inside_the_grant() {
        for grant in [
            Grant::Region,
            Grant::Department { code: "150100".into() },
            Grant::Institution { department_code: "150100".into(), id: 9 },
        ] {
            assert!(grant.covers(&grant.home()), "{grant:?}");
        }
    }
}
