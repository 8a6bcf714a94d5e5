//! What one HTTP request may ask for, whatever it holds: every operation of a batch and
//! every alias draw on one budget, so a request cannot multiply its allowance by batching
//! or aliasing.
//!
//! async-graphql checks depth per operation. Per HTTP request, [`screen`] adds:
//! - a cost budget: the sum of the operations' complexities (each field costs 1, a
//!   connection multiplies its nodes by `first`/`last`, analytics fields weigh
//!   [`ANALYTICS_COST`]); anonymous callers get a smaller one;
//! - a cap on aliases and on directives, counted over the whole request;
//! - directives that are unknown, or repeated where the schema does not allow it, are
//!   validation errors everywhere (async-graphql lets them through on `__typename`);
//! - the mutation gate ([`super::gate`]).
//!
//! Nothing runs until every operation of the request has been checked, and if the request
//! as a whole is over budget every operation is refused before any resolver runs.
//!
//! The checks run on a schema of their own. Complexity is known only inside async-graphql's
//! validation, which only an extension sees; but a schema with any extension runs every
//! field of every answer through the extension chain (a registry lookup, a `ResolveInfo`
//! and boxed futures per field), which cost a page of institutions about a fifth of its
//! CPU. So [`Schemas::check`](super::Schemas) carries the [`Measuring`] extension, validates
//! each operation in full and stops before execution, and the schema that runs the
//! admitted operations has no extension and validates only what execution needs.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextValidation,
};
use async_graphql::parser::types::{Directive, ExecutableDocument, Selection, SelectionSet};
use async_graphql::{
    ErrorExtensions as _, Positioned, Request, Response, ServerError, ServerResult, ValidationResult,
    Variables,
};

use crate::authz::Authorizer;
use crate::graphql::documents::Documents;
use crate::graphql::{AppSchema, gate};
use crate::identity::Caller;

/// What a field answering from an aggregate over many rows (coverage, compliance) costs.
pub const ANALYTICS_COST: usize = 2_000;

/// `extensions.code` of a request refused for what it would cost.
pub const COST_LIMIT_EXCEEDED: &str = "COST_LIMIT_EXCEEDED";
/// `extensions.code` of a request that does not parse or validate against the schema.
pub const GRAPHQL_VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";

/// The allowance of one HTTP request.
#[derive(Debug, Clone, Copy)]
pub struct Allowance {
    /// Largest total complexity of all operations.
    pub cost: usize,
    /// Most aliased fields in all operations.
    pub aliases: usize,
    /// Most directives in all operations.
    pub directives: usize,
}

/// Who sends a request and what it may spend: what [`screen`] checks it against.
pub struct Admission<'a> {
    pub allowance: Allowance,
    pub authz: &'a Authorizer,
    pub caller: &'a Caller,
}

/// What operations ask for, summed.
#[derive(Debug, Default, Clone, Copy)]
struct Demand {
    cost: usize,
    aliases: usize,
    directives: usize,
}

impl Demand {
    fn add(&mut self, other: Self) {
        self.cost = self.cost.saturating_add(other.cost);
        self.aliases = self.aliases.saturating_add(other.aliases);
        self.directives = self.directives.saturating_add(other.directives);
    }

    fn within(&self, allowance: Allowance) -> bool {
        self.cost <= allowance.cost
            && self.aliases <= allowance.aliases
            && self.directives <= allowance.directives
    }
}

/// Checks every operation of one request against `admission` on the `checker` schema,
/// before any of them runs, each parsed through `documents`. Returns, for each operation
/// in order, the response refusing it, or `None` for one that may run.
pub(crate) async fn screen(
    checker: &AppSchema,
    documents: &Documents,
    requests: &mut [Request],
    admission: &Admission<'_>,
) -> Vec<Option<Response>> {
    let mut verdicts = Vec::with_capacity(requests.len());
    let mut total = Demand::default();
    for request in requests.iter_mut() {
        let verdict = check(checker, documents, request, admission).await;
        if let Ok(demand) = &verdict {
            total.add(*demand);
        }
        verdicts.push(verdict.err());
    }
    if total.within(admission.allowance) {
        return verdicts;
    }
    let allowance = admission.allowance;
    let message = format!(
        "the request is over its budget (cost {} of {}, aliases {} of {}, directives {} of {}); \
         ask for fewer fields, smaller pages or fewer operations at once",
        total.cost, allowance.cost, total.aliases, allowance.aliases, total.directives, allowance.directives,
    );
    verdicts
        .into_iter()
        .map(|v| v.or_else(|| Some(Response::from_errors(vec![refusal(message.clone())]))))
        .collect()
}

