//! An institution's registration data and capability profile (DESIGN §4), as validated
//! values ready to store.

use chrono::NaiveDate;

use super::text::{Email, Line, Name, Phone, Prose, WebAddress};
use super::uscc::Uscc;

named! {
    /// The kind of an institution (Art 2).
    pub enum InstitutionKind {
        /// 高校.
        University = "UNIVERSITY",
        /// 科研机构.
        ResearchInstitute = "RESEARCH_INSTITUTE",
        /// 科技情报机构.
        ScitechInformation = "SCITECH_INFORMATION",
        /// 行业组织.
        IndustryOrganization = "INDUSTRY_ORGANIZATION",
        /// 生产力促进机构.
        ProductivityPromotion = "PRODUCTIVITY_PROMOTION",
        /// 公共图书馆.
        PublicLibrary = "PUBLIC_LIBRARY",
        /// 博物馆.
        Museum = "MUSEUM",
        /// 相关服务机构.
        ServiceAgency = "SERVICE_AGENCY",
    }
}

named! {
    /// Why an institution need not file (Art 19).
    pub enum ExemptCategory {
        BureauSubsidiary = "BUREAU_SUBSIDIARY",
        BackboneNode = "BACKBONE_NODE",
        NationalProtectionCenter = "NATIONAL_PROTECTION_CENTER",
        Tisc = "TISC",
        UniversityNationalInfoCenter = "UNIVERSITY_NATIONAL_INFO_CENTER",
    }
}

named! {
    /// Whether a staff member works full or part time (Art 5(1)).
    pub enum Employment {
        FullTime = "FULL_TIME",
        PartTime = "PART_TIME",
    }
}

named! {
    /// Where a database or tool comes from (Art 5(3)).
    pub enum ToolSource {
        SelfBuilt = "SELF_BUILT",
        Purchased = "PURCHASED",
        Leased = "LEASED",
    }
}

named! {
    /// A service an outlet offers: the three basic ones of Art 13, the special ones of Art 14.
    pub enum ServiceType {
        Consultation = "CONSULTATION",
        Search = "SEARCH",
        Training = "TRAINING",
        IndustryAnalysis = "INDUSTRY_ANALYSIS",
        SmeService = "SME_SERVICE",
    }
}

named! {
    /// An IP category served (Art 5(2)).
    pub enum IpCategory {
        Patent = "PATENT",
        Trademark = "TRADEMARK",
        GeographicalIndication = "GEOGRAPHICAL_INDICATION",
    }
}

named! {
    /// How services are delivered (Art 5(2)).
    pub enum ServiceMode {
        Online = "ONLINE",
        Offline = "OFFLINE",
    }
}

named! {
    /// A channel a service is reached through.
    pub enum ServiceChannel {
        Phone = "PHONE",
        Online = "ONLINE",
        Window = "WINDOW",
    }
}

/// Whether a service is one of the basic services every outlet provides (Art 13) or a
/// special one it is encouraged to (Art 14).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceCategory {
    Basic,
    Special,
}

/// The category a service type belongs to.
pub fn category_of(service: ServiceType) -> ServiceCategory {
    match service {
        ServiceType::Consultation | ServiceType::Search | ServiceType::Training => ServiceCategory::Basic,
        ServiceType::IndustryAnalysis | ServiceType::SmeService => ServiceCategory::Special,
    }
}

/// A person to reach at the institution: its principal or its contact.
#[derive(Debug, Clone)]
pub struct Person {
    pub name: Name,
    pub title: Option<Name>,
    pub phone: Option<Phone>,
    pub mobile: Option<Phone>,
    pub email: Option<Email>,
}

/// One member of the IP information team (Art 5(1)).
#[derive(Debug, Clone)]
pub struct StaffMember {
    pub name: Name,
    pub employment: Employment,
    pub education: Option<Name>,
    pub speciality: Option<Name>,
    pub title: Option<Name>,
    pub years_of_experience: Option<u16>,
    pub certificates: Option<Line>,
}

/// A database or search/analysis tool (Art 5(3)).
#[derive(Debug, Clone)]
pub struct DatabaseTool {
    pub name: Name,
    pub source: ToolSource,
    pub valid_until: Option<NaiveDate>,
}

/// A service the institution offers (Art 13, 14).
#[derive(Debug, Clone)]
pub struct ServiceItem {
    pub service_type: ServiceType,
    pub description: Prose,
    pub channels: Vec<ServiceChannel>,
    pub free_or_low_cost: bool,
}

/// Facilities for public service (Art 5(3)).
#[derive(Debug, Clone, Default)]
pub struct Facilities {
    pub premises_area: Option<u32>,
    pub network_environment: Option<Prose>,
    pub hardware: Option<Prose>,
    pub software: Option<Prose>,
}

/// The capability profile that a filing snapshots. Each part is optional in a change:
/// `None` keeps what is stored, `Some` replaces it whole.
#[derive(Debug, Clone, Default)]
pub struct ProfileChanges {
    pub staff: Option<Vec<StaffMember>>,
    pub ip_categories: Option<Vec<IpCategory>>,
    pub service_modes: Option<Vec<ServiceMode>>,
    pub facilities: Option<Facilities>,
    pub databases: Option<Vec<DatabaseTool>>,
    pub service_items: Option<Vec<ServiceItem>>,
    pub key_industries: Option<Vec<Name>>,
    pub profile: Option<Option<Prose>>,
}

/// A new institution, as an applicant registers it.
#[derive(Debug, Clone)]
pub struct NewInstitution {
    pub uscc: Uscc,
    pub name: Name,
    pub kind: InstitutionKind,
    pub department_code: String,
    pub exempt_category: Option<ExemptCategory>,
    pub legal_representative: Name,
    pub address: Line,
    pub principal: Person,
    pub contact: Person,
    pub website: Option<WebAddress>,
    pub profile: ProfileChanges,
}

/// Changes to an institution's own data. `None` keeps a field; for optional fields,
/// `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct InstitutionChanges {
    pub legal_representative: Option<Name>,
    pub address: Option<Line>,
    pub principal: Option<Person>,
    pub contact: Option<Person>,
    pub website: Option<Option<WebAddress>>,
    pub exempt_category: Option<Option<ExemptCategory>>,
    pub profile: ProfileChanges,
}

/// Removes repeats from a list, keeping the first of each and the order.
pub fn dedup<T: PartialEq + Copy>(items: Vec<T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn art_13_services_are_basic_and_art_14_special() {
        use ServiceCategory::{Basic, Special};
        assert_eq!(category_of(ServiceType::Consultation), Basic);
        assert_eq!(category_of(ServiceType::Search), Basic);
        assert_eq!(category_of(ServiceType::Training), Basic);
        assert_eq!(category_of(ServiceType::IndustryAnalysis), Special);
        assert_eq!(category_of(ServiceType::SmeService), Special);
    }

    #[test]
    fn dedup_keeps_first_occurrences_in_order() {
        assert_eq!(dedup(vec![3, 1, 3, 2, 1]), vec![3, 1, 2]);
    }
}
