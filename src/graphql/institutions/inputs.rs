//! What an institution is registered and changed with: its data and capability profile,
//! parsed into validated domain values. Every refusal names the field's path in the input.

use async_graphql::{ID, InputObject, MaybeUndefined};
use chrono::NaiveDate;

use crate::domain::institution::{
    DatabaseTool, Facilities, InstitutionChanges, NewInstitution, Person, ProfileChanges, ServiceItem,
    StaffMember,
};
use crate::domain::text::{Email, Name, Phone, Text, WebAddress};
use crate::domain::uscc::Uscc;
use crate::error::AppError;
use crate::graphql::inputs::{field, optional, row_id};
use crate::graphql::institutions::{Employment, ExemptCategory, ServiceChannel, ToolSource};
use crate::graphql::shared::{InstitutionKind, IpCategory, ServiceMode, ServiceType};

/// The registration data of a new institution (DESIGN §4).
#[derive(InputObject)]
pub struct NewInstitutionInput {
    /// Unified social credit code, 18 characters (GB 32100-2015).
    pub uscc: String,
    pub name: String,
    pub kind: InstitutionKind,
    /// GB/T 2260 code of the recommending department, from `regions`.
    pub department_code: String,
    /// Set when the institution belongs to a category that need not file (Art 19).
    pub exempt_category: Option<ExemptCategory>,
    pub legal_representative: String,
    /// Premises address.
    pub address: String,
    pub principal: PrincipalInput,
    pub contact: ContactInput,
    pub website: Option<String>,
    pub profile: Option<ProfileInput>,
}

impl NewInstitutionInput {
    pub(crate) fn parse(self, path: &str) -> Result<NewInstitution, AppError> {
        let uscc =
            Uscc::parse(&self.uscc).map_err(|e| AppError::invalid(format!("{path}.uscc"), e.to_string()))?;
        Ok(NewInstitution {
            uscc,
            name: field(&format!("{path}.name"), Name::parse(&self.name))?,
            kind: self.kind.into(),
            department_code: self.department_code.trim().to_owned(),
            exempt_category: self.exempt_category.map(Into::into),
            legal_representative: field(
                &format!("{path}.legalRepresentative"),
                Name::parse(&self.legal_representative),
            )?,
            address: field(&format!("{path}.address"), Text::parse(&self.address))?,
            principal: self.principal.parse(&format!("{path}.principal"))?,
            contact: self.contact.parse(&format!("{path}.contact"))?,
            website: optional(&format!("{path}.website"), self.website.as_deref(), WebAddress::parse)?,
            profile: self
                .profile
                .map(|p| p.parse(&format!("{path}.profile")))
                .transpose()?
                .unwrap_or_default(),
        })
    }
}