/// One operation's demand, or the response refusing it: it does not parse, the gate
/// refuses it, or it does not validate.
async fn check(
    checker: &AppSchema,
    documents: &Documents,
    request: &mut Request,
    admission: &Admission<'_>,
) -> Result<Demand, Response> {
    let document = documents.parse(request).map_err(|error| Response::from_errors(vec![error]))?;
    let refused =
        gate::refusals(&document, request.operation_name.as_deref(), admission.authz, admission.caller);
    if !refused.is_empty() {
        return Err(Response::from_errors(refused));
    }
    let meter = Arc::new(Meter::default());
    let mut probe =
        Request::new(request.query.clone()).variables(request.variables.clone()).data(meter.clone());
    probe.operation_name.clone_from(&request.operation_name);
    probe.introspection_mode = request.introspection_mode;
    probe.set_parsed_query(document);
    let response = checker.execute(probe).await;
    if response.is_err() {
        return Err(response);
    }
    Ok(*meter.demand.lock().unwrap_or_else(PoisonError::into_inner))
}

/// What one operation asks for, filled in by [`Measuring`] from the request's data.
#[derive(Default)]
struct Meter {
    demand: Mutex<Demand>,
}

impl Meter {
    fn of<'a>(ctx: &'a ExtensionContext<'_>) -> Option<&'a Arc<Meter>> {
        ctx.data_opt::<Arc<Meter>>()
    }

    fn record(&self, f: impl FnOnce(&mut Demand)) {
        f(&mut self.demand.lock().unwrap_or_else(PoisonError::into_inner));
    }
}

/// The extension of the checking schema: it counts an operation's aliases and directives
/// and takes its complexity from validation, into the [`Meter`] in the request's data,
/// and stops the operation before it executes. A request without a meter runs as usual.
pub struct Measuring;

impl ExtensionFactory for Measuring {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Measuring)
    }
}

fn refusal(message: String) -> ServerError {
    async_graphql::Error::new(message)
        .extend_with(|_, ext| ext.set("code", COST_LIMIT_EXCEEDED))
        .into_server_error(async_graphql::Pos::default())
}

fn invalid(message: String, pos: async_graphql::Pos) -> ServerError {
    async_graphql::Error::new(message)
        .extend_with(|_, ext| ext.set("code", GRAPHQL_VALIDATION_FAILED))
        .into_server_error(pos)
}

#[async_graphql::async_trait::async_trait]
impl Extension for Measuring {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let counts = Counts::of(&document, ctx)?;
        if let Some(meter) = Meter::of(ctx) {
            meter.record(|d| {
                d.aliases = counts.aliases;
                d.directives = counts.directives;
            });
        }
        Ok(document)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let validated = next.run(ctx).await?;
        if let Some(meter) = Meter::of(ctx) {
            meter.record(|d| d.cost = validated.complexity);
        }
        Ok(validated)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        if Meter::of(ctx).is_some() { Response::default() } else { next.run(ctx, operation_name).await }
    }
}

/// Aliases and directives in a document, counted once per place they are written.
#[derive(Debug, Default)]
struct Counts {
    aliases: usize,
    directives: usize,
}

impl Counts {
    /// Counts, and refuses unknown directives and repeated non-repeatable ones.
    fn of(document: &ExecutableDocument, ctx: &ExtensionContext<'_>) -> ServerResult<Self> {
        let mut counts = Self::default();
        for (_, operation) in document.operations.iter() {
            counts.directives_at(&operation.node.directives, ctx)?;
            counts.selections(&operation.node.selection_set, ctx)?;
        }
        for fragment in document.fragments.values() {
            counts.directives_at(&fragment.node.directives, ctx)?;
            counts.selections(&fragment.node.selection_set, ctx)?;
        }
        Ok(counts)
    }

    fn selections(&mut self, set: &Positioned<SelectionSet>, ctx: &ExtensionContext<'_>) -> ServerResult<()> {
        for selection in &set.node.items {
            match &selection.node {
                Selection::Field(field) => {
                    self.aliases += usize::from(field.node.alias.is_some());
                    self.directives_at(&field.node.directives, ctx)?;
                    self.selections(&field.node.selection_set, ctx)?;
                }
                Selection::FragmentSpread(spread) => self.directives_at(&spread.node.directives, ctx)?,
                Selection::InlineFragment(inline) => {
                    self.directives_at(&inline.node.directives, ctx)?;
                    self.selections(&inline.node.selection_set, ctx)?;
                }
            }
        }
        Ok(())
    }

    fn directives_at(
        &mut self,
        directives: &[Positioned<Directive>],
        ctx: &ExtensionContext<'_>,
    ) -> ServerResult<()> {
        let known = &ctx.schema_env.registry.directives;
        let mut seen = HashSet::new();
        for directive in directives {
            self.directives += 1;
            let name = directive.node.name.node.as_str();
            let Some(meta) = known.get(name) else {
                return Err(invalid(format!("unknown directive @{name}"), directive.pos));
            };
            if !seen.insert(name) && !meta.is_repeatable {
                return Err(invalid(format!("directive @{name} may appear only once here"), directive.pos));
            }
        }
        Ok(())
    }
}
