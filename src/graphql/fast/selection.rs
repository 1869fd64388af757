//! The fields a query document selects, as the compilers ([`super::compiled`]) read them.
//!
//! async-graphql's `SelectionField` lists the fields below a field through every fragment,
//! whatever the fragment's type condition. That is the selection of an object-typed
//! field, but not of an interface or a union: below `me: User!`, `... on StaffUser { ... }`
//! selects nothing of a `Client`. [`Selected::fields`] lists the same fields for an
//! object-typed field and, for an abstract one read as one concrete type
//! ([`Selected::as_type`]), only those selected on that type.

use std::collections::HashMap;

use async_graphql::{
    Context, Name, Positioned, QueryEnv, Value,
    parser::types::{Field, Selection, SelectionSet, TypeCondition},
};

/// A field of the query document (variables resolved when its arguments are read).
#[derive(Clone, Copy)]
pub struct Selected<'a> {
    field: &'a Field,
    env: &'a QueryEnv,
    /// The concrete type the field's value is read as, when the field is abstract.
    typed: Option<Typed>,
}

/// A concrete type as fragments may name it: its own name and those of the interfaces
/// and unions it belongs to (validation has refused any other type condition).
#[derive(Clone, Copy)]
pub struct Typed {
    pub name: &'static str,
    pub abstracts: &'static [&'static str],
}

impl<'a> Selected<'a> {
    /// The field `ctx` resolves.
    pub fn of(ctx: &Context<'a>) -> Self {
        Self {
            field: &ctx.item.node,
            env: ctx.query_env,
            typed: None,
        }
    }

    /// The field, an interface or a union, read as an object of type `typed`: its
    /// [`Selected::fields`] are only those selected on that type.
    pub fn as_type(self, typed: Typed) -> Self {
        Self {
            typed: Some(typed),
            ..self
        }
    }

    /// The field's name in the schema.
    pub fn name(&self) -> &'a str {
        self.field.name.node.as_str()
    }

    /// The field's alias, when it has one.
    pub fn alias(&self) -> Option<&'a str> {
        self.field.alias.as_ref().map(|alias| alias.node.as_str())
    }

    /// The key of the field in the response: its alias, else its name.
    pub fn key(&self) -> &'a str {
        self.alias().unwrap_or(self.name())
    }

    /// The field's arguments, variables resolved (a variable not given takes its
    /// definition's default); `None` when one cannot be read.
    pub fn arguments(&self) -> Option<HashMap<Name, Value>> {
        let operation = &self.env.operation.node;
        let variable = |name: Name| {
            let definition = operation
                .variable_definitions
                .iter()
                .find(|d| d.node.name.node == name)
                .ok_or(())?;
            let given = self.env.variables.get(&name);
            given
                .or_else(|| definition.node.default_value())
                .cloned()
                .ok_or(())
        };
        self.field
            .arguments
            .iter()
            .map(|(name, value)| {
                let value = value.node.clone().into_const_with(variable).ok()?;
                Some((name.node.clone(), value))
            })
            .collect()
    }

    /// Whether the field takes no argument at all.
    pub fn bare(&self) -> bool {
        self.field.arguments.is_empty()
    }

    /// Whether the field selects anything below it (it is not a leaf).
    pub fn selects(&self) -> bool {
        !self.field.selection_set.node.items.is_empty()
    }

    /// The fields selected below the field, through every fragment; of an abstract field
    /// read as one type ([`Selected::as_type`]), only those outside fragments and in the
    /// fragments whose type condition that type meets.
    pub fn fields(&self) -> Vec<Selected<'a>> {
        let mut fields = Vec::new();
        self.collect(&self.field.selection_set, &mut fields, 0);
        fields
    }

    fn collect(
        &self,
        set: &'a Positioned<SelectionSet>,
        fields: &mut Vec<Selected<'a>>,
        depth: usize,
    ) {
        // Validation already refused fragment cycles; the bound only keeps this total.
        if depth > 64 {
            return;
        }
        let applies = |condition: Option<&Positioned<TypeCondition>>| match (condition, self.typed)
        {
            (Some(condition), Some(typed)) => {
                let on = condition.node.on.node.as_str();
                on == typed.name || typed.abstracts.contains(&on)
            }
            _ => true,
        };
        for selection in &set.node.items {
            match &selection.node {
                Selection::Field(field) => fields.push(Selected {
                    field: &field.node,
                    env: self.env,
                    typed: None,
                }),
                Selection::InlineFragment(inline) => {
                    if applies(inline.node.type_condition.as_ref()) {
                        self.collect(&inline.node.selection_set, fields, depth + 1);
                    }
                }
                Selection::FragmentSpread(spread) => {
                    let fragment = self.env.fragments.get(&spread.node.fragment_name.node);
                    if let Some(fragment) = fragment
                        && applies(Some(&fragment.node.type_condition))
                    {
                        self.collect(&fragment.node.selection_set, fields, depth + 1);
                    }
                }
            }
        }
    }
}
