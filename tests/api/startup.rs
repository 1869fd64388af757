//! Start-up: demo data only outside production.

use gateway::config::Environment;
use serde_json::json;

use crate::db_test;

db_test!(
    production_loads_no_demo_data_and_refuses_to_seed,
    |config| {
        config.environment = Environment::Production;
        config.jwt_secret = "p".repeat(32);
        config.introspection = false;
    },
    |app| {
        let body = app.gql(
            "mutation { login(input: { document: \"10442008642\", password: \"demo1234\" }) { session { accessToken } userErrors { code } } }",
            json!({}),
            None,
        ).await;
        assert_eq!(
            body["data"]["login"]["userErrors"][0]["code"], "INVALID_CREDENTIALS",
            "{body}"
        );
        let refused = gateway::seed::seed_demo(&app.app.state.db, &app.app.state.config).await;
        assert!(matches!(refused, Err(gateway::seed::SeedError::Production)));
    }
);
