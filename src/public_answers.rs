//! Answers to public reads, kept whole.
//!
//! The published list (Art 8) is the same for everyone who asks the same question on the
//! same day, until an outlet changes. Anonymous visitors ask a few questions (the first
//! page, a page per league or city) again and again, so their answers are kept as the
//! bytes that were sent, with the stamp they were made under: the outlets' generation
//! (raised by the database with every change to an outlet or its tags, migration 22) and
//! the day in China Standard Time (an outlet leaves the list the day after it expires).
//! A visitor whose question is kept costs one read of the generation counter instead of
//! the page, its total and its answer's encoding.
//!
//! Only what cannot differ between two askers is kept:
//! - anonymous requests of one operation: a signed-in caller is answered afresh, and an
//!   answer made under a signed-in caller's larger cost allowance is never handed to a
//!   stranger;
//! - queries whose every root field is in [`PUBLIC_FIELDS`], without directives or
//!   fragments at the root;
//! - answers with no error at all.
//!
//! The question is the operation's text, its name and its variables as sent; the same
//! question written another way is kept apart. Memory is bounded whatever visitors send:
//! at most [`KEPT_ANSWERS`] answers of at most [`LARGEST_KEPT_ANSWER`] bytes, the least
//! recently asked out first, to questions whose text the parse cache would keep
//! ([`crate::graphql::documents::LONGEST_KEPT_TEXT`]) and whose variables take at most
//! [`LONGEST_KEPT_VARIABLES`] bytes: under 20 MiB in all.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, PoisonError};

use async_graphql::Request;
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType, Selection};
use axum::body::Bytes;
use chrono::NaiveDate;
use lru::LruCache;

use crate::graphql::Schemas;
use crate::graphql::documents::LONGEST_KEPT_TEXT;
use crate::service::outlets;
use crate::state::AppState;

/// Root fields whose answers depend only on the question, the outlets and the day.
pub const PUBLIC_FIELDS: [&str; 4] = ["publishedOutlets", "regions", "eligibilityConditions", "__typename"];

/// Most answers kept.
pub const KEPT_ANSWERS: NonZeroUsize = NonZeroUsize::new(256).expect("not zero");

/// Largest answer kept, in bytes. A page of 20 published outlets is about 12 kB.
pub const LARGEST_KEPT_ANSWER: usize = 64 * 1024;

/// Longest variables of a kept question, as JSON, in bytes.
pub const LONGEST_KEPT_VARIABLES: usize = 2 * 1024;

/// A question: the operation's text, its name and its variables, as sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Question {
    text: String,
    operation: Option<String>,
    variables: String,
}

/// What an answer was made under: the outlets' generation and the day.
type Stamp = (i64, NaiveDate);

/// The kept answers.
pub struct PublicAnswers {
    kept: Mutex<LruCache<Question, (Stamp, Bytes)>>,
}

impl Default for PublicAnswers {
    fn default() -> Self {
        Self { kept: Mutex::new(LruCache::new(KEPT_ANSWERS)) }
    }
}

/// A public read being answered: its question and the stamp read before answering it.
pub struct PublicRead {
    answers: Arc<PublicAnswers>,
    question: Question,
    stamp: Stamp,
}

impl PublicAnswers {
    /// `request` as a public read, with the stamp read now; `None` when its answer may not
    /// be kept, or when the stamp cannot be read (the request is then answered as any
    /// other, and any failure reported there).
    ///
    /// Runs before a stranger's request waits for its turn (`crate::priority`), so it looks
    /// at the length first and parses only a text short enough to keep (through the parse
    /// cache, which sets the document on the request for its execution).
    pub async fn read(
        self: &Arc<Self>,
        state: &AppState,
        schemas: &Schemas,
        request: &mut Request,
    ) -> Option<PublicRead> {
        if request.query.len() > LONGEST_KEPT_TEXT || !request.uploads.is_empty() {
            return None;
        }
        let document = schemas.document(request)?;
        if !is_public(&document, request.operation_name.as_deref()) {
            return None;
        }
        let variables = serde_json::to_string(&request.variables).ok()?;
        if variables.len() > LONGEST_KEPT_VARIABLES {
            return None;
        }
        let stamp = match outlets::published_stamp(state).await {
            Ok(stamp) => stamp,
            Err(error) => {
                tracing::debug!(error.cause = ?error, "no stamp for a public read; answered afresh");
                return None;
            }
        };
        let question =
            Question { text: request.query.clone(), operation: request.operation_name.clone(), variables };
        Some(PublicRead { answers: self.clone(), question, stamp })
    }

    /// How many answers are kept.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LruCache<Question, (Stamp, Bytes)>> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl PublicRead {
    /// The kept answer to this question, if it was made under the same stamp.
    pub fn kept(&self) -> Option<Bytes> {
        let mut kept = self.answers.lock();
        match kept.get(&self.question) {
            Some((stamp, body)) if *stamp == self.stamp => Some(body.clone()),
            _ => None,
        }
    }

