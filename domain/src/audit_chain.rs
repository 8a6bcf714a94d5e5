//! The audit trail as a hash chain (DESIGN §9): each event stores the SHA-256 of the one
//! before it, and its own over its content, so that a row edited, removed or moved in the
//! database breaks a link that `outlet-filing verify-audit` finds.
//!
//! This module is the one definition of the chain: the canonical encoding of an event, its
//! hash, the genesis value and the precision of timestamps. Appending (the service),
//! verifying (the service) and the back-fill of rows older than the chain (a migration) all
//! call it.
//!
//! # The canonical encoding
//!
//! The tag `outlet-filing audit event v1`, then each field below in this order. A field
//! that is absent is the byte `0x00`; one that is present is the byte `0x01`, its length in
//! bytes as a 4-byte big-endian integer, and its UTF-8 bytes. Because every field carries
//! its length, no two different events share an encoding, whatever their text holds, and
//! an absent field differs from an empty one.
//!
//! 1. `prev_hash`, the previous event's hash, or [`GENESIS`] for the first event
//! 2. `occurred_at`, RFC 3339 in UTC with exactly six fractional digits
//!    (`2026-03-02T02:00:00.000000Z`), truncated to microseconds ([`stamp`])
//! 3. `actor_user_id` in decimal
//! 4. `actor_role`
//! 5. `scope`
//! 6. `action`
//! 7. `entity_type`
//! 8. `entity_id`
//! 9. `from_state`
//! 10. `to_state`
//! 11. `comment`
//! 12. `request_id`
//!
//! The hash is the lower-case hex SHA-256 of the encoding: 64 characters.
//!
//! The row's `id` is not encoded: the database assigns it on insert, after the hash is
//! due. Order is kept by the links instead: walking the events in id order, each must name
//! the hash of the one before it, so moving, removing or inserting a row breaks a link.
//! Renumbering the rows without changing their order goes unnoticed, and changes nothing
//! the trail says.

use std::fmt::Write as _;

use chrono::{DateTime, SecondsFormat, SubsecRound as _, Utc};
use sha2::{Digest as _, Sha256};

/// The `prev_hash` of the first event: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Names the encoding, so that a later one cannot produce the same bytes.
const TAG: &[u8] = b"outlet-filing audit event v1";

/// The instant as the chain keeps it: truncated to microseconds, the precision PostgreSQL
/// stores. An event is stored with this time, so its hash survives a round trip through
/// either database.
pub fn stamp(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

/// The content of one audit event: every stored column but its id and its own hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventContent<'a> {
    /// The hash of the event before it, or [`GENESIS`].
    pub prev_hash: &'a str,
    pub occurred_at: DateTime<Utc>,
    pub actor_user_id: Option<i64>,
    pub actor_role: &'a str,
    pub scope: &'a str,
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: &'a str,
    pub from_state: Option<&'a str>,
    pub to_state: Option<&'a str>,
    pub comment: Option<&'a str>,
    pub request_id: Option<&'a str>,
}

