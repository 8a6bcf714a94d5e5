//! Domain values and rules of the guideline, free of storage and transport: each value is
//! parsed once at the edge and trusted afterwards. This crate does not depend on `entity`,
//! `sea_orm`, `async_graphql` or `axum` (`.ci/layers` also checks its manifest); the entity
//! crate and the service's `db::mapping` convert between stored rows and these values. The
//! service crate re-exports it as `outlet_filing::domain`.

/// Declares a closed set of values with their wire names: the enum, `ALL` in declaration
/// order, `name()`, and serde under the same names.
macro_rules! named {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $wire:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $wire)] $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// The value's name on the wire.
            pub fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire,)+
                }
            }
        }

        impl $crate::Named for $name {
            const ALL: &'static [Self] = Self::ALL;

            fn name(self) -> &'static str {
                Self::name(self)
            }
        }
    };
}

pub mod audit_chain;
pub mod calendar;
pub mod clock;
pub mod eligibility;
pub mod form;
pub mod institution;
pub mod media;
pub mod reports;
pub mod role;
pub mod scope;
pub mod text;
pub mod uscc;
pub mod validity;
pub mod workflow;

/// A value of a closed set with a name on the wire (see `named!`).
pub trait Named: Copy + Eq + std::fmt::Debug + 'static {
    /// Every value.
    const ALL: &'static [Self];
    /// The value's name on the wire.
    fn name(self) -> &'static str;
}
