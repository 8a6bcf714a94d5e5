//! `institution_staff`: the roster of an institution's IP information team (Art 5(1)).

use sea_orm::entity::prelude::*;

use crate::sea_orm_active_enums::Employment;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "institution_staff")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    /// Position in the roster as the applicant entered it.
    pub position: i32,
    pub name: String,
    pub employment: Employment,
    pub education: Option<String>,
    pub speciality: Option<String>,
    pub title: Option<String>,
    pub years_of_experience: Option<i32>,
    pub certificates: Option<String>,
}

part_of_institution!();
