//! Request limits, checked after parsing and validation and before any resolver (so
//! before any SQL) runs. async-graphql enforces none of these with a code of its own,
//! so each refusal here carries `extensions.code`.

use std::sync::Arc;

use async_graphql::{
    ServerError, ServerResult, ValidationResult, Variables,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextValidation},
    parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet},
};

use super::{context::RequestContext, errors::ErrorCode};
use crate::{auth::Viewer, config::RequestLimits};

/// Fields that move money, check a password or write rows without a login: one per
/// document, so that a single request cannot try a thousand passwords, pay twice or store
/// a thousand leads through aliases.
pub const SENSITIVE_FIELDS: &[&str] = &[
    "login",
    "refreshToken",
    "changePassword",
    "payInvoices",
    "recordRecharge",
    "payStatement",
    "createLead",
];

/// Fragment nesting we follow while counting; deeper documents are refused anyway.
const MAX_FRAGMENT_NESTING: usize = 64;

pub struct Limits(pub Arc<RequestLimits>);

impl ExtensionFactory for Limits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(LimitsGuard(self.0.clone()))
    }
}

struct LimitsGuard(Arc<RequestLimits>);

#[derive(Default)]
struct Counts {
    aliases: usize,
    directives: usize,
    sensitive: usize,
    too_nested: bool,
}

fn count_selection_set(
    doc: &ExecutableDocument,
    set: &SelectionSet,
    root_of_mutation: bool,
    stack: &mut Vec<String>,
    counts: &mut Counts,
) {
    if stack.len() > MAX_FRAGMENT_NESTING {
        counts.too_nested = true;
        return;
    }
    for item in &set.items {
        match &item.node {
            Selection::Field(field) => {
                let field = &field.node;
                counts.aliases += usize::from(field.alias.is_some());
                counts.directives += field.directives.len();
                if root_of_mutation && SENSITIVE_FIELDS.contains(&field.name.node.as_str()) {
                    counts.sensitive += 1;
                }
                count_selection_set(doc, &field.selection_set.node, false, stack, counts);
            }
            Selection::InlineFragment(fragment) => {
                counts.directives += fragment.node.directives.len();
                count_selection_set(
                    doc,
                    &fragment.node.selection_set.node,
                    root_of_mutation,
                    stack,
                    counts,
                );
            }
            Selection::FragmentSpread(spread) => {
                counts.directives += spread.node.directives.len();
                let name = spread.node.fragment_name.node.as_str();
                // A cycle is a validation error reported later; here it just stops.
                if stack.iter().any(|n| n == name) {
                    continue;
                }
                if let Some(fragment) = doc.fragments.get(&spread.node.fragment_name.node) {
                    counts.directives += fragment.node.directives.len();
                    stack.push(name.to_string());
                    count_selection_set(
                        doc,
                        &fragment.node.selection_set.node,
                        root_of_mutation,
                        stack,
                        counts,
                    );
                    stack.pop();
                }
            }
        }
    }
}

/// The query text's length, before it is parsed.
pub fn check_text(query: &str, limits: &RequestLimits) -> ServerResult<()> {
    let chars = query.chars().count();
    if chars > limits.max_query_chars {
        return Err(ErrorCode::QueryTooLong.server_error(format!(
            "The query has {chars} characters; at most {} are allowed",
            limits.max_query_chars
        )));
    }
    Ok(())
}

/// The parsed document's aliases, directives, sensitive fields and fragment nesting.
pub fn check_document(doc: &ExecutableDocument, limits: &RequestLimits) -> ServerResult<()> {
    let mut counts = Counts::default();
    for (_, operation) in doc.operations.iter() {
        let operation = &operation.node;
        counts.directives += operation.directives.len();
        counts.directives += operation
            .variable_definitions
            .iter()
            .map(|v| v.node.directives.len())
            .sum::<usize>();
        let is_mutation = operation.ty == OperationType::Mutation;
        let mut stack = Vec::new();
        count_selection_set(
            doc,
            &operation.selection_set.node,
            is_mutation,
            &mut stack,
            &mut counts,
        );
    }
    if counts.too_nested {
        return Err(ErrorCode::QueryTooDeep.server_error("Fragments are nested too deeply"));
    }
    if counts.aliases > limits.max_aliases {
        return Err(ErrorCode::TooManyAliases.server_error(format!(
            "The document uses {} aliases; at most {} are allowed",
            counts.aliases, limits.max_aliases
        )));
    }
    if counts.directives > limits.max_directives {
        return Err(ErrorCode::TooManyDirectives.server_error(format!(
            "The document uses {} directives; at most {} are allowed",
            counts.directives, limits.max_directives
        )));
    }
    if counts.sensitive > limits.max_sensitive_fields {
        return Err(ErrorCode::TooManySensitiveFields.server_error(format!(
            "Send at most {} sensitive field (login, money-moving, public write) per request ({} found)",
            limits.max_sensitive_fields, counts.sensitive
        )));
    }
    Ok(())
}

/// The complexity a caller's query may cost: staff's back-office listings cost more than
/// a driver's own screens, which cost more than what anyone may ask anonymously.
pub fn complexity_budget(viewer: Option<&Viewer>, limits: &RequestLimits) -> usize {
    match viewer {
        Some(v) if v.is_staff() => limits.max_staff_complexity,
        Some(_) => limits.max_client_complexity,
        None => limits.max_complexity,
    }
}

fn too_deep(depth: usize, limits: &RequestLimits) -> ServerError {
    ErrorCode::QueryTooDeep.server_error(format!(
        "The query is nested {depth} levels deep; at most {} are allowed",
        limits.max_depth
    ))
}

fn too_complex(complexity: usize, budget: usize) -> ServerError {
    ErrorCode::QueryTooComplex.server_error(format!(
        "The query costs {complexity} (each list costs its page size times its fields); at most {budget} is allowed"
    ))
}

#[async_graphql::async_trait::async_trait]
impl Extension for LimitsGuard {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        check_text(query, &self.0)?;
        let doc = next.run(ctx, query, variables).await?;
        check_document(&doc, &self.0)?;
        Ok(doc)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        if result.depth > self.0.max_depth {
            return Err(vec![too_deep(result.depth, &self.0)]);
        }
        let viewer = ctx
            .data_opt::<RequestContext>()
            .and_then(|r| r.viewer.as_ref());
        let budget = complexity_budget(viewer, &self.0);
        if result.complexity > budget {
            return Err(vec![too_complex(result.complexity, budget)]);
        }
        Ok(result)
    }
}
