//! Small lists kept in JSON columns: they are read and written whole, with the record
//! that owns them.

use sea_orm::FromJsonQueryResult;
use serde::{Deserialize, Serialize};

/// An intellectual-property category an institution serves (Art 5(2)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum IpCategory {
    Patent,
    Trademark,
    GeographicalIndication,
}

/// Whether services are given online, offline or both (Art 5(2)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ServiceMode {
    Online,
    Offline,
}

/// A channel through which a service is given (Art 13(1)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ServiceChannel {
    Phone,
    Online,
    Window,
}

/// The IP categories of an institution, without repeats.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct IpCategories(pub Vec<IpCategory>);

/// The service modes of an institution, without repeats.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct ServiceModes(pub Vec<ServiceMode>);

/// The channels of a service item, without repeats.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct ServiceChannels(pub Vec<ServiceChannel>);

/// Free-text names of the key industries an institution serves.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct KeyIndustries(pub Vec<String>);
