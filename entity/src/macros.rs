//! Declarations that several entities share, written once.

/// Declares an enumeration kept in a text column. Each variant is stored, serialized and
/// named in GraphQL alike: its name in `SCREAMING_SNAKE_CASE`.
///
/// Give the column type with `#[sea_orm(db_type = "...")]`, and any derives beyond `Debug`,
/// `Clone`, `Copy`, `PartialEq` and `Eq`, among the attributes before the `enum`.
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident,)*
        }
    ) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        #[sea_orm(rs_type = "String", rename_all = "SCREAMING_SNAKE_CASE")]
        $(#[$meta])*
        pub enum $name {
            $($(#[$variant_meta])* $variant,)*
        }
    };
}

/// Completes an entity that has no relations: an empty `Relation` and the default
/// `ActiveModelBehavior`.
macro_rules! no_relations {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    };
}

/// Completes an entity whose rows belong to one institution and are deleted with it (its
/// staff, databases and service items): `Relation::Institution` through `institution_id`,
/// `Related<institution::Entity>` and the default `ActiveModelBehavior`.
macro_rules! part_of_institution {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {
            #[sea_orm(
                belongs_to = "super::institution::Entity",
                from = "Column::InstitutionId",
                to = "super::institution::Column::Id",
                on_delete = "Cascade"
            )]
            Institution,
        }

        impl Related<super::institution::Entity> for Entity {
            fn to() -> RelationDef {
                Relation::Institution.def()
            }
        }

        impl ActiveModelBehavior for ActiveModel {}
    };
}

/// Declares `Relation` for an entity that names its institution in `institution_id` (an
/// applicant's account, a ban, a filing): `Institution` first, then the variants given,
/// with `Related<institution::Entity>` and the default `ActiveModelBehavior`.
macro_rules! relations_with_institution {
    ($($rest:tt)*) => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {
            #[sea_orm(
                belongs_to = "super::institution::Entity",
                from = "Column::InstitutionId",
                to = "super::institution::Column::Id"
            )]
            Institution,
            $($rest)*
        }

        impl Related<super::institution::Entity> for Entity {
            fn to() -> RelationDef {
                Relation::Institution.def()
            }
        }

        impl ActiveModelBehavior for ActiveModel {}
    };
}
