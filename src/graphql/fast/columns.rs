//! Fields read from the row their object wraps, each declared once for every fast path.
//!
//! A type that a fast path reads lists its fields that take no argument and have a
//! scalar or enum type as [`Column`]s, in its area's `columns.rs` or beside its resolvers
//! (`INVOICE_COLUMNS`, `CONTRACT_COLUMNS`, `CAR_COLUMNS`, `CAR_DOCUMENT_COLUMNS`,
//! `PLAN_COLUMNS` in `contracts/columns.rs`; `CLIENT_COLUMNS` in `identity/columns.rs`; `TRANSACTION_COLUMNS` and the book's types
//! in `books/`; the wallet's in `wallet/columns.rs`; the business books' in
//! `business/columns.rs`): each with its value read from the
//! row (what a [`super::plain::PlainList`] answers, through the type's `plain` function)
//! and its SQL expression (what the compiled pages select, [`super::compiled`]), both
//! valued as the resolver answers the field. A field a path leaves out says why, in its
//! column: that is the one place to read it.
//!
//! The resolvers stay async-graphql's own. The test below fails when the columns and the
//! schema's fields disagree, so that a new field cannot be forgotten by a path without a
//! reason; `tests/api/compiled*.rs` and `tests/api/contracts.rs` compare the values.

use async_graphql::Value;
use chrono::NaiveDate;

/// A field of an object type read from the row `R` it wraps.
pub struct Column<R> {
    /// The field, as the schema names it.
    pub field: &'static str,
    /// Its value read from the row; `None` when no list of the type is answered from
    /// rows, or when the field needs more than its row (then `left_out` says why).
    pub value: Option<fn(&R) -> Value>,
    /// Its SQL expression over the row's table alias; `None` when the compiled page
    /// leaves the field to the resolvers (`left_out` says why).
    pub sql: Option<Expression>,
    /// Why a path leaves the field out; empty when none does.
    pub left_out: &'static str,
}

/// How a column's SQL expression is written.
#[derive(Clone, Copy)]
pub enum Expression {
    /// From the row's table alias alone.
    Row(fn(&str) -> String),
    /// From the row's table alias and today, in the organization's timezone (a field
    /// whose value follows the calendar, as a transaction's `status`): compiled only
    /// where the compiler was told today.
    OnDay(fn(&str, NaiveDate) -> String),
}

impl<R> Column<R> {
    /// A field read from the row and compiled.
    pub const fn both(
        field: &'static str,
        value: fn(&R) -> Value,
        sql: fn(&str) -> String,
    ) -> Self {
        Self {
            field,
            value: Some(value),
            sql: Some(Expression::Row(sql)),
            left_out: "",
        }
    }

    /// A field compiled, of a type none of whose lists is answered from rows.
    pub const fn compiled(field: &'static str, sql: fn(&str) -> String) -> Self {
        Self {
            field,
            value: None,
            sql: Some(Expression::Row(sql)),
            left_out: "",
        }
    }

    /// A field compiled from its row and today, of a type none of whose lists is
    /// answered from rows.
    pub const fn on_day(field: &'static str, sql: fn(&str, NaiveDate) -> String) -> Self {
        Self {
            field,
            value: None,
            sql: Some(Expression::OnDay(sql)),
            left_out: "",
        }
    }

    /// A field compiled, which a list answered from rows leaves to its resolver because
    /// `why` (it needs more than the row).
    pub const fn compiled_not_read(
        field: &'static str,
        sql: fn(&str) -> String,
        why: &'static str,
    ) -> Self {
        Self {
            field,
            value: None,
            sql: Some(Expression::Row(sql)),
            left_out: why,
        }
    }

    /// A field read from the row, which the compiled page leaves out because `why`.
    pub const fn not_compiled(
        field: &'static str,
        value: fn(&R) -> Value,
        why: &'static str,
    ) -> Self {
        Self {
            field,
            value: Some(value),
            sql: None,
            left_out: why,
        }
    }

