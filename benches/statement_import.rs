//! How long `importStatement` takes for a 10,000-line OFX statement, and how many SQL
//! statements it sends, through the real HTTP router as an ADMIN (the business book, so
//! the audit record is written too): three imports of 10,000 new lines each into a book
//! that grows by as many, then the last file again (every line skipped).
//!
//! `cargo bench --bench statement_import` (SQLite in a temporary file); with
//! `BENCH_DATABASE_URL` set to a PostgreSQL database URL it measures there instead (the
//! database must be empty). Figures go to `docs/benchmarks.md`.

use std::time::Instant;

use serde_json::json;

mod common;
use common::{ADMIN, Bench};

const LINES: usize = 10_000;

const IMPORT: &str = "mutation($input: ImportStatementInput!) { importStatement(input: $input) { imported createdCount skippedCount refusedCount userErrors { field message } } }";

/// An OFX 1.02 statement of `LINES` transactions whose ids start with `prefix`.
fn statement(prefix: &str) -> String {
    let mut file = String::from(
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\n\
         COMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n<OFX>\n<BANKMSGSRSV1>\n<STMTTRNRS>\n\
         <TRNUID>1\n<STMTRS>\n<CURDEF>PEN\n<BANKTRANLIST>\n<DTSTART>20261101\n<DTEND>20261130\n",
    );
    for n in 0..LINES {
        let (kind, sign) = if n % 3 == 0 {
            ("CREDIT", "")
        } else {
            ("DEBIT", "-")
        };
        file.push_str(&format!(
            "<STMTTRN>\n<TRNTYPE>{kind}\n<DTPOSTED>202611{:02}120000[-5:PET]\n<TRNAMT>{sign}{}.{:02}\n\
             <FITID>{prefix}-{n:05}\n<NAME>Comercio {}\n<MEMO>Operación {n}\n</STMTTRN>\n",
            1 + n % 28,
            1 + n % 400,
            n % 100,
            n % 300,
        ));
    }
    file.push_str("</BANKTRANLIST>\n</STMTRS>\n</STMTTRNRS>\n</BANKMSGSRSV1>\n</OFX>\n");
    file
}

#[tokio::main]
async fn main() {
    let bench = Bench::start(|_| {}).await;
    let (app, backend) = (&bench.app, bench.backend);
    let token = bench.login(ADMIN).await;
    let book = bench
        .post(
            json!({ "query": "{ book { accounts { id name } } }" }),
            Some(&token),
        )
        .await;
    let account = book["data"]["book"]["accounts"]
        .as_array()
        .and_then(|a| a.iter().find(|a| a["name"] == "Efectivo"))
        .map(|a| a["id"].clone())
        .expect("the cash account");
    println!("backend: {backend}");
    println!("| import | file | created | skipped | SQL statements | time |");
    println!("|---|---|---|---|---|---|");
    for (round, prefix) in ["A", "B", "C", "C"].iter().enumerate() {
        let file = statement(prefix);
        let size = file.len();
        let body = json!({
            "query": IMPORT,
            "variables": { "input": { "accountId": account, "format": "OFX", "content": file } },
        });
        let before = app.state.statements.get();
        let start = Instant::now();
        let reply = bench.post(body, Some(&token)).await;
        let elapsed = start.elapsed();
        let statements = app.state.statements.get() - before;
        let payload = &reply["data"]["importStatement"];
        assert!(
            reply["errors"].is_null() && payload["userErrors"] == json!([]),
            "{reply}"
        );
        println!(
            "| {} | {:.1} MB | {} | {} | {statements} | {:.0} ms |",
            round + 1,
            size as f64 / 1e6,
            payload["createdCount"],
            payload["skippedCount"],
            elapsed.as_secs_f64() * 1e3,
        );
    }
}
