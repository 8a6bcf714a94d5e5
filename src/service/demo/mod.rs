//! Demo data for trying each role at once: `outlet-filing seed-demo`.

pub mod scale;

use std::fmt::Write as _;

use anyhow::anyhow;
use entity::sea_orm_active_enums::Role;
use entity::user;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::domain::institution::{
    DatabaseTool, Employment, Facilities, InstitutionKind, IpCategory, NewInstitution, Person,
    ProfileChanges, ServiceChannel, ServiceItem, ServiceMode, ServiceType, StaffMember, ToolSource,
};
use crate::domain::text::{InvalidValue, NewPassword, Text, Username};
use crate::domain::uscc::Uscc;
use crate::identity::Caller;
use crate::service::accounts::{self, NewAccount, NewUser};
use crate::state::{AppState, RequestContext};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "demo-pass-2026";

/// `(username, organisation code body, name, kind, department)` of the demo institutions.
const INSTITUTIONS: [(&str, &str, &str, InstitutionKind, &str); 4] = [
    (
        "applicant.hohhot",
        "46000001",
        "呼和浩特市科技情报研究所",
        InstitutionKind::ScitechInformation,
        "150100",
    ),
    ("applicant.imut", "46000002", "内蒙古工业大学图书馆", InstitutionKind::University, "150100"),
    (
        "applicant.baotou",
        "46000003",
        "包头市生产力促进中心",
        InstitutionKind::ProductivityPromotion,
        "150200",
    ),
    (
        "applicant.ordos",
        "46000004",
        "鄂尔多斯市知识产权服务协会",
        InstitutionKind::IndustryOrganization,
        "150600",
    ),
];

/// `(username, display name, role, department)` of the demo officials.
const OFFICIALS: [(&str, &str, Role, Option<&str>); 3] = [
    ("reviewer", "自治区知识产权局审核员", Role::Reviewer, None),
    ("rec.hohhot", "呼和浩特市市场监管局推荐员", Role::Recommender, Some("150100")),
    ("rec.baotou", "包头市市场监管局推荐员", Role::Recommender, Some("150200")),
];

fn text<const N: usize>(value: &str) -> anyhow::Result<Text<N>> {
    Text::parse(value).map_err(|InvalidValue(e)| anyhow!("{value}: {e}"))
}

/// Creates the demo accounts and institutions and returns the logins as a table.
///
/// # Errors
/// When the demo data is already there, or the database fails.
pub async fn seed(state: &AppState) -> anyhow::Result<String> {
    let present =
        user::Entity::find().filter(user::Column::Username.eq(OFFICIALS[0].0)).one(&state.db).await?;
    anyhow::ensure!(present.is_none(), "the demo accounts exist already");
    let password = || NewPassword::parse(DEMO_PASSWORD).map_err(|e| anyhow!("demo password: {e}"));
    let failed = |e: crate::error::AppError| anyhow!("{}", e.message());

    let mut logins = String::from("username            role         scope\n");
    for (username, display_name, role, department) in OFFICIALS {
        let new = NewUser {
            username: Username::parse(username).map_err(|e| anyhow!("{e}"))?,
            password: password()?,
            display_name: text(display_name)?,
            role,
            department_code: department.map(str::to_owned),
            institution_id: None,
        };
        accounts::create_user_as_operator(state, new).await.map_err(failed)?;
        let scope = department.unwrap_or("region");
        writeln!(logins, "{username:<20}{:<13}{scope}", format!("{role:?}").to_uppercase())?;
    }
    let anonymous = RequestContext { caller: Caller::Anonymous, request_id: None, client: None };
    for (username, org, name, kind, department) in INSTITUTIONS {
        let uscc = Uscc::with_checks(&format!("12{department}{org}")).map_err(|e| anyhow!("{e}"))?;
        let institution = NewInstitution {
            uscc,
            name: text(name)?,
            kind,
            department_code: department.to_owned(),
            exempt_category: None,
            legal_representative: text("张明")?,
            address: text(&format!("{name}办公楼一层知识产权服务窗口"))?,
            principal: Person {
                name: text("张明")?,
                title: Some(text("主任")?),
                phone: None,
                mobile: None,
                email: None,
            },
            contact: Person {
                name: text("李娜")?,
                title: Some(text("馆员")?),
                phone: None,
                mobile: None,
                email: None,
            },
            website: None,
            profile: demo_profile()?,
        };
        let account = NewAccount {
            username: Username::parse(username).map_err(|e| anyhow!("{e}"))?,
            password: password()?,
            display_name: text(name)?,
        };
        let done =
            accounts::register_applicant(state, &anonymous, institution, account).await.map_err(failed)?;
        writeln!(
            logins,
            "{username:<20}{:<13}{department} institution {}",
            "APPLICANT", done.institution.id
        )?;
    }
    writeln!(
        logins,
        "\nadmin keeps the password it was created with; every demo account uses {DEMO_PASSWORD}"
    )?;
    Ok(logins)
}

/// A profile that meets the Art 5 conditions.
fn demo_profile() -> anyhow::Result<ProfileChanges> {
    let member = |name: &str, employment| -> anyhow::Result<StaffMember> {
        Ok(StaffMember {
            name: text(name)?,
            employment,
            education: Some(text("硕士研究生")?),
            speciality: Some(text("知识产权")?),
            title: Some(text("馆员")?),
            years_of_experience: Some(5),
            certificates: None,
        })
    };
    let service = |service_type, description: &str| -> anyhow::Result<ServiceItem> {
        Ok(ServiceItem {
            service_type,
            description: text(description)?,
            channels: vec![ServiceChannel::Phone, ServiceChannel::Online, ServiceChannel::Window],
            free_or_low_cost: true,
        })
    };
    Ok(ProfileChanges {
        staff: Some(vec![
            member("王芳", Employment::FullTime)?,
            member("赵磊", Employment::FullTime)?,
            member("孙悦", Employment::FullTime)?,
            member("周强", Employment::PartTime)?,
        ]),
        ip_categories: Some(vec![IpCategory::Patent, IpCategory::Trademark]),
        service_modes: Some(vec![ServiceMode::Online, ServiceMode::Offline]),
        facilities: Some(Facilities {
            premises_area: Some(120),
            network_environment: Some(text("千兆光纤接入")?),
            hardware: Some(text("检索终端6台")?),
            software: Some(text("专利检索分析系统")?),
        }),
        databases: Some(vec![DatabaseTool {
            name: text("专利检索及分析系统")?,
            source: ToolSource::Leased,
            valid_until: None,
        }]),
        service_items: Some(vec![
            service(ServiceType::Consultation, "知识产权政策与业务咨询")?,
            service(ServiceType::Search, "专利、商标信息查询检索")?,
            service(ServiceType::Training, "知识产权宣传培训")?,
        ]),
        key_industries: Some(vec![text("稀土新材料")?]),
        profile: Some(Some(text("面向创新主体提供知识产权信息公共服务。")?)),
    })
}
