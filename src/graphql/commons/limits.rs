//! Request limits, checked before validation and before any resolver (so before any SQL)
//! runs. Each refusal carries its own `extensions.code`.
//!
//! Every check here costs time linear in the request's size, whatever its shape: a
//! hostile document must be refused for less than it would cost to run. So:
//! - the text is scanned once, without recursion, for its length and the nesting of its
//!   brackets, before the parser (which recurses per level) ever sees it;
//! - the parsed document is summarised once per fragment (memoised), so a fragment
//!   spread a million times through a chain of doubling fragments is counted, not
//!   walked, and the size of the operation after expansion is known before validation
//!   (which does walk every spread) runs;
//! - argument values and variables are walked once, for their nesting and for the
//!   characters a database cannot store.

use std::{collections::HashMap, sync::Arc};

use async_graphql::{
    Name, Request, ServerError, ServerResult, ValidationResult, Variables,
    extensions::{
        Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest, NextValidation,
    },
    parser::types::{Directive, ExecutableDocument, Field, OperationType, Selection, SelectionSet},
};

use async_graphql_value::Value;

use super::{
    errors::{ErrorCode, parse_failed},
    operation,
    request::RequestContext,
    text::Text,
};
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

/// The root fields whose subtrees are introspection: their shape is fixed by the GraphQL
/// spec (GraphiQL's own query nests `ofType` nine times), so they are bounded by
/// `max_introspection_depth` instead of the depth limit of data.
const INTROSPECTION_ROOTS: &[&str] = &["__schema", "__type"];

/// Everything [`check_request`] checks, in order: the text, then the parsed document,
/// then the values. Parses the query into `request` (async-graphql reuses it), leaving
/// in it only the operation the request runs ([`select_operation`]).
pub fn check_request(request: &mut Request, limits: &RequestLimits) -> ServerResult<()> {
    check_whole_request(request, limits)?;
    select_operation(request)
}

/// Leaves in `request`'s parsed document only the operation it names and the fragments
/// that one reaches ([`operation::selected_only`]): async-graphql costs and reads the
/// arguments of every operation in a document, not only the one it runs.
/// A document of several operations must name one that it has.
pub fn select_operation(request: &mut Request) -> ServerResult<()> {
    let name = request.operation_name.clone();
    if let Ok(document) = request.parsed_query()
        && let Some(only) = operation::selected_only(document, name.as_deref())?
    {
        request.set_parsed_query(only);
    }
    Ok(())
}

/// [`check_request`] but for leaving out the operations the request does not run.
pub fn check_whole_request(request: &mut Request, limits: &RequestLimits) -> ServerResult<()> {
    check_text(&request.query, limits)?;
    let variables = std::mem::take(&mut request.variables);
    let checked = match request.parsed_query() {
        Err(error) => Err(parse_failed(error)),
        Ok(document) => check_document(document, limits)
            .and_then(|()| check_values(document, &variables, limits)),
    };
    request.variables = variables;
    checked
}

/// The query text's length and the nesting of its brackets, in one pass and before it
/// is parsed. Strings and comments are skipped, so a `{` inside them does not count.
pub fn check_text(query: &str, limits: &RequestLimits) -> ServerResult<()> {
    let chars = query.chars().count();
    if chars > limits.max_query_chars {
        return Err(ErrorCode::QueryTooLong.server_error(Text::QueryTooLong {
            chars: chars.to_string(),
            max: limits.max_query_chars.to_string(),
        }));
    }
    let nesting = bracket_nesting(query);
    if nesting > limits.max_nesting {
        return Err(too_nested(nesting, limits));
    }
    Ok(())
}

fn too_nested(nesting: usize, limits: &RequestLimits) -> ServerError {
    ErrorCode::QueryTooDeep.server_error(Text::TooNested {
        nesting: nesting.to_string(),
        max: limits.max_nesting.to_string(),
    })
}

