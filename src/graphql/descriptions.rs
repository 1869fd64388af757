//! The schema's descriptions as readers see them. They come from doc comments, which are
//! wrapped at 90 columns for the source's sake; a docs explorer or a generated client
//! shows those line breaks as they are, so sentences break at random widths. Every
//! description is unwrapped once, when the schema is built: lines of a paragraph are
//! joined, while blank lines, list items and code blocks keep their breaks (Markdown's
//! meaning is unchanged).

use std::{borrow::Cow, pin::Pin};

use async_graphql::{
    Context, Response, SubscriptionType,
    futures_util::Stream,
    registry::{MetaInputValue, MetaType, Registry},
};

/// The description with each paragraph on one line. A line starts a new one when it
/// follows a blank line, opens or is inside a fenced code block, is indented as code (4
/// spaces), starts a list item (`- `, `* `, `1. `), or follows a line ending in a hard
/// break (two spaces); a list item's indented continuation joins the item.
pub fn unwrap(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    let mut joinable = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let fence = trimmed.starts_with("```");
        let starts_anew = in_code
            || fence
            || trimmed.is_empty()
            || line.starts_with("    ")
            || is_list_item(trimmed)
            || trimmed.starts_with('#')
            || trimmed.starts_with('|');
        if !out.is_empty() {
            if joinable && !starts_anew {
                out.push(' ');
                out.push_str(trimmed.trim_end());
                joinable = !line.ends_with("  ");
                continue;
            }
            out.push('\n');
        }
        out.push_str(if in_code || fence {
            line
        } else {
            line.trim_end()
        });
        if fence {
            in_code = !in_code;
        }
        joinable = !in_code && !fence && !trimmed.is_empty() && !line.ends_with("  ");
    }
    out
}

fn is_list_item(line: &str) -> bool {
    if let Some(rest) = line.strip_prefix(['-', '*', '+']) {
        return rest.starts_with(' ');
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && line[digits..].starts_with(". ")
}

fn unwrap_in_place(description: &mut Option<String>) {
    if let Some(text) = description {
        *text = unwrap(text);
    }
}

fn unwrap_arguments<'a>(values: impl Iterator<Item = &'a mut MetaInputValue>) {
    for value in values {
        unwrap_in_place(&mut value.description);
    }
}

/// Unwraps every description of `registry`: types, fields, arguments, enum values, input
/// fields and directives.
pub fn unwrap_all(registry: &mut Registry) {
    for ty in registry.types.values_mut() {
        match ty {
            MetaType::Object {
                description,
                fields,
                ..
            }
            | MetaType::Interface {
                description,
                fields,
                ..
            } => {
                unwrap_in_place(description);
                for field in fields.values_mut() {
                    unwrap_in_place(&mut field.description);
                    unwrap_arguments(field.args.values_mut());
                }
            }
            MetaType::InputObject {
                description,
                input_fields,
                ..
            } => {
                unwrap_in_place(description);
                unwrap_arguments(input_fields.values_mut());
            }
            MetaType::Enum {
                description,
                enum_values,
                ..
            } => {
                unwrap_in_place(description);
                for value in enum_values.values_mut() {
                    unwrap_in_place(&mut value.description);
                }
            }
            MetaType::Scalar { description, .. } | MetaType::Union { description, .. } => {
                unwrap_in_place(description);
            }
        }
    }
    for directive in registry.directives.values_mut() {
        unwrap_in_place(&mut directive.description);
        unwrap_arguments(directive.args.values_mut());
    }
}

/// A subscription root that unwraps the schema's descriptions ([`unwrap_all`]) when the
/// schema registers it. async-graphql registers the query root, then the mutation root,
/// then the subscription root, and lets no one else reach its registry: by then every
/// type is in it.
pub struct Unwrapping<S>(pub S);

impl<S: SubscriptionType> SubscriptionType for Unwrapping<S> {
    fn type_name() -> Cow<'static, str> {
        S::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        let name = S::create_type_info(registry);
        unwrap_all(registry);
        name
    }

    fn create_field_stream<'a>(
        &'a self,
        ctx: &'a Context<'_>,
    ) -> Option<Pin<Box<dyn Stream<Item = Response> + Send + 'a>>> {
        self.0.create_field_stream(ctx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paragraph_becomes_one_line_and_markdown_keeps_its_breaks() {
        let wrapped = "Every transaction recorded in the caller's book, after\nit committed: one by one.\n\nTwo cases:\n- a purchase in\n  installments;\n- a transfer.\n1. first\n2. second\n\n```graphql\n{ me {\n  id } }\n```\nAfter the code,\nit goes on.  \nA hard break.";
        assert_eq!(
            unwrap(wrapped),
            "Every transaction recorded in the caller's book, after it committed: one by one.\n\nTwo cases:\n- a purchase in installments;\n- a transfer.\n1. first\n2. second\n\n```graphql\n{ me {\n  id } }\n```\nAfter the code, it goes on.\nA hard break."
        );
    }

    #[test]
    fn a_one_line_description_is_left_as_it_is() {
        assert_eq!(unwrap("The amount debited."), "The amount debited.");
        assert_eq!(unwrap(""), "");
        assert_eq!(unwrap("A -1 is not a list item"), "A -1 is not a list item");
    }
}
