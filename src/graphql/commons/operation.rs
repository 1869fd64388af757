//! The one operation a request runs, alone in its document.
//!
//! GraphiQL sends the whole editor, every operation in it, with the name of the one to
//! run; so do clients that keep several operations in one file. async-graphql validates
//! and costs such a document as a whole: the complexity of every operation is added up
//! (a light query beside a heavy one was refused for the heavy one's cost) and each one's
//! arguments are read with the request's variables (running `Count` beside
//! `Few($n: Int!)` failed: `$n` was not given). So the document async-graphql gets holds
//! only the operation the request names, and the fragments it spreads, directly or
//! through others. The request limits still check the whole text and document first.

use std::collections::HashSet;

use async_graphql::{
    Name, Positioned, ServerResult,
    parser::types::{DocumentOperations, ExecutableDocument, Selection, SelectionSet},
};

use super::{errors::ErrorCode, text::Text};

/// `document` with only the operation named `name` and the fragments it reaches; `None`
/// when there is nothing to leave out (one operation). A document of several operations
/// with no name, or none of that name, is refused: async-graphql would cost the others
/// first, and could refuse them instead (a variable they need, their cost).
pub fn selected_only(
    document: &ExecutableDocument,
    name: Option<&str>,
) -> ServerResult<Option<ExecutableDocument>> {
    let DocumentOperations::Multiple(operations) = &document.operations else {
        return Ok(None);
    };
    if operations.len() == 1 && name.is_none_or(|n| operations.contains_key(n)) {
        return Ok(None);
    }
    let Some(name) = name else {
        return Err(ErrorCode::BadRequest.server_error(Text::OperationNameRequired));
    };
    let Some((name, operation)) = operations.get_key_value(name) else {
        let name = name.to_string();
        return Err(ErrorCode::BadRequest.server_error(Text::UnknownOperation { name }));
    };
    let mut reached = HashSet::new();
    let mut pending = vec![&operation.node.selection_set];
    while let Some(set) = pending.pop() {
        for spread in spreads(set) {
            if let Some(fragment) = document.fragments.get(spread)
                && reached.insert(spread.clone())
            {
                pending.push(&fragment.node.selection_set);
            }
        }
    }
    Ok(Some(ExecutableDocument {
        operations: DocumentOperations::Multiple(
            [(name.clone(), operation.clone())].into_iter().collect(),
        ),
        fragments: document
            .fragments
            .iter()
            .filter(|(fragment, _)| reached.contains(*fragment))
            .map(|(fragment, definition)| (fragment.clone(), definition.clone()))
            .collect(),
    }))
}

/// The names of the fragments `set` spreads, through its fields and inline fragments.
fn spreads(set: &Positioned<SelectionSet>) -> Vec<&Name> {
    let mut names = Vec::new();
    let mut pending = vec![set];
    while let Some(set) = pending.pop() {
        for selection in &set.node.items {
            match &selection.node {
                Selection::Field(field) => pending.push(&field.node.selection_set),
                Selection::InlineFragment(inline) => pending.push(&inline.node.selection_set),
                Selection::FragmentSpread(spread) => names.push(&spread.node.fragment_name.node),
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(document: &ExecutableDocument) -> (Vec<String>, Vec<String>) {
        let mut operations: Vec<String> = match &document.operations {
            DocumentOperations::Single(_) => vec![String::new()],
            DocumentOperations::Multiple(map) => map.keys().map(|k| k.to_string()).collect(),
        };
        let mut fragments: Vec<String> = document.fragments.keys().map(|k| k.to_string()).collect();
        operations.sort();
        fragments.sort();
        (operations, fragments)
    }

    #[test]
    fn the_named_operation_keeps_the_fragments_it_reaches() {
        let document = async_graphql::parser::parse_query(
            "query A { me { ...F } } query B { me { ... on Client { ...G } } }
             fragment F on User { id } fragment G on Client { ...H } fragment H on Client { id }",
        )
        .unwrap();
        let only_b = selected_only(&document, Some("B")).unwrap().unwrap();
        assert_eq!(
            names(&only_b),
            (vec!["B".into()], vec!["G".into(), "H".into()])
        );
        let only_a = selected_only(&document, Some("A")).unwrap().unwrap();
        assert_eq!(names(&only_a), (vec!["A".into()], vec!["F".into()]));
        assert!(selected_only(&document, Some("C")).is_err());
        assert!(selected_only(&document, None).is_err());
    }

    #[test]
    fn a_lone_operation_is_left_as_it_is() {
        let document = async_graphql::parser::parse_query("{ me { id } }").unwrap();
        assert!(selected_only(&document, None).unwrap().is_none());
        let named = async_graphql::parser::parse_query("query A { me { id } }").unwrap();
        assert!(selected_only(&named, Some("A")).unwrap().is_none());
        assert!(selected_only(&named, None).unwrap().is_none());
        assert!(selected_only(&named, Some("B")).is_err());
    }
}
