//! The `Decimal` and `Date` scalars through real GraphQL parsing: as inline literals and
//! as JSON variables.

use async_graphql::{EmptyMutation, EmptySubscription, Object, Schema};
use gateway::graphql::commons::{Date, Decimal};
use serde_json::json;

struct Echo;

#[Object]
impl Echo {
    async fn amount(&self, value: Decimal) -> Decimal {
        value
    }
    async fn day(&self, value: Date) -> Date {
        value
    }
}

fn schema() -> Schema<Echo, EmptyMutation, EmptySubscription> {
    Schema::new(Echo, EmptyMutation, EmptySubscription)
}

async fn echo_variable(value: serde_json::Value) -> Result<String, String> {
    let request = async_graphql::Request::new("query($v: Decimal!) { amount(value: $v) }")
        .variables(async_graphql::Variables::from_json(json!({ "v": value })));
    let response = schema().execute(request).await;
    if response.errors.is_empty() {
        Ok(response.data.into_json().unwrap()["amount"]
            .as_str()
            .unwrap()
            .to_string())
    } else {
        Err(response.errors[0].message.clone())
    }
}

#[tokio::test]
async fn decimal_input_matrix() {
    let accepted = [
        ("12.40", "12.40"),
        ("12.4", "12.40"),
        ("0", "0.00"),
        ("-3.05", "-3.05"),
        ("1000000", "1000000.00"),
        ("0.01", "0.01"),
    ];
    for (input, output) in accepted {
        assert_eq!(
            echo_variable(json!(input)).await,
            Ok(output.to_string()),
            "{input}"
        );
    }
    let rejected = [
        json!(12.4),
        json!(12),
        json!(1e3),
        json!("1e3"),
        json!("1E-2"),
        json!("NaN"),
        json!("Infinity"),
        json!("-Infinity"),
        json!("12.345"),
        json!("0.001"),
        json!(""),
        json!(" 1"),
        json!("1 "),
        json!("+1"),
        json!(".5"),
        json!("5."),
        json!("01"),
        json!("1,50"),
        json!("0x1A"),
        json!(true),
        json!(["1"]),
        json!({ "v": "1" }),
        json!("99999999999999"),
    ];
    for input in rejected {
        let result = echo_variable(input.clone()).await;
        assert!(result.is_err(), "{input} must be refused, got {result:?}");
    }
    // Inline literals: a number literal is refused, a string literal accepted.
    let inline = schema().execute("{ amount(value: 12.40) }").await;
    assert!(!inline.errors.is_empty());
    let inline = schema().execute("{ amount(value: \"12.40\") }").await;
    assert!(inline.errors.is_empty(), "{:?}", inline.errors);
}

#[tokio::test]
async fn date_is_a_strict_calendar_day() {
    let run = |v: &str| {
        let request = async_graphql::Request::new("query($v: Date!) { day(value: $v) }")
            .variables(async_graphql::Variables::from_json(json!({ "v": v })));
        async move { schema().execute(request).await }
    };
    let ok = run("2024-02-29").await;
    assert_eq!(ok.data.into_json().unwrap()["day"], "2024-02-29");
    for bad in [
        "2023-02-29",
        "2024-13-01",
        "2024-1-1",
        "01/02/2024",
        "2024-01-01T00:00:00Z",
    ] {
        assert!(!run(bad).await.errors.is_empty(), "{bad}");
    }
}
