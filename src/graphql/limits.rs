//! What one HTTP request may ask for, whatever it holds: every operation of a batch and
//! every alias draw on one budget, so a request cannot multiply its allowance by batching
//! or aliasing.
//!
//! async-graphql checks depth and complexity per operation. [`RequestLimits`] adds, per
//! HTTP request:
//! - a cost budget: the sum of the operations' complexities (each field costs 1, a
//!   connection multiplies its nodes by `first`/`last`, analytics fields weigh
//!   [`ANALYTICS_COST`]); anonymous callers get a smaller one;
//! - a cap on aliases and on directives, counted over the whole request;
//! - directives that are unknown, or repeated where the schema does not allow it, are
//!   validation errors everywhere (async-graphql lets them through on `__typename`).
//!
//! Nothing runs until every operation of the request has been checked: each operation
//! waits at the start of its execution until all of them are settled, and if the request
//! as a whole is over budget every operation is refused before any resolver runs.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextRequest, NextValidation,
};
use async_graphql::parser::types::{Directive, ExecutableDocument, Selection, SelectionSet};
use async_graphql::{
    ErrorExtensions as _, Positioned, Response, ServerError, ServerResult, ValidationResult, Variables,
};
use tokio::sync::watch;

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

/// One HTTP request's budget, shared by the operations it carries.
#[derive(Debug)]
pub struct RequestBudget {
    allowance: Allowance,
    spent: AtomicUsize,
    aliases: AtomicUsize,
    directives: AtomicUsize,
    over: AtomicBool,
    /// Operations not yet settled (checked, or failed before they could be).
    unsettled: watch::Sender<usize>,
}

impl RequestBudget {
    /// A budget for a request of `operations` operations.
    pub fn new(allowance: Allowance, operations: usize) -> Arc<Self> {
        Arc::new(Self {
            allowance,
            spent: AtomicUsize::new(0),
            aliases: AtomicUsize::new(0),
            directives: AtomicUsize::new(0),
            over: AtomicBool::new(false),
            unsettled: watch::channel(operations).0,
        })
    }

    /// Adds `amount` to `counter`, and reports whether the request is now past `limit`.
    fn charge(&self, counter: &AtomicUsize, amount: usize, limit: usize) -> bool {
        let total = counter.fetch_add(amount, Ordering::SeqCst).saturating_add(amount);
        let past = total > limit;
        if past {
            self.over.store(true, Ordering::SeqCst);
        }
        past
    }

    fn settle_one(&self) {
        self.unsettled.send_modify(|n| *n = n.saturating_sub(1));
    }

    /// Waits until every operation of the request is settled; true when the request as a
    /// whole stayed within its allowance.
    async fn all_settled_within(&self) -> bool {
        let mut settled = self.unsettled.subscribe();
        // The sender lives as long as `self`, so waiting cannot fail.
        let _ = settled.wait_for(|n| *n == 0).await;
        !self.over.load(Ordering::SeqCst)
    }
}

/// The schema extension that enforces [`RequestBudget`]s. Requests without a budget in
/// their data (the SDL printer, tests of the schema alone) are not limited.
pub struct RequestLimits;

impl ExtensionFactory for RequestLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(OperationLimits::default())
    }
}

/// One operation's part in its request's budget.
#[derive(Default)]
struct OperationLimits {
    budget: OnceLock<Arc<RequestBudget>>,
    settled: AtomicBool,
}

impl OperationLimits {
    fn settle(&self) {
        if let Some(budget) = self.budget.get()
            && !self.settled.swap(true, Ordering::SeqCst)
        {
            budget.settle_one();
        }
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
impl Extension for OperationLimits {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let response = next.run(ctx).await;
        // An operation that failed before it was checked must not hold the others up.
        self.settle();
        response
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let Some(budget) = ctx.data_opt::<Arc<RequestBudget>>() else {
            return next.run(ctx, query, variables).await;
        };
        let _ = self.budget.set(budget.clone());
        let checked = next.run(ctx, query, variables).await.and_then(|document| {
            let counts = Counts::of(&document, ctx)?;
            let allowance = budget.allowance;
            if budget.charge(&budget.aliases, counts.aliases, allowance.aliases) {
                return Err(refusal(format!("a request may use at most {} aliases", allowance.aliases)));
            }
            if budget.charge(&budget.directives, counts.directives, allowance.directives) {
                return Err(refusal(format!(
                    "a request may use at most {} directives",
                    allowance.directives
                )));
            }
            Ok(document)
        });
        if checked.is_err() {
            self.settle();
        }
        checked
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await;
        if let (Ok(validated), Some(budget)) = (&result, self.budget.get()) {
            budget.charge(&budget.spent, validated.complexity, budget.allowance.cost);
        }
        self.settle();
        result
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        if let Some(budget) = self.budget.get()
            && !budget.all_settled_within().await
        {
            let allowance = budget.allowance;
            return Response::from_errors(vec![refusal(format!(
                "the request is over its budget (cost {} of {}, aliases {} of {}, directives {} of {}); \
                 ask for fewer fields, smaller pages or fewer operations at once",
                budget.spent.load(Ordering::SeqCst),
                allowance.cost,
                budget.aliases.load(Ordering::SeqCst),
                allowance.aliases,
                budget.directives.load(Ordering::SeqCst),
                allowance.directives,
            ))]);
        }
        next.run(ctx, operation_name).await
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
