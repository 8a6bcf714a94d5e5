//! Domain values and rules, free of storage and transport: each value is parsed once at
//! the edge and trusted afterwards.

pub mod calendar;
pub mod clock;
pub mod eligibility;
pub mod form;
pub mod institution;
pub mod media;
pub mod reports;
pub mod scope;
pub mod text;
pub mod uscc;
pub mod validity;
pub mod workflow;
