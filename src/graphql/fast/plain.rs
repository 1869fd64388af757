//! Lists whose items are answered straight from the rows they hold.
//!
//! async-graphql resolves every field of every object through its own future, a boxed
//! state machine that is created, polled and inserted into the object's map: on a page of
//! 500 drivers with ten invoices per contract that is most of the server's work. Many
//! fields need none of it: they read a column of the row the object already holds, take
//! no argument, load nothing and cannot fail. An object type lists such fields in a
//! [`PlainFields`] function (reading its [`super::columns`]); a [`PlainList`] of it whose
//! selection asks only for those fields (and `__typename`) builds its items' values
//! directly. Any other selection (a relation, an argument, a directive, a fragment)
//! resolves the usual way, so the answer is the same whichever path builds it;
//! `tests/api/contracts.rs` compares the two.

use std::borrow::Cow;

use async_graphql::{
    ContextSelectionSet, Name, OutputType, Positioned, ServerResult, Value,
    indexmap::IndexMap,
    parser::types::{Field, Selection},
    registry::Registry,
};

use super::raw;

/// The value of `item`'s field `name` when it is plain, `None` when it is not (or when
/// there is no such field): then the list resolves the usual way.
pub type PlainFields<T> = fn(&T, &str) -> Option<Value>;

/// A list field's items, with the fields that can be read straight from them.
pub struct PlainList<'a, T> {
    items: Vec<&'a T>,
    plain: Option<PlainFields<T>>,
    /// The items' values as JSON text, already built for this selection by PostgreSQL
    /// ([`super::compiled`]).
    compiled: Option<&'a [String]>,
}

impl<'a, T> PlainList<'a, T> {
    /// `plain` is `None` for a type with no plain field: the list always resolves the
    /// usual way.
    pub fn new(items: Vec<&'a T>, plain: Option<PlainFields<T>>) -> Self {
        Self {
            items,
            plain,
            compiled: None,
        }
    }

    /// A list whose items PostgreSQL built for the field's selection, as JSON text.
    pub fn compiled(json: &'a [String]) -> Self {
        Self {
            items: Vec::new(),
            plain: None,
            compiled: Some(json),
        }
    }
}

/// The (response key, field name) pairs of `ctx`'s selection when every one is a plain
/// field of `probe` or `__typename`, with no argument, directive or sub-selection.
fn plain_selection<T>(
    ctx: &ContextSelectionSet<'_>,
    probe: &T,
    plain: PlainFields<T>,
) -> Option<Vec<(Name, Name)>> {
    let mut fields = Vec::with_capacity(ctx.item.node.items.len());
    for selection in &ctx.item.node.items {
        let Selection::Field(field) = &selection.node else {
            return None;
        };
        let field = &field.node;
        let simple = field.arguments.is_empty()
            && field.directives.is_empty()
            && field.selection_set.node.items.is_empty();
        let name = &field.name.node;
        if !simple || (name.as_str() != "__typename" && plain(probe, name).is_none()) {
            return None;
        }
        fields.push((field.response_key().node.clone(), name.clone()));
    }
    Some(fields)
}

impl<T: OutputType> OutputType for PlainList<'_, T> {
    fn type_name() -> Cow<'static, str> {
        <Vec<&T> as OutputType>::type_name()
    }

    fn qualified_type_name() -> String {
        <Vec<&T> as OutputType>::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        <Vec<&T> as OutputType>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        if let Some(json) = self.compiled {
            return raw::answer(ctx, field, format!("[{}]", json.join(",")));
        }
        let direct = match (self.plain, self.items.first()) {
            (Some(plain), Some(probe)) => plain_selection(ctx, *probe, plain).map(|f| (plain, f)),
            _ => None,
        };
        let Some((plain, fields)) = direct else {
            return self.items.resolve(ctx, field).await;
        };
        let mut values = Vec::with_capacity(self.items.len());
        for item in &self.items {
            let mut object = IndexMap::with_capacity(fields.len());
            for (key, name) in &fields {
                let value = if name.as_str() == "__typename" {
                    Value::String(item.introspection_type_name().into_owned())
                } else {
                    match plain(item, name) {
                        Some(value) => value,
                        // Plain for the first item means plain for all; kept total anyway.
                        None => return self.items.resolve(ctx, field).await,
                    }
                };
                object.insert(key.clone(), value);
            }
            values.push(Value::Object(object));
        }
        Ok(Value::List(values))
    }
}
