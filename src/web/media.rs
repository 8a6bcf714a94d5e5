//! The media type of an answer, chosen from the request's `Accept` (GraphQL over HTTP).

use axum::http::{HeaderMap, header};

pub(super) const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
pub(super) const JSON: &str = "application/json";

/// The media type to answer with, chosen from the request's `Accept`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Answer {
    /// `application/graphql-response+json`: request errors get status 400.
    GraphqlResponse,
    /// `application/json`: always status 200 once the request parsed.
    Json,
}

impl Answer {
    pub(super) fn content_type(self) -> &'static str {
        match self {
            Self::GraphqlResponse => GRAPHQL_RESPONSE_JSON,
            Self::Json => JSON,
        }
    }
}

/// Picks the response type: `application/json` when `Accept` is absent or prefers it
/// (or takes anything); the GraphQL response type when asked for it at least as much.
pub(super) fn negotiate(headers: &HeaderMap) -> Option<Answer> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(Answer::Json);
    };
    let (mut graphql, mut json) = (None::<f32>, None::<f32>);
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let quality = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let best = |slot: &mut Option<f32>| *slot = Some(slot.map_or(quality, |q| q.max(quality)));
        match media.as_str() {
            GRAPHQL_RESPONSE_JSON => best(&mut graphql),
            JSON | "application/*" | "*/*" => best(&mut json),
            _ => {}
        }
    }
    match (graphql.filter(|q| *q > 0.0), json.filter(|q| *q > 0.0)) {
        (Some(g), Some(j)) if j > g => Some(Answer::Json),
        (Some(_), _) => Some(Answer::GraphqlResponse),
        (None, Some(_)) => Some(Answer::Json),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn json_unless_the_graphql_type_is_preferred() {
        assert_eq!(negotiate(&HeaderMap::new()), Some(Answer::Json));
        assert_eq!(negotiate(&accept("*/*")), Some(Answer::Json));
        assert_eq!(negotiate(&accept("application/json")), Some(Answer::Json));
        assert_eq!(negotiate(&accept(GRAPHQL_RESPONSE_JSON)), Some(Answer::GraphqlResponse));
        assert_eq!(
            negotiate(&accept("application/graphql-response+json, application/json;q=0.9")),
            Some(Answer::GraphqlResponse)
        );
        assert_eq!(
            negotiate(&accept("application/graphql-response+json;q=0.5, application/json")),
            Some(Answer::Json)
        );
        assert_eq!(negotiate(&accept("text/html")), None);
    }
}