    /// A field only its resolver answers, because `why`.
    pub const fn resolved(field: &'static str, why: &'static str) -> Self {
        Self {
            field,
            value: None,
            sql: None,
            left_out: why,
        }
    }
}

/// The value of `field` read from `row`, when one of `columns` reads it from the row.
pub fn value<R>(columns: &[Column<R>], row: &R, field: &str) -> Option<Value> {
    let column = columns.iter().find(|c| c.field == field)?;
    column.value.map(|value| value(row))
}

/// The SQL expression of `field` over the row of table alias `table`, when one of
/// `columns` compiles it (one that follows the calendar only when `today` is known).
pub fn sql<R>(
    columns: &[Column<R>],
    field: &str,
    table: &str,
    today: Option<NaiveDate>,
) -> Option<String> {
    let column = columns.iter().find(|c| c.field == field)?;
    match column.sql? {
        Expression::Row(sql) => Some(sql(table)),
        Expression::OnDay(sql) => Some(sql(table, today?)),
    }
}

/// A column of `table` as it is stored.
pub fn stored(table: &str, name: &str) -> String {
    format!("{table}.{name}")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::{NaiveDate, TimeZone, Utc};
    use serde_json::json;

    use super::*;
    use crate::graphql::books::{
        cards::CREDIT_CARD_COLUMNS,
        transactions::TRANSACTION_COLUMNS,
        types::{ACCOUNT_COLUMNS, CATEGORY_COLUMNS, TAG_COLUMNS},
    };
    use crate::{
        entities::invoice,
        graphql::{
            business::columns::{
                CUSTOMER_COLUMNS, EMAIL_MESSAGE_COLUMNS, RECEIPT_COLUMNS, SALES_INVOICE_COLUMNS,
                SALES_INVOICE_ITEM_COLUMNS,
            },
            contracts::{
                columns::{
                    CAR_COLUMNS, CAR_DOCUMENT_COLUMNS, CLIENT_PHONE_COLUMNS, CONTRACT_COLUMNS,
                    INVOICE_COLUMNS, INVOICE_DISCOUNT_COLUMNS, INVOICE_TYPE_COLUMNS, PLAN_COLUMNS,
                },
                types::Invoice,
            },
            identity::columns::CLIENT_COLUMNS,
            wallet::columns::{
                PAYMENT_ALLOCATION_COLUMNS, PAYMENT_COLUMNS, RECHARGE_COLUMNS, WALLET_COLUMNS,
                WALLET_MOVEMENT_COLUMNS,
            },
        },
    };

    /// What a type's columns declare of a field: (read from the row, compiled, why not).
    type Declared = BTreeMap<&'static str, (bool, bool, &'static str)>;

    /// A type's plain function: the value of a field read from a sample row.
    type Plain<'a> = &'a dyn Fn(&str) -> Option<Value>;

    fn declared<R>(columns: &[Column<R>]) -> Declared {
        let mut fields = BTreeMap::new();
        for c in columns {
            let again = fields.insert(c.field, (c.value.is_some(), c.sql.is_some(), c.left_out));
            assert!(again.is_none(), "{} is declared twice", c.field);
        }
        fields
    }

    /// The fields of object type `name` that take no argument and have a scalar or enum
    /// type, with that type's kind and name and whether it may be null, read from the
    /// schema's introspection.
    async fn schema_fields(name: &str) -> BTreeMap<String, (String, String, bool)> {
        let query = format!(
            r#"{{ __type(name: "{name}") {{ fields(includeDeprecated: true) {{ name args {{ name }}
                type {{ kind name ofType {{ kind name }} }} }} }} }}"#
        );
        let response = crate::graphql::builder().finish().execute(query).await;
        assert!(response.errors.is_empty(), "{:?}", response.errors);
        let data = response.data.into_json().unwrap();
        let fields = data["__type"]["fields"].as_array().expect("an object type");
        let mut out = BTreeMap::new();
        for field in fields {
            if !field["args"].as_array().unwrap().is_empty() {
                continue;
            }
            let ty = &field["type"];
            let nullable = ty["kind"] != "NON_NULL";
            let named = if nullable { ty } else { &ty["ofType"] };
            let kind = named["kind"].as_str().unwrap_or_default();
            if kind == "SCALAR" || kind == "ENUM" {
                let name = field["name"].as_str().unwrap().to_string();
                let named_type = named["name"].as_str().unwrap().to_string();
                out.insert(name, (kind.to_string(), named_type, nullable));
            }
        }
        out
    }

    /// Compares a type's columns with its fields in the schema and with what its plain
    /// function answers (`plain` of each field, `None` for a type with none); each
    /// disagreement is a line of the returned list.
    async fn disagreements(
        type_name: &str,
        columns: Declared,
        plain: Option<Plain<'_>>,
    ) -> Vec<String> {
        let schema = schema_fields(type_name).await;
        let mut found = Vec::new();
        for field in schema.keys() {
            if !columns.contains_key(field.as_str()) {
                found.push(format!(
                    "{type_name}.{field} is in the schema but has no column"
                ));
            }
        }
        for (field, (read, compiled, why)) in &columns {
            let Some((kind, named, nullable)) = schema.get(*field) else {
                found.push(format!(
                    "{type_name}.{field} has a column but is no field without argument of \
                     a scalar or enum type"
                ));
                continue;
            };
            let leaves_out = !compiled || (plain.is_some() && !read);
            if leaves_out && why.is_empty() {
                found.push(format!(
                    "{type_name}.{field} is left out of a path with no reason"
                ));
            }
            if !leaves_out && !why.is_empty() {
                found.push(format!(
                    "{type_name}.{field} gives a reason but no path leaves it out"
                ));
            }
            match plain {
                None if *read => found.push(format!(
                    "{type_name}.{field} has a value from the row, but no list of \
                     {type_name} is answered from rows"
                )),
                None => {}
                Some(plain) => match (plain(field), *read) {
                    (Some(value), true) => {
                        let fits = match &value {
                            Value::Null => *nullable,
                            Value::Enum(_) => kind == "ENUM",
                            Value::String(_) => {
                                kind == "SCALAR" && named != "Int" && named != "Boolean"
                            }
                            Value::Number(_) => named == "Int" || named == "Float",
                            Value::Boolean(_) => named == "Boolean",
                            _ => false,
                        };
                        if !fits {
                            found.push(format!(
                                "{type_name}.{field}: the row's value {value} is no {named}"
                            ));
                        }
                    }
                    (None, false) => {}
                    (Some(_), false) | (None, true) => found.push(format!(
                        "{type_name}.{field}: its plain function and its column disagree"
                    )),
                },
            }
        }
        found
    }

    fn invoice_row() -> invoice::Model {
        invoice::Model {
            id: 7,
            contract_id: 3,
            hash: "f00".into(),
            status: invoice::InvoiceStatus::Pending,
            priority: 1,
            due_date: NaiveDate::from_ymd_opt(2026, 2, 28).unwrap(),
            paid_date: None,
            total_minor: 1_234,
            observations: "it's".into(),
            type_id: 1,
            created_at: Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap(),
            parent_id: None,
        }
    }

    /// The columns of the fleet page's types (Invoice, Contract, Client, Car, InvoiceType,
    /// InvoiceDiscount), of the book page's and lists' (Transaction, Account, Category,
    /// Tag, CreditCard) and of
    /// the wallet's history (WalletMovement, Recharge, Payment, PaymentAllocation), of
    /// the business books' (Customer, SalesInvoice, SalesInvoiceItem, EmailMessage,
    /// Receipt), what `Invoice::plain` answers
    /// and the schema's fields agree; a field left out of a path says why.
    #[tokio::test]
    async fn columns_plain_functions_and_the_schema_name_the_same_fields() {
        let invoice = Invoice(invoice_row(), None);
        let plain = |field: &str| invoice.plain(field);
        let mut found = disagreements("Invoice", declared(INVOICE_COLUMNS), Some(&plain)).await;
        found.extend(disagreements("Contract", declared(CONTRACT_COLUMNS), None).await);
        found.extend(disagreements("Client", declared(CLIENT_COLUMNS), None).await);
        found.extend(disagreements("Car", declared(CAR_COLUMNS), None).await);
        found.extend(disagreements("CarDocument", declared(CAR_DOCUMENT_COLUMNS), None).await);
        found.extend(disagreements("Plan", declared(PLAN_COLUMNS), None).await);
        found.extend(disagreements("ClientPhone", declared(CLIENT_PHONE_COLUMNS), None).await);
        found.extend(disagreements("InvoiceType", declared(INVOICE_TYPE_COLUMNS), None).await);
        found.extend(
            disagreements("InvoiceDiscount", declared(INVOICE_DISCOUNT_COLUMNS), None).await,
        );
        found.extend(disagreements("Transaction", declared(TRANSACTION_COLUMNS), None).await);
        found.extend(disagreements("Account", declared(ACCOUNT_COLUMNS), None).await);
        found.extend(disagreements("Category", declared(CATEGORY_COLUMNS), None).await);
        found.extend(disagreements("Tag", declared(TAG_COLUMNS), None).await);
        found.extend(disagreements("CreditCard", declared(CREDIT_CARD_COLUMNS), None).await);
        found.extend(disagreements("Wallet", declared(WALLET_COLUMNS), None).await);
        found
            .extend(disagreements("WalletMovement", declared(WALLET_MOVEMENT_COLUMNS), None).await);
        found.extend(disagreements("Recharge", declared(RECHARGE_COLUMNS), None).await);
        found.extend(disagreements("Payment", declared(PAYMENT_COLUMNS), None).await);
        found.extend(
            disagreements(
                "PaymentAllocation",
                declared(PAYMENT_ALLOCATION_COLUMNS),
                None,
            )
            .await,
        );
        found.extend(disagreements("Customer", declared(CUSTOMER_COLUMNS), None).await);
        found.extend(disagreements("SalesInvoice", declared(SALES_INVOICE_COLUMNS), None).await);
        found.extend(
            disagreements(
                "SalesInvoiceItem",
                declared(SALES_INVOICE_ITEM_COLUMNS),
                None,
            )
            .await,
        );
        found.extend(disagreements("EmailMessage", declared(EMAIL_MESSAGE_COLUMNS), None).await);
        found.extend(disagreements("Receipt", declared(RECEIPT_COLUMNS), None).await);
        assert!(found.is_empty(), "{found:#?}");
    }

    /// The checks above can fail: a column missing, one too many, a path left without a
    /// reason and a value of the wrong type are each reported.
    #[tokio::test]
    async fn a_disagreement_is_reported() {
        let mut columns = declared(INVOICE_COLUMNS);
        columns.remove("hash");
        columns.insert("nope", (true, true, ""));
        columns.insert("observations", (true, false, ""));
        let plain = |field: &str| match field {
            "priority" => Some(Value::String("1".into())),
            _ => Invoice(invoice_row(), None).plain(field),
        };
        let found = disagreements("Invoice", columns, Some(&plain)).await;
        assert_eq!(
            json!(found),
            json!([
                "Invoice.hash is in the schema but has no column",
                "Invoice.nope has a column but is no field without argument of a scalar or enum type",
                "Invoice.observations is left out of a path with no reason",
                "Invoice.priority: the row's value \"1\" is no Int",
            ])
        );
        let mut with_value = declared(CONTRACT_COLUMNS);
        with_value.insert("hash", (true, true, ""));
        let found = disagreements("Contract", with_value, None).await;
        assert_eq!(found.len(), 1, "{found:?}");
    }
}
