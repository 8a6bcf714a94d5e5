//! The conditions a filing must meet to be submitted (Art 5, 6): one list, checked
//! together, every unmet one reported by its code.

use super::form::ApplicationForm;
use super::institution::{Employment, ServiceType};
use super::uscc::Uscc;

/// What the conditions are checked against.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub form: &'a ApplicationForm,
    pub declaration_accepted: bool,
    pub work_rules_attached: bool,
    pub application_form_attached: bool,
}

/// One condition.
#[derive(Debug)]
pub struct Condition {
    /// Machine-readable code, reported in `extensions.conditions` of `INELIGIBLE`.
    pub code: &'static str,
    /// Where the guideline sets it.
    pub article: &'static str,
    /// What it asks, in the guideline's words.
    pub description: &'static str,
    pub met: fn(&Facts<'_>) -> bool,
}

fn full_time(facts: &Facts<'_>) -> usize {
    facts.form.staff.iter().filter(|s| s.employment == Employment::FullTime).count()
}

fn offers(facts: &Facts<'_>, service: ServiceType) -> bool {
    facts.form.service_items.iter().any(|i| i.service_type == service)
}

fn described(text: &Option<String>) -> bool {
    text.as_deref().is_some_and(|t| !t.trim().is_empty())
}

/// Every condition, in the guideline's order.
pub const CONDITIONS: &[Condition] = &[
    Condition {
        code: "USCC_INVALID",
        article: "第五条（一）",
        description: "独立法人单位：统一社会信用代码有效",
        met: |f| Uscc::parse(&f.form.institution.uscc).is_ok(),
    },
    Condition {
        code: "FULL_TIME_STAFF_BELOW_3",
        article: "第五条（一）",
        description: "配备3名及以上专职人员",
        met: |f| full_time(f) >= 3,
    },
    Condition {
        code: "NO_PART_TIME_STAFF",
        article: "第五条（一）",
        description: "配备若干兼职人员",
        met: |f| f.form.staff.iter().any(|s| s.employment == Employment::PartTime),
    },
    Condition {
        code: "NO_IP_CATEGORY",
        article: "第五条（二）",
        description: "针对专利、商标、地理标志等一个或多个知识产权类别开展服务",
        met: |f| !f.form.ip_categories.is_empty(),
    },
    Condition {
        code: "NO_SERVICE_MODE",
        article: "第五条（二）",
        description: "具备开展线上或线下服务的能力",
        met: |f| !f.form.service_modes.is_empty(),
    },
    Condition {
        code: "NO_CONSULTATION_SERVICE",
        article: "第十三条（一）",
        description: "提供知识产权咨询服务",
        met: |f| offers(f, ServiceType::Consultation),
    },
    Condition {
        code: "NO_SEARCH_SERVICE",
        article: "第十三条（二）",
        description: "提供知识产权信息查询检索服务",
        met: |f| offers(f, ServiceType::Search),
    },
    Condition {
        code: "NO_TRAINING_SERVICE",
        article: "第十三条（三）",
        description: "提供知识产权宣传培训服务",
        met: |f| offers(f, ServiceType::Training),
    },
    Condition {
        code: "FACILITIES_NOT_DESCRIBED",
        article: "第五条（三）",
        description: "具有适合开展服务的场地、网络环境、硬件设备、系统软件",
        met: |f| {
            let facilities = &f.form.facilities;
            facilities.premises_area.is_some_and(|a| a > 0)
                && described(&facilities.network_environment)
                && described(&facilities.hardware)
                && described(&facilities.software)
        },
    },
    Condition {
        code: "NO_DATABASE_OR_TOOL",
        article: "第五条（三）",
        description: "具有自建、购买或租用的知识产权数据库和信息检索分析工具",
        met: |f| !f.form.databases.is_empty(),
    },
    Condition {
        code: "NO_WORK_RULES_ATTACHED",
        article: "第六条（二）、第五条（二）",
        description: "附相关工作制度",
        met: |f| f.work_rules_attached,
    },
    Condition {
        code: "NO_APPLICATION_FORM_ATTACHED",
        article: "第六条（一）",
        description: "附签章的备案申请表",
        met: |f| f.application_form_attached,
    },
    Condition {
        code: "DECLARATION_NOT_ACCEPTED",
        article: "第六条",
        description: "承诺对备案材料的真实性、合法性负责",
        met: |f| f.declaration_accepted,
    },
];

/// The codes of every unmet condition, in order; empty when the filing may be submitted.
pub fn unmet(facts: &Facts<'_>) -> Vec<&'static str> {
    CONDITIONS.iter().filter(|c| !(c.met)(facts)).map(|c| c.code).collect()
}

#[cfg(test)]
mod tests {
    use crate::form::{
        DatabaseEntry, FacilitiesEntry, InstitutionEntry, PersonEntry, ServiceItemEntry, StaffEntry,
    };
    use crate::institution::{InstitutionKind, IpCategory, ServiceMode, ToolSource};

    use super::*;

    fn person() -> PersonEntry {
        PersonEntry { name: "张明".into(), title: None, phone: None, mobile: None, email: None }
    }

    fn staff(employment: Employment) -> StaffEntry {
        StaffEntry::new("甲", employment)
    }

    fn service(service_type: ServiceType) -> ServiceItemEntry {
        ServiceItemEntry {
            service_type,
            description: "服务".into(),
            channels: vec![],
            free_or_low_cost: true,
        }
    }

    fn eligible_form() -> ApplicationForm {
        ApplicationForm {
            institution: InstitutionEntry {
                uscc: "12100000400000624D".into(),
                name: "图书馆".into(),
                kind: InstitutionKind::PublicLibrary,
                department_code: "150100".into(),
                legal_representative: "张明".into(),
                address: "新华大街1号".into(),
                principal: person(),
                contact: person(),
                website: None,
            },
            staff: vec![
                staff(Employment::FullTime),
                staff(Employment::FullTime),
                staff(Employment::FullTime),
                staff(Employment::PartTime),
            ],
            ip_categories: vec![IpCategory::Patent],
            service_modes: vec![ServiceMode::Offline],
            facilities: FacilitiesEntry {
                premises_area: Some(80),
                network_environment: Some("光纤".into()),
                hardware: Some("终端".into()),
                software: Some("检索系统".into()),
            },
            databases: vec![DatabaseEntry {
                name: "库".into(),
                source: ToolSource::Leased,
                valid_until: None,
            }],
            service_items: vec![
                service(ServiceType::Consultation),
                service(ServiceType::Search),
                service(ServiceType::Training),
            ],
            key_industries: vec![],
            profile: None,
        }
    }

    fn facts(form: &ApplicationForm) -> Facts<'_> {
        Facts { form, declaration_accepted: true, work_rules_attached: true, application_form_attached: true }
    }

    #[test]
    fn a_complete_form_meets_every_condition() {
        assert!(unmet(&facts(&eligible_form())).is_empty());
    }

    #[test]
    fn each_condition_fails_alone_when_its_fact_is_missing() {
        type Break = fn(&mut ApplicationForm);
        let cases: [(&str, Break); 10] = [
            ("USCC_INVALID", |f| f.institution.uscc = "12100000400000624E".into()),
            ("FULL_TIME_STAFF_BELOW_3", |f| drop(f.staff.remove(0))),
            ("NO_PART_TIME_STAFF", |f| f.staff.retain(|s| s.employment == Employment::FullTime)),
            ("NO_IP_CATEGORY", |f| f.ip_categories.clear()),
            ("NO_SERVICE_MODE", |f| f.service_modes.clear()),
            ("NO_CONSULTATION_SERVICE", |f| {
                f.service_items.retain(|i| i.service_type != ServiceType::Consultation)
            }),
            ("NO_SEARCH_SERVICE", |f| f.service_items.retain(|i| i.service_type != ServiceType::Search)),
            ("NO_TRAINING_SERVICE", |f| f.service_items.retain(|i| i.service_type != ServiceType::Training)),
            ("FACILITIES_NOT_DESCRIBED", |f| f.facilities.software = Some("  ".into())),
            ("NO_DATABASE_OR_TOOL", |f| f.databases.clear()),
        ];
        for (code, breaks) in cases {
            let mut form = eligible_form();
            breaks(&mut form);
            assert_eq!(unmet(&facts(&form)), [code]);
        }
        let form = eligible_form();
        let base = facts(&form);
        assert_eq!(unmet(&Facts { work_rules_attached: false, ..base }), ["NO_WORK_RULES_ATTACHED"]);
        assert_eq!(
            unmet(&Facts { application_form_attached: false, ..base }),
            ["NO_APPLICATION_FORM_ATTACHED"]
        );
        assert_eq!(unmet(&Facts { declaration_accepted: false, ..base }), ["DECLARATION_NOT_ACCEPTED"]);
    }

    #[test]
    fn an_empty_form_reports_everything_at_once() {
        let mut form = eligible_form();
        form.staff.clear();
        form.ip_categories.clear();
        form.service_modes.clear();
        form.service_items.clear();
        form.facilities = FacilitiesEntry::default();
        form.databases.clear();
        let facts = Facts {
            form: &form,
            declaration_accepted: false,
            work_rules_attached: false,
            application_form_attached: false,
        };
        assert_eq!(unmet(&facts).len(), CONDITIONS.len() - 1);
    }

    #[test]
    fn codes_are_unique() {
        let mut codes: Vec<_> = CONDITIONS.iter().map(|c| c.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), CONDITIONS.len());
    }
}