/// The deepest nesting of `{`, `[` and `(` outside strings and comments.
fn bracket_nesting(query: &str) -> usize {
    let bytes = query.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                // A block string ends at the next unescaped `"""`.
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    deepest
}

/// What a selection set costs once its fragments are expanded. Counts saturate: a
/// document that overflows them is refused all the same.
#[derive(Clone, Copy, Default)]
struct Summary {
    /// Fields selected, each spread of a fragment counting its fields again.
    fields: usize,
    aliases: usize,
    directives: usize,
    /// Sensitive fields at the top level of the set (they count at a mutation's root).
    sensitive: usize,
    /// The deepest field, an introspection root counting as one.
    depth: usize,
    /// The deepest field, introspection included.
    full_depth: usize,
    /// The deepest introspection subtree.
    introspection_depth: usize,
    /// Selection sets, inline fragments and fragment spreads nested, as the parser and
    /// validation recurse over them.
    nesting: usize,
}

impl Summary {
    fn add(&mut self, other: &Summary) {
        self.fields = self.fields.saturating_add(other.fields);
        self.aliases = self.aliases.saturating_add(other.aliases);
        self.directives = self.directives.saturating_add(other.directives);
        self.sensitive = self.sensitive.saturating_add(other.sensitive);
        self.depth = self.depth.max(other.depth);
        self.full_depth = self.full_depth.max(other.full_depth);
        self.introspection_depth = self.introspection_depth.max(other.introspection_depth);
        self.nesting = self.nesting.max(other.nesting);
    }
}

/// Summarises each fragment once, however often it is spread.
struct Summaries<'a> {
    doc: &'a ExecutableDocument,
    limits: &'a RequestLimits,
    done: HashMap<&'a str, Summary>,
    /// Fragments being summarised: spreading one of them again is a cycle.
    open: Vec<&'a str>,
}

impl<'a> Summaries<'a> {
    fn fragment(&mut self, name: &'a Name, level: usize) -> ServerResult<Summary> {
        if let Some(summary) = self.done.get(name.as_str()) {
            return Ok(*summary);
        }
        if self.open.contains(&name.as_str()) {
            return Err(ErrorCode::BadUserInput.server_error(Text::FragmentCycle {
                name: name.to_string(),
            }));
        }
        let Some(fragment) = self.doc.fragments.get(name) else {
            // Validation names the unknown fragment.
            return Ok(Summary::default());
        };
        self.open.push(name.as_str());
        let mut summary = self.set(&fragment.node.selection_set.node, level)?;
        self.open.pop();
        summary.directives = summary
            .directives
            .saturating_add(fragment.node.directives.len());
        self.done.insert(name.as_str(), summary);
        Ok(summary)
    }

    /// `level` is how deep this set sits; recursion stops past the nesting limit, so it
    /// is bounded whatever the document.
    fn set(&mut self, set: &'a SelectionSet, level: usize) -> ServerResult<Summary> {
        if level > self.limits.max_nesting {
            return Err(too_nested(level, self.limits));
        }
        let mut summary = Summary::default();
        for item in &set.items {
            let item = match &item.node {
                Selection::Field(field) => self.field(&field.node, level)?,
                Selection::InlineFragment(fragment) => {
                    let mut inner = self.set(&fragment.node.selection_set.node, level + 1)?;
                    inner.directives = inner
                        .directives
                        .saturating_add(fragment.node.directives.len());
                    inner
                }
                Selection::FragmentSpread(spread) => {
                    let mut inner = self.fragment(&spread.node.fragment_name.node, level + 1)?;
                    inner.directives = inner
                        .directives
                        .saturating_add(spread.node.directives.len());
                    inner
                }
            };
            summary.add(&item);
        }
        summary.nesting = summary.nesting.saturating_add(1);
        Ok(summary)
    }

