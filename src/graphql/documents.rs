//! Operations already parsed, kept by their text.
//!
//! Clients send the same few operations again and again with other variables: a mobile app
//! has one query per screen. Parsing one (async-graphql's parser is built on pest) cost a
//! sixth of the server's CPU for "one institution with its filings" on the small database,
//! and a twentieth on the pages; copying a kept document costs a fraction of that.
//!
//! Only the parse is kept. Everything that depends on the variables or on the caller
//! (validation, cost, the mutation gate) runs on every request, on the copy.
//!
//! The memory is bounded whatever clients send: at most [`KEPT_DOCUMENTS`] documents,
//! each from a text of at most [`LONGEST_KEPT_TEXT`] bytes; longer texts are parsed every
//! time. A client sending new texts on purpose only pushes others' documents out, which
//! costs them a parse, as before.

use std::num::NonZeroUsize;
use std::sync::{Mutex, PoisonError};

use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Request, ServerResult};
use lru::LruCache;

/// Most documents kept.
pub const KEPT_DOCUMENTS: NonZeroUsize = NonZeroUsize::new(256).expect("not zero");

/// Longest operation text whose document is kept, in bytes. The operations of the
/// service's own clients are 0.3–3 kB.
pub const LONGEST_KEPT_TEXT: usize = 8 * 1024;

/// The kept documents, the most recently used last out.
pub struct Documents {
    kept: Mutex<LruCache<String, ExecutableDocument>>,
}

impl Default for Documents {
    fn default() -> Self {
        Self { kept: Mutex::new(LruCache::new(KEPT_DOCUMENTS)) }
    }
}

impl Documents {
    /// The document of `request`'s text, parsed now or copied from the one kept; it is
    /// also set on the request, so that nothing parses it again.
    ///
    /// # Errors
    /// The parse error of a text that does not parse (never kept).
    pub fn parse(&self, request: &mut Request) -> ServerResult<ExecutableDocument> {
        if let Some(document) = self.lock().get(request.query.as_str()) {
            request.set_parsed_query(document.clone());
            return Ok(document.clone());
        }
        let document = request.parsed_query()?.clone();
        if request.query.len() <= LONGEST_KEPT_TEXT {
            self.lock().put(request.query.clone(), document.clone());
        }
        Ok(document)
    }

    /// How many documents are kept.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LruCache<String, ExecutableDocument>> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(documents: &Documents, text: &str) -> ServerResult<ExecutableDocument> {
        documents.parse(&mut Request::new(text))
    }

    #[test]
    fn a_text_is_parsed_once_and_its_copies_are_the_same_document() {
        let documents = Documents::default();
        let text = "query One($id: ID!) { institution(id: $id) { name filings { edges { node { id } } } } }";
        let first = parse(&documents, text).expect("parses");
        let second = parse(&documents, text).expect("parses");
        assert_eq!(documents.len(), 1);
        assert_eq!(format!("{first:?}"), format!("{second:?}"));

        let mut request = Request::new(text);
        documents.parse(&mut request).expect("parses");
        assert!(
            format!("{:?}", request.parsed_query().expect("set")).contains("institution"),
            "the copy is set on the request"
        );
    }

    #[test]
    fn what_does_not_parse_is_refused_every_time_and_never_kept() {
        let documents = Documents::default();
        for _ in 0..2 {
            assert!(parse(&documents, "{ institution(").is_err());
        }
        assert!(documents.is_empty());
    }

    #[test]
    fn the_kept_documents_are_bounded_in_number_and_in_size() {
        let documents = Documents::default();
        for n in 0..KEPT_DOCUMENTS.get() + 10 {
            parse(&documents, &format!("{{ a{n}: __typename }}")).expect("parses");
        }
        assert_eq!(documents.len(), KEPT_DOCUMENTS.get());

        let documents = Documents::default();
        let long = format!("{{ {} }}", "__typename ".repeat(LONGEST_KEPT_TEXT / 10));
        assert!(long.len() > LONGEST_KEPT_TEXT);
        parse(&documents, &long).expect("parses");
        assert!(documents.is_empty());
    }
}