impl EventContent<'_> {
    /// The canonical encoding (see the module documentation).
    pub fn encode(&self) -> Vec<u8> {
        let occurred_at = stamp(self.occurred_at).to_rfc3339_opts(SecondsFormat::Micros, true);
        let actor_user_id = self.actor_user_id.map(|id| id.to_string());
        let fields = [
            Some(self.prev_hash),
            Some(occurred_at.as_str()),
            actor_user_id.as_deref(),
            Some(self.actor_role),
            Some(self.scope),
            Some(self.action),
            Some(self.entity_type),
            Some(self.entity_id),
            self.from_state,
            self.to_state,
            self.comment,
            self.request_id,
        ];
        let mut bytes = TAG.to_vec();
        for field in fields {
            match field {
                None => bytes.push(0),
                Some(text) => {
                    // Columns are far below 4 GiB; saturating keeps the function total.
                    let length = u32::try_from(text.len()).unwrap_or(u32::MAX);
                    bytes.push(1);
                    bytes.extend_from_slice(&length.to_be_bytes());
                    bytes.extend_from_slice(text.as_bytes());
                }
            }
        }
        bytes
    }

    /// The event's hash: lower-case hex SHA-256 of [`Self::encode`].
    pub fn hash(&self) -> String {
        Sha256::digest(self.encode()).iter().fold(String::with_capacity(64), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone as _;

    use super::*;

    fn event() -> EventContent<'static> {
        EventContent {
            prev_hash: GENESIS,
            occurred_at: Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0).unwrap(),
            actor_user_id: Some(7),
            actor_role: "REVIEWER",
            scope: "/nm/150100/inst/42",
            action: "recommendFiling",
            entity_type: "filing",
            entity_id: "3",
            from_state: Some("SUBMITTED"),
            to_state: Some("RECOMMENDED"),
            comment: Some("材料齐全，同意推荐"),
            request_id: Some("0b7c6a5e-1f0e-4b8e-9d55-0d7d1c1f2a3b"),
        }
    }

    #[test]
    fn the_hash_is_stable() {
        // Computed once, and again by an independent implementation over the bytes the module
        // documentation describes. A changed encoding is a new version (a new tag and a
        // migration that re-chains the table), never an edit of this one.
        assert_eq!(event().hash(), "ea153d972d903b81daeab1bbe2379a5619bcc2bf32b9b5b490569f32d5db6366");
    }

    #[test]
    fn the_encoding_reads_as_documented() {
        let mut expected = TAG.to_vec();
        let mut field = |text: &str| {
            expected.push(1);
            expected.extend_from_slice(&u32::try_from(text.len()).unwrap().to_be_bytes());
            expected.extend_from_slice(text.as_bytes());
        };
        let e = event();
        field(GENESIS);
        field("2026-03-02T02:00:00.000000Z");
        field("7");
        for text in [e.actor_role, e.scope, e.action, e.entity_type, e.entity_id] {
            field(text);
        }
        for text in [e.from_state, e.to_state, e.comment, e.request_id] {
            field(text.unwrap());
        }
        assert_eq!(e.encode(), expected);
    }

    #[test]
    fn every_field_changes_the_hash() {
        let base = event();
        let later = base.occurred_at + chrono::Duration::microseconds(1);
        let changed = [
            EventContent {
                prev_hash: "1111111111111111111111111111111111111111111111111111111111111111",
                ..base
            },
            EventContent { occurred_at: later, ..base },
            EventContent { actor_user_id: Some(8), ..base },
            EventContent { actor_user_id: None, ..base },
            EventContent { actor_role: "RECOMMENDER", ..base },
            EventContent { scope: "/nm/150100/inst/43", ..base },
            EventContent { action: "returnFiling", ..base },
            EventContent { entity_type: "report", ..base },
            EventContent { entity_id: "4", ..base },
            EventContent { from_state: None, ..base },
            EventContent { to_state: Some("RETURNED"), ..base },
            EventContent { comment: Some(""), ..base },
            EventContent { comment: None, ..base },
            EventContent { request_id: None, ..base },
        ];
        let mut hashes: Vec<String> = changed.iter().map(EventContent::hash).collect();
        hashes.push(base.hash());
        let count = hashes.len();
        hashes.sort();
        hashes.dedup();
        assert_eq!(hashes.len(), count, "two different events share a hash");
    }

    #[test]
    fn text_cannot_move_between_fields() {
        let base = event();
        let joined = EventContent { entity_type: "filing3", entity_id: "", ..base };
        let split = EventContent { entity_type: "filing", entity_id: "3", ..base };
        assert_ne!(joined.hash(), split.hash());
    }

    #[test]
    fn time_is_hashed_to_the_microsecond() {
        let base = event();
        let nanos =
            EventContent { occurred_at: base.occurred_at + chrono::Duration::nanoseconds(999), ..base };
        assert_eq!(nanos.hash(), base.hash());
        assert_eq!(stamp(nanos.occurred_at), base.occurred_at);
    }
}