    fn field(&mut self, field: &'a Field, level: usize) -> ServerResult<Summary> {
        let children = &field.selection_set.node;
        let inner = if children.items.is_empty() {
            Summary::default()
        } else {
            self.set(children, level + 1)?
        };
        let name = field.name.node.as_str();
        let introspection = INTROSPECTION_ROOTS.contains(&name);
        Ok(Summary {
            fields: inner.fields.saturating_add(1),
            aliases: inner
                .aliases
                .saturating_add(usize::from(field.alias.is_some())),
            directives: inner.directives.saturating_add(field.directives.len()),
            sensitive: usize::from(SENSITIVE_FIELDS.contains(&name)),
            depth: if introspection { 1 } else { inner.depth + 1 },
            full_depth: inner.full_depth + 1,
            introspection_depth: if introspection {
                inner.full_depth + 1
            } else {
                inner.introspection_depth
            },
            nesting: inner.nesting,
        })
    }
}

/// The parsed document's size after fragments are expanded, its depth, nesting, aliases,
/// directives and sensitive fields; each fragment is summarised once.
pub fn check_document(doc: &ExecutableDocument, limits: &RequestLimits) -> ServerResult<()> {
    let mut summaries = Summaries {
        doc,
        limits,
        done: HashMap::new(),
        open: Vec::new(),
    };
    let mut total = Summary::default();
    let mut sensitive = 0usize;
    for (_, operation) in doc.operations.iter() {
        let operation = &operation.node;
        let mut summary = summaries.set(&operation.selection_set.node, 1)?;
        summary.directives = summary
            .directives
            .saturating_add(operation.directives.len())
            .saturating_add(
                operation
                    .variable_definitions
                    .iter()
                    .map(|v| v.node.directives.len())
                    .sum::<usize>(),
            );
        if operation.ty == OperationType::Mutation {
            sensitive = sensitive.saturating_add(summary.sensitive);
        }
        total.add(&summary);
    }
    // Fragments no operation spreads are still walked by validation (which then refuses
    // them as unused).
    for name in doc.fragments.keys() {
        if summaries.done.contains_key(name.as_str()) {
            continue;
        }
        let fragment = summaries.fragment(name, 1)?;
        total.fields = total.fields.saturating_add(fragment.fields);
        total.nesting = total.nesting.max(fragment.nesting);
    }
    if total.nesting > limits.max_nesting {
        return Err(too_nested(total.nesting, limits));
    }
    if total.fields > limits.max_fields {
        return Err(ErrorCode::QueryTooLarge.server_error(Text::TooManyFields {
            fields: total.fields.to_string(),
            max: limits.max_fields.to_string(),
        }));
    }
    if total.depth > limits.max_depth {
        return Err(ErrorCode::QueryTooDeep.server_error(Text::TooDeep {
            depth: total.depth.to_string(),
            max: limits.max_depth.to_string(),
        }));
    }
    if total.introspection_depth > limits.max_introspection_depth {
        return Err(
            ErrorCode::QueryTooDeep.server_error(Text::IntrospectionTooDeep {
                depth: total.introspection_depth.to_string(),
                max: limits.max_introspection_depth.to_string(),
            }),
        );
    }
    if total.aliases > limits.max_aliases {
        return Err(
            ErrorCode::TooManyAliases.server_error(Text::TooManyAliases {
                aliases: total.aliases.to_string(),
                max: limits.max_aliases.to_string(),
            }),
        );
    }
    if total.directives > limits.max_directives {
        return Err(
            ErrorCode::TooManyDirectives.server_error(Text::TooManyDirectives {
                directives: total.directives.to_string(),
                max: limits.max_directives.to_string(),
            }),
        );
    }
    if sensitive > limits.max_sensitive_fields {
        return Err(
            ErrorCode::TooManySensitiveFields.server_error(Text::TooManySensitiveFields {
                max: limits.max_sensitive_fields.to_string(),
                found: sensitive.to_string(),
            }),
        );
    }
    Ok(())
}