/// The principal (主要负责人).
#[derive(InputObject)]
pub struct PrincipalInput {
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl PrincipalInput {
    pub(crate) fn parse(self, path: &str) -> Result<Person, AppError> {
        Ok(Person {
            name: field(&format!("{path}.name"), Name::parse(&self.name))?,
            title: optional(&format!("{path}.title"), self.title.as_deref(), Name::parse)?,
            phone: optional(&format!("{path}.phone"), self.phone.as_deref(), Phone::parse)?,
            mobile: None,
            email: optional(&format!("{path}.email"), self.email.as_deref(), Email::parse)?,
        })
    }
}

/// The contact person (联系人).
#[derive(InputObject)]
pub struct ContactInput {
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
}

impl ContactInput {
    pub(crate) fn parse(self, path: &str) -> Result<Person, AppError> {
        Ok(Person {
            name: field(&format!("{path}.name"), Name::parse(&self.name))?,
            title: optional(&format!("{path}.title"), self.title.as_deref(), Name::parse)?,
            phone: optional(&format!("{path}.phone"), self.phone.as_deref(), Phone::parse)?,
            mobile: optional(&format!("{path}.mobile"), self.mobile.as_deref(), Phone::parse)?,
            email: optional(&format!("{path}.email"), self.email.as_deref(), Email::parse)?,
        })
    }
}

/// The capability profile. Each list given replaces the stored one whole; one left out
/// keeps it.
#[derive(InputObject, Default)]
pub struct ProfileInput {
    pub staff: Option<Vec<StaffMemberInput>>,
    pub ip_categories: Option<Vec<IpCategory>>,
    pub service_modes: Option<Vec<ServiceMode>>,
    pub facilities: Option<FacilitiesInput>,
    pub databases: Option<Vec<DatabaseToolInput>>,
    pub service_items: Option<Vec<ServiceItemInput>>,
    pub key_industries: Option<Vec<String>>,
    /// Profile text (机构简介); null clears it.
    pub profile: MaybeUndefined<String>,
}

/// Longest list accepted in a profile.
const MAX_ITEMS: usize = 200;

fn list<I, T>(
    path: &str,
    items: Option<Vec<I>>,
    parse: impl Fn(&str, I) -> Result<T, AppError>,
) -> Result<Option<Vec<T>>, AppError> {
    let Some(items) = items else { return Ok(None) };
    if items.len() > MAX_ITEMS {
        return Err(AppError::invalid(path, format!("at most {MAX_ITEMS} entries")));
    }
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| parse(&format!("{path}[{i}]"), item))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

impl ProfileInput {
    pub(crate) fn parse(self, path: &str) -> Result<ProfileChanges, AppError> {
        Ok(ProfileChanges {
            staff: list(&format!("{path}.staff"), self.staff, |p, s| s.parse(p))?,
            ip_categories: self.ip_categories.map(|c| c.into_iter().map(Into::into).collect()),
            service_modes: self.service_modes.map(|m| m.into_iter().map(Into::into).collect()),
            facilities: self.facilities.map(|f| f.parse(&format!("{path}.facilities"))).transpose()?,
            databases: list(&format!("{path}.databases"), self.databases, |p, d| d.parse(p))?,
            service_items: list(&format!("{path}.serviceItems"), self.service_items, |p, s| s.parse(p))?,
            key_industries: list(&format!("{path}.keyIndustries"), self.key_industries, |p, k| {
                field(p, Name::parse(&k))
            })?,
            profile: match self.profile {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(text) => {
                    Some(optional(&format!("{path}.profile"), Some(&text), Text::parse)?)
                }
            },
        })
    }
}

/// A member of the IP information team.
#[derive(InputObject)]
pub struct StaffMemberInput {
    pub name: String,
    pub employment: Employment,
    pub education: Option<String>,
    pub speciality: Option<String>,
    pub title: Option<String>,
    pub years_of_experience: Option<i32>,
    pub certificates: Option<String>,
}

impl StaffMemberInput {
    fn parse(self, path: &str) -> Result<StaffMember, AppError> {
        let years = self
            .years_of_experience
            .map(|y| {
                u16::try_from(y).ok().filter(|y| *y <= 80).ok_or_else(|| {
                    AppError::invalid(format!("{path}.yearsOfExperience"), "must be between 0 and 80")
                })
            })
            .transpose()?;
        Ok(StaffMember {
            name: field(&format!("{path}.name"), Name::parse(&self.name))?,
            employment: self.employment.into(),
            education: optional(&format!("{path}.education"), self.education.as_deref(), Name::parse)?,
            speciality: optional(&format!("{path}.speciality"), self.speciality.as_deref(), Name::parse)?,
            title: optional(&format!("{path}.title"), self.title.as_deref(), Name::parse)?,
            years_of_experience: years,
            certificates: optional(
                &format!("{path}.certificates"),
                self.certificates.as_deref(),
                Text::parse,
            )?,
        })
    }
}

/// Facilities for public service.
#[derive(InputObject)]
pub struct FacilitiesInput {
    /// Premises area in square metres.
    pub premises_area: Option<i32>,
    pub network_environment: Option<String>,
    pub hardware: Option<String>,
    pub software: Option<String>,
}

impl FacilitiesInput {
    fn parse(self, path: &str) -> Result<Facilities, AppError> {
        let area = self
            .premises_area
            .map(|a| {
                u32::try_from(a).ok().filter(|a| *a <= 1_000_000).ok_or_else(|| {
                    AppError::invalid(format!("{path}.premisesArea"), "must be between 0 and 1000000")
                })
            })
            .transpose()?;
        Ok(Facilities {
            premises_area: area,
            network_environment: optional(
                &format!("{path}.networkEnvironment"),
                self.network_environment.as_deref(),
                Text::parse,
            )?,
            hardware: optional(&format!("{path}.hardware"), self.hardware.as_deref(), Text::parse)?,
            software: optional(&format!("{path}.software"), self.software.as_deref(), Text::parse)?,
        })
    }
}

/// A database or search/analysis tool.
#[derive(InputObject)]
pub struct DatabaseToolInput {
    pub name: String,
    pub source: ToolSource,
    pub valid_until: Option<NaiveDate>,
}

impl DatabaseToolInput {
    fn parse(self, path: &str) -> Result<DatabaseTool, AppError> {
        Ok(DatabaseTool {
            name: field(&format!("{path}.name"), Name::parse(&self.name))?,
            source: self.source.into(),
            valid_until: self.valid_until,
        })
    }
}

/// A service offered.
#[derive(InputObject)]
pub struct ServiceItemInput {
    pub service_type: ServiceType,
    pub description: String,
    pub channels: Vec<ServiceChannel>,
    /// Whether the service is free or low-cost.
    pub free_or_low_cost: bool,
}

impl ServiceItemInput {
    pub(crate) fn parse(self, path: &str) -> Result<ServiceItem, AppError> {
        Ok(ServiceItem {
            service_type: self.service_type.into(),
            description: field(&format!("{path}.description"), Text::parse(&self.description))?,
            channels: self.channels.into_iter().map(Into::into).collect(),
            free_or_low_cost: self.free_or_low_cost,
        })
    }
}

/// Changes to an institution, by its applicant. Fields left out stay as they are.
/// The name, USCC, kind and department are not changed here: they identify the
/// institution and its scope, and change through the region bureau (Art 10).
#[derive(InputObject)]
pub struct UpdateInstitutionInput {
    pub id: ID,
    /// The version read; a stale one gets `CONFLICT`.
    pub version: i32,
    pub legal_representative: Option<String>,
    pub address: Option<String>,
    pub principal: Option<PrincipalInput>,
    pub contact: Option<ContactInput>,
    /// Null clears it.
    pub website: MaybeUndefined<String>,
    /// Null clears it.
    pub exempt_category: MaybeUndefined<ExemptCategory>,
    pub profile: Option<ProfileInput>,
}

impl UpdateInstitutionInput {
    /// # Errors
    /// `BAD_USER_INPUT` naming the first field that breaks a rule.
    pub fn parse(self) -> Result<(i64, i32, InstitutionChanges), AppError> {
        let id = row_id("input.id", &self.id)?;
        let changes = InstitutionChanges {
            legal_representative: self
                .legal_representative
                .map(|v| field("input.legalRepresentative", Name::parse(&v)))
                .transpose()?,
            address: self.address.map(|v| field("input.address", Text::parse(&v))).transpose()?,
            principal: self.principal.map(|p| p.parse("input.principal")).transpose()?,
            contact: self.contact.map(|c| c.parse("input.contact")).transpose()?,
            website: match self.website {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(url) => Some(Some(field("input.website", WebAddress::parse(&url))?)),
            },
            exempt_category: match self.exempt_category {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(category) => Some(Some(category.into())),
            },
            profile: self.profile.map(|p| p.parse("input.profile")).transpose()?.unwrap_or_default(),
        };
        Ok((id, self.version, changes))
    }
}
