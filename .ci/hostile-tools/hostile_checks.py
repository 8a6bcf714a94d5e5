"""Schemathesis hooks of the hostile-client stage (.ci/hostile): the one check that counts.

Loaded with SCHEMATHESIS_HOOKS=hostile_checks and selected with `--checks server_failure`.

Schemathesis' own `not_a_server_error` treats every GraphQL error that has a `path` as a
server error, so FORBIDDEN, NOT_FOUND or CONFLICT from a resolver would count. This service
answers those on purpose; what must never happen is a failure of the server itself: an
HTTP status of 500 or more, or a GraphQL error whose `extensions.code` is `INTERNAL` (the
code the service gives anything unexpected, the cause only in its log). A response that is
not JSON at all also counts, since every answer of `/graphql` is JSON.
"""

from __future__ import annotations

import json

import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes

# Scalars Schemathesis does not know. Dates: mostly real ones, sometimes any text, which
# the server must refuse as bad input. Uploads travel only in multipart requests, so in a
# JSON request any value is wrong; the server must say so, not fail.
schemathesis.graphql.scalar(
    "NaiveDate",
    st.one_of(
        st.dates().map(lambda d: nodes.String(d.isoformat())),
        st.text(max_size=20).map(nodes.String),
    ),
)
# Ids: mostly small numbers, so that requests name records that exist (the demo data and
# what the fuzzing itself creates) and reach the resolvers' checks of scope and state;
# sometimes any text.
schemathesis.graphql.scalar(
    "ID",
    st.one_of(
        st.integers(min_value=1, max_value=12).map(lambda n: nodes.String(str(n))),
        st.text(max_size=12).map(nodes.String),
    ),
)
schemathesis.graphql.scalar(
    "Upload",
    st.one_of(st.just(nodes.Null), st.text(max_size=20).map(nodes.String)),
)

# Every code the service gives its errors (src/error.rs, src/graphql/limits.rs, src/web/).
KNOWN_CODES = {
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "NOT_FOUND",
    "BAD_USER_INPUT",
    "BAD_REQUEST",
    "INELIGIBLE",
    "EXEMPT_INSTITUTION",
    "BANNED",
    "INVALID_TRANSITION",
    "CONFLICT",
    "RATE_LIMITED",
    "COST_LIMIT_EXCEEDED",
    "GRAPHQL_VALIDATION_FAILED",
}


def _errors(payload):
    """The errors of a single or a batched response."""
    items = payload if isinstance(payload, list) else [payload]
    for item in items:
        if isinstance(item, dict):
            for error in item.get("errors") or []:
                if isinstance(error, dict):
                    yield error


def _code(error):
    extensions = error.get("extensions")
    return extensions.get("code") if isinstance(extensions, dict) else None


@schemathesis.check
def server_failure(ctx, response, case):
    """HTTP 5xx, a body that is not JSON, or an error coded INTERNAL (or not coded at all)."""
    if response.status_code >= 500:
        raise AssertionError(f"HTTP {response.status_code}: {response.text[:500]}")
    try:
        payload = json.loads(response.content)
    except ValueError as exc:
        raise AssertionError(f"HTTP {response.status_code}, body is not JSON ({exc}): {response.text[:300]!r}")
    for error in _errors(payload):
        code = _code(error)
        if code == "INTERNAL":
            raise AssertionError(f"an INTERNAL error: {json.dumps(error, ensure_ascii=False)[:500]}")
        if code not in KNOWN_CODES:
            raise AssertionError(f"an error with an unknown code {code!r}: {json.dumps(error, ensure_ascii=False)[:500]}")
    return None