/// Where a refused value was found, to name it in the error.
enum Origin<'a> {
    Argument { field: &'a str },
    Directive { name: &'a str },
    Variable,
}

/// Every argument value of the document and every variable: nested no deeper than the
/// limit, and with no character PostgreSQL cannot store in text (NUL). SQLite would take
/// it, so refusing it here keeps both databases answering alike.
pub fn check_values(
    doc: &ExecutableDocument,
    variables: &Variables,
    limits: &RequestLimits,
) -> ServerResult<()> {
    let mut path = Vec::new();
    for (name, value) in variables.iter() {
        path.push(name.to_string());
        check_value(
            &Value::from(value.clone()),
            &Origin::Variable,
            &mut path,
            limits,
        )?;
        path.pop();
    }
    for (_, operation) in doc.operations.iter() {
        let operation = &operation.node;
        check_directive_values(&operation.directives, &mut path, limits)?;
        for definition in &operation.variable_definitions {
            let definition = &definition.node;
            check_directive_values(&definition.directives, &mut path, limits)?;
            if let Some(default) = &definition.default_value {
                path.push(definition.name.node.to_string());
                check_value(
                    &Value::from(default.node.clone()),
                    &Origin::Variable,
                    &mut path,
                    limits,
                )?;
                path.pop();
            }
        }
        check_set_values(&operation.selection_set.node, &mut path, limits)?;
    }
    for fragment in doc.fragments.values() {
        check_directive_values(&fragment.node.directives, &mut path, limits)?;
        check_set_values(&fragment.node.selection_set.node, &mut path, limits)?;
    }
    Ok(())
}

fn check_set_values(
    set: &SelectionSet,
    path: &mut Vec<String>,
    limits: &RequestLimits,
) -> ServerResult<()> {
    for item in &set.items {
        check_directive_values(item.node.directives(), path, limits)?;
        match &item.node {
            Selection::Field(field) => {
                let field = &field.node;
                for (name, value) in &field.arguments {
                    path.push(name.node.to_string());
                    let origin = Origin::Argument {
                        field: field.name.node.as_str(),
                    };
                    check_value(&value.node, &origin, path, limits)?;
                    path.pop();
                }
                check_set_values(&field.selection_set.node, path, limits)?;
            }
            Selection::InlineFragment(fragment) => {
                check_set_values(&fragment.node.selection_set.node, path, limits)?;
            }
            Selection::FragmentSpread(_) => {}
        }
    }
    Ok(())
}

fn check_directive_values(
    directives: &[async_graphql::Positioned<Directive>],
    path: &mut Vec<String>,
    limits: &RequestLimits,
) -> ServerResult<()> {
    for directive in directives {
        for (name, value) in &directive.node.arguments {
            path.push(name.node.to_string());
            let origin = Origin::Directive {
                name: directive.node.name.node.as_str(),
            };
            check_value(&value.node, &origin, path, limits)?;
            path.pop();
        }
    }
    Ok(())
}

fn check_value(
    value: &Value,
    origin: &Origin<'_>,
    path: &mut Vec<String>,
    limits: &RequestLimits,
) -> ServerResult<()> {
    if path.len() > limits.max_nesting {
        return Err(too_nested(path.len(), limits));
    }
    match value {
        Value::String(text) if text.contains('\0') => {
            let at = path.join(".");
            let message = match origin {
                Origin::Argument { field } => Text::NulInArgument {
                    at,
                    field: field.to_string(),
                },
                Origin::Directive { name } => Text::NulInDirectiveArgument {
                    at,
                    name: name.to_string(),
                },
                Origin::Variable => Text::NulInVariable { at },
            };
            let mut error = ErrorCode::BadUserInput.server_error(message);
            error
                .extensions
                .get_or_insert_with(Default::default)
                .set("field", path.clone());
            Err(error)
        }
        Value::List(items) => {
            for (index, item) in items.iter().enumerate() {
                path.push(index.to_string());
                check_value(item, origin, path, limits)?;
                path.pop();
            }
            Ok(())
        }
        Value::Object(fields) => {
            for (name, item) in fields {
                path.push(name.to_string());
                check_value(item, origin, path, limits)?;
                path.pop();
            }
            Ok(())
        }
        _ => Ok(()),
    }
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

fn too_complex(complexity: usize, budget: usize) -> ServerError {
    ErrorCode::QueryTooComplex.server_error(Text::TooComplex {
        complexity: complexity.to_string(),
        budget: budget.to_string(),
    })
}

/// The limits as an extension, for the schema that words refusals and serves WebSocket
/// operations (see `graphql::Schemas`).
pub struct Limits(pub Arc<RequestLimits>);

impl ExtensionFactory for Limits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(LimitsGuard(self.0.clone()))
    }
}