    /// Keeps `body`, an answer with no error made after the stamp was read.
    pub fn keep(self, body: Bytes) {
        if body.len() <= LARGEST_KEPT_ANSWER {
            self.answers.lock().put(self.question, (self.stamp, body));
        }
    }
}

/// Whether the operation `operation` of `document` is a query that asks only for
/// [`PUBLIC_FIELDS`], each without a directive, no fragment at its root, and more than
/// `__typename` (which is answered without the database: nothing to keep).
fn is_public(document: &ExecutableDocument, operation: Option<&str>) -> bool {
    let operation = match (&document.operations, operation) {
        (DocumentOperations::Single(single), _) => single,
        (DocumentOperations::Multiple(named), Some(name)) => match named.get(name) {
            Some(operation) => operation,
            None => return false,
        },
        // A named operation alone in its document runs without its name being sent.
        (DocumentOperations::Multiple(named), None) if named.len() == 1 => {
            named.values().next().expect("one operation")
        }
        (DocumentOperations::Multiple(_), None) => return false,
    };
    let operation = &operation.node;
    let root = &operation.selection_set.node.items;
    operation.ty == OperationType::Query
        && operation.directives.is_empty()
        && root.iter().all(|item| root_field(&item.node).is_some_and(|name| PUBLIC_FIELDS.contains(&name)))
        && root.iter().any(|item| root_field(&item.node) != Some("__typename"))
}

/// The name of a root selection that is a field without directives.
fn root_field(selection: &Selection) -> Option<&str> {
    match selection {
        Selection::Field(field) if field.node.directives.is_empty() => Some(field.node.name.node.as_str()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::parser::parse_query;

    use super::*;

    fn read(answers: &Arc<PublicAnswers>, n: usize, stamp: Stamp) -> PublicRead {
        let question =
            Question { text: "{ regions { code } }".into(), operation: None, variables: n.to_string() };
        PublicRead { answers: answers.clone(), question, stamp }
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).expect("a day")
    }

    #[test]
    fn an_answer_serves_only_under_the_stamp_it_was_made_under() {
        let answers = Arc::new(PublicAnswers::default());
        assert_eq!(read(&answers, 1, (7, day(6))).kept(), None);
        read(&answers, 1, (7, day(6))).keep(Bytes::from_static(b"answer"));
        assert_eq!(read(&answers, 1, (7, day(6))).kept(), Some(Bytes::from_static(b"answer")));
        assert_eq!(read(&answers, 2, (7, day(6))).kept(), None, "another question");
        assert_eq!(read(&answers, 1, (8, day(6))).kept(), None, "an outlet changed");
        assert_eq!(read(&answers, 1, (7, day(7))).kept(), None, "the next day");
    }

    #[test]
    fn the_kept_answers_are_bounded_in_number_and_in_size() {
        let answers = Arc::new(PublicAnswers::default());
        for n in 0..KEPT_ANSWERS.get() + 10 {
            read(&answers, n, (1, day(6))).keep(Bytes::from_static(b"answer"));
        }
        assert_eq!(answers.len(), KEPT_ANSWERS.get());
        assert_eq!(read(&answers, 0, (1, day(6))).kept(), None, "the least recently asked went first");

        let answers = Arc::new(PublicAnswers::default());
        read(&answers, 1, (1, day(6))).keep(Bytes::from(vec![b' '; LARGEST_KEPT_ANSWER + 1]));
        assert!(answers.is_empty());
    }

    fn public(text: &str, operation: Option<&str>) -> bool {
        is_public(&parse_query(text).expect("parses"), operation)
    }

    #[test]
    fn only_queries_of_public_fields_are_public_reads() {
        assert!(public("{ publishedOutlets(first: 20) { totalCount } }", None));
        assert!(public(
            "query List($d: String) { a: publishedOutlets(filter: {departmentCode: $d}) { totalCount } regions { code } __typename }",
            None
        ));
        assert!(public("query A { regions { code } } query B { me { id } }", Some("A")));

        assert!(!public("query A { regions { code } } query B { me { id } }", Some("B")));
        assert!(!public("query A { regions { code } } query B { me { id } }", None));
        assert!(!public("{ publishedOutlets { totalCount } outlets { totalCount } }", None));
        assert!(!public("{ __schema { types { name } } }", None));
        assert!(!public("{ __typename a: __typename }", None), "nothing to keep");
        assert!(!public("{ ...F } fragment F on QueryRoot { regions { code } }", None));
        assert!(!public("{ ... on QueryRoot { regions { code } } }", None));
        assert!(!public("query($s: Boolean!) { regions @skip(if: $s) { code } }", None));
        assert!(!public("mutation { login(input: {username: \"a\", password: \"b\"}) { token } }", None));
    }
}