struct LimitsGuard(Arc<RequestLimits>);

#[async_graphql::async_trait::async_trait]
impl Extension for LimitsGuard {
    /// Before async-graphql parses (it would then check its own recursion limit by
    /// walking every spread) and validates.
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        check_request(&mut request, &self.0)?;
        next.run(ctx, request).await
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> RequestLimits {
        RequestLimits::default()
    }

    fn check(query: &str) -> Result<(), String> {
        let mut request = Request::new(query);
        check_request(&mut request, &limits()).map_err(|e| {
            let code = e
                .extensions
                .as_ref()
                .and_then(|x| x.get("code").cloned())
                .map(|c| c.to_string())
                .unwrap_or_default();
            format!("{code}: {}", e.message)
        })
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_nest() {
        assert_eq!(bracket_nesting("{ a(x: \"[[[[\") }"), 2);
        assert_eq!(bracket_nesting("{ a # [[[[[\n }"), 1);
        assert_eq!(
            bracket_nesting("{ a(x: \"\"\" [[[ \\\"\"\" [[[ \"\"\") }"),
            2
        );
        assert_eq!(bracket_nesting("{ a(x: \"\\\" [[[\") }"), 2);
        assert_eq!(bracket_nesting("{ a(x: [[[1]]]) }"), 5);
        // Unbalanced text does not underflow; the parser reports it.
        assert_eq!(bracket_nesting("}}} {"), 1);
    }

    #[test]
    fn deep_values_are_refused_before_parsing() {
        let deep = format!(
            "{{ nodes(ids: {}1{}) {{ id }} }}",
            "[".repeat(1500),
            "]".repeat(1500)
        );
        assert!(check(&deep).unwrap_err().starts_with("\"QUERY_TOO_DEEP\""));
    }

    #[test]
    fn a_doubling_fragment_chain_is_counted_not_walked() {
        let mut query = String::from("{ ...F0 }");
        for level in 0..60 {
            query.push_str(&format!(
                " fragment F{level} on Query {{ ...F{next} ...F{next} }}",
                next = level + 1
            ));
        }
        query.push_str(" fragment F60 on Query { __typename }");
        let limits = RequestLimits {
            max_nesting: 200,
            ..limits()
        };
        let mut request = Request::new(query);
        let error = check_request(&mut request, &limits).unwrap_err();
        assert!(
            error.message.contains("fields once its fragments"),
            "{}",
            error.message
        );
    }

    #[test]
    fn a_fragment_cycle_is_refused() {
        let error = check("{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }")
            .unwrap_err();
        assert!(error.contains("within itself"), "{error}");
    }

    #[test]
    fn introspection_depth_has_its_own_limit() {
        let mut query = String::from("{ __schema { types { fields { type ");
        let mut close = String::from("} } } }");
        for _ in 0..9 {
            query.push_str("{ ofType ");
            close.push_str(" }");
        }
        let query = format!("{query}{{ name }} {close}");
        assert_eq!(check(&query), Ok(()));
    }

    #[test]
    fn nul_in_a_variable_names_it() {
        let mut request = Request::new("query($d: String!) { __typename }").variables(
            Variables::from_json(serde_json::json!({ "d": { "input": ["ok", "a\u{0}b"] } })),
        );
        let error = check_request(&mut request, &limits()).unwrap_err();
        assert!(error.message.contains("`$d.input.1`"), "{}", error.message);
    }
}
