//! `importStatement` (issue 23): a bank's OFX 1.02 (SGML) or 2.x (XML) statement, or a
//! CSV export, into an account of the caller's book. Lines the book has (by `FITID` or
//! external id) are skipped, categories come from earlier transactions with the same
//! description, a file with a broken line creates nothing and lists every broken line,
//! a driver reaches only their own accounts, 10,000 lines go in one request, and an
//! ADMIN's import leaves one audit record. Every file is made here. Today is 2026-11-24
//! in Lima.

use gateway::entities::book_transaction;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use crate::{
    book_transactions::{BookIds, count_transactions, noon_in_lima},
    common::{
        ADMIN, COLLECTOR, DRIVER, TestApp,
        audit::{change, record_count, records_of},
        error_code, mutation, ok, raw_id, refused, run,
    },
    db_test,
};

const SELECTION: &str = "imported createdCount skippedCount refusedCount refused { line reason }";

fn import() -> String {
    mutation("importStatement", SELECTION)
}

/// One `<STMTTRN>` as OFX 1.02 writes it: elements without closing tags.
fn sgml_entry(kind: &str, posted: &str, amount: &str, fitid: &str, name: &str) -> String {
    format!(
        "<STMTTRN>\n<TRNTYPE>{kind}\n<DTPOSTED>{posted}\n<TRNAMT>{amount}\n<FITID>{fitid}\n<NAME>{name}\n</STMTTRN>\n"
    )
}

/// An OFX 1.02 bank statement, header block included, around `entries`.
fn ofx_102(entries: &str) -> String {
    format!(
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n\
<OFX>\n<SIGNONMSGSRSV1>\n<SONRS>\n<STATUS>\n<CODE>0\n<SEVERITY>INFO\n</STATUS>\n<DTSERVER>20261124120000[-5:PET]\n<LANGUAGE>SPA\n</SONRS>\n</SIGNONMSGSRSV1>\n\
<BANKMSGSRSV1>\n<STMTTRNRS>\n<TRNUID>1\n<STATUS>\n<CODE>0\n<SEVERITY>INFO\n</STATUS>\n<STMTRS>\n<CURDEF>PEN\n\
<BANKACCTFROM>\n<BANKID>002\n<ACCTID>1917654321\n<ACCTTYPE>CHECKING\n</BANKACCTFROM>\n\
<BANKTRANLIST>\n<DTSTART>20261101\n<DTEND>20261124\n{entries}</BANKTRANLIST>\n\
<LEDGERBAL>\n<BALAMT>1000.00\n<DTASOF>20261124\n</LEDGERBAL>\n</STMTRS>\n</STMTTRNRS>\n</BANKMSGSRSV1>\n</OFX>\n"
    )
}

/// The book's transactions that came from the bank with these OFX ids, oldest id first.
async fn by_ofx_ids(app: &TestApp, ids: &[&str]) -> Vec<book_transaction::Model> {
    book_transaction::Entity::find()
        .filter(book_transaction::Column::OfxId.is_in(ids.iter().copied()))
        .order_by_asc(book_transaction::Column::Id)
        .all(&app.app.state.db)
        .await
        .unwrap()
}

async fn categories(app: &TestApp, token: &str) -> Value {
    let body = app
        .gql(
            "{ book { categories(includeArchived: true) { id code kind isDefault } } }",
            json!({}),
            Some(token),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["book"]["categories"].clone()
}

/// The row id of the book's default category of `kind`.
async fn default_category(app: &TestApp, token: &str, kind: &str) -> i64 {
    let all = categories(app, token).await;
    let found = all
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == kind && c["isDefault"] == true)
        .unwrap_or_else(|| panic!("no default {kind} category: {all}"));
    raw_id(&found["id"])
}

db_test!(
    an_ofx_1_02_statement_is_imported_once,
    |config| { noon_in_lima(config) },
    |app| {
        let driver = app.login(DRIVER).await;
        let cash = BookIds::of(&app, &driver).await.account("Efectivo");
        let entries = [
            sgml_entry(
                "DEBIT",
                "20261103120000[-5:PET]",
                "-12.30",
                "BCP-1",
                "GRIFO VILLA SUR",
            ),
            sgml_entry(
                "CREDIT",
                "20261104",
                "250.00",
                "BCP-2",
                "YAPE DE ANA &amp; LUIS",
            ),
            // The same line again, as banks repeat a line across two downloads.
            sgml_entry(
                "DEBIT",
                "20261103120000[-5:PET]",
                "-12.30",
                "BCP-1",
                "GRIFO VILLA SUR",
            ),
        ]
        .concat();
        let file = ofx_102(&entries);
        let input = json!({ "accountId": cash, "format": "OFX", "content": file });
        let records = record_count(&app).await;
        let first = ok(&app, &driver, &import(), input.clone()).await;
        assert_eq!(first["imported"], true, "{first}");
        assert_eq!(first["createdCount"], 2, "{first}");
        assert_eq!(first["skippedCount"], 1, "{first}");
        assert_eq!(first["refused"], json!([]), "{first}");
        // A driver's own book is theirs: no audit record.
        assert_eq!(record_count(&app).await, records);

        let rows = by_ofx_ids(&app, &["BCP-1", "BCP-2"]).await;
        assert_eq!(rows.len(), 2);
        let (fuel, transfer) = (&rows[0], &rows[1]);
        assert_eq!(fuel.kind, book_transaction::TransactionKind::Out);
        assert_eq!(fuel.amount_minor, 1230);
        assert_eq!(fuel.date.to_string(), "2026-11-03");
        assert_eq!(fuel.description, "GRIFO VILLA SUR");
        assert_eq!(fuel.bank_data, "DEBIT");
        assert!(fuel.paid);
        assert_eq!(fuel.account_id, raw_id(&cash));
        assert_eq!(
            fuel.category_id,
            Some(default_category(&app, &driver, "EXPENSE").await)
        );
        assert_eq!(transfer.kind, book_transaction::TransactionKind::In);
        assert_eq!(transfer.amount_minor, 25_000);
        assert_eq!(transfer.description, "YAPE DE ANA & LUIS");
        assert_eq!(
            transfer.category_id,
            Some(default_category(&app, &driver, "INCOME").await)
        );

        // The API shows them as any transaction.
        let body = app
            .gql(
                "{ book { transactions(filter: {period: {month: 11, year: 2026}, search: \"villa sur\"}) { nodes { amount kind ofxId date } } } }",
                json!({}),
                Some(&driver),
            )
            .await;
        assert_eq!(
            body["data"]["book"]["transactions"]["nodes"],
            json!([{ "amount": "12.30", "kind": "OUT", "ofxId": "BCP-1", "date": "2026-11-03" }]),
            "{body}"
        );

        // The same file again creates nothing.
        let count = count_transactions(&app).await;
        let again = ok(&app, &driver, &import(), input).await;
        assert_eq!(again["createdCount"], 0, "{again}");
        assert_eq!(again["skippedCount"], 3, "{again}");
        assert_eq!(again["imported"], true, "{again}");
        assert_eq!(count_transactions(&app).await, count);
    }
);

db_test!(
    an_ofx_2_xml_statement_is_imported,
    |config| { noon_in_lima(config) },
    |app| {
        let driver = app.login(DRIVER).await;
        let cash = BookIds::of(&app, &driver).await.account("Efectivo");
        let file = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n\
<?OFX OFXHEADER=\"200\" VERSION=\"220\" SECURITY=\"NONE\" OLDFILEUID=\"NONE\" NEWFILEUID=\"NONE\"?>\n\
<OFX>\n  <SIGNONMSGSRSV1><SONRS><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS><DTSERVER>20261124</DTSERVER><LANGUAGE>POR</LANGUAGE></SONRS></SIGNONMSGSRSV1>\n\
  <BANKMSGSRSV1>\n    <STMTTRNRS>\n      <TRNUID>1</TRNUID>\n      <STMTRS>\n        <CURDEF>PEN</CURDEF>\n\
        <BANKACCTFROM><BANKID>0341</BANKID><ACCTID>12345</ACCTID><ACCTTYPE>CHECKING</ACCTTYPE></BANKACCTFROM>\n\
        <BANKTRANLIST>\n          <DTSTART>20261101</DTSTART><DTEND>20261124</DTEND>\n\
          <STMTTRN>\n            <TRNTYPE>FEE</TRNTYPE>\n            <DTPOSTED>20261110000000[-3:BRT]</DTPOSTED>\n            <TRNAMT>-5.90</TRNAMT>\n            <FITID>ITAU-77</FITID>\n            <MEMO>Tarifa &amp; IOF</MEMO>\n          </STMTTRN>\n\
          <STMTTRN>\n            <TRNTYPE>CREDIT</TRNTYPE>\n            <DTPOSTED>20261111</DTPOSTED>\n            <TRNAMT>1500</TRNAMT>\n            <FITID>ITAU-78</FITID>\n            <NAME>PIX RECEBIDO</NAME>\n            <MEMO>Frete</MEMO>\n          </STMTTRN>\n\
        </BANKTRANLIST>\n        <LEDGERBAL><BALAMT>1494.10</BALAMT><DTASOF>20261124</DTASOF></LEDGERBAL>\n      </STMTRS>\n    </STMTTRNRS>\n  </BANKMSGSRSV1>\n</OFX>\n";
        let payload = ok(
            &app,
            &driver,
            &import(),
            json!({ "accountId": cash, "format": "OFX", "content": file }),
        )
        .await;
        assert_eq!(payload["createdCount"], 2, "{payload}");
        let rows = by_ofx_ids(&app, &["ITAU-77", "ITAU-78"]).await;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].description, "Tarifa & IOF");
        assert_eq!(rows[0].amount_minor, 590);
        assert_eq!(rows[0].date.to_string(), "2026-11-10");
        assert_eq!(rows[1].description, "PIX RECEBIDO - Frete");
        assert_eq!(rows[1].amount_minor, 150_000);
        assert_eq!(rows[1].kind, book_transaction::TransactionKind::In);

        // Not an OFX file at all: the whole input is refused.
        let (field, code) = refused(
            &app,
            &driver,
            &import(),
            json!({ "accountId": cash, "format": "OFX", "content": "date,amount\n" }),
        )
        .await;
        assert_eq!(
            (field.as_str(), code.as_str()),
            ("content", "INVALID_FORMAT")
        );
    }
);

fn csv_mapping() -> Value {
    json!({
        "dateColumn": "Fecha",
        "amountColumn": "Importe",
        "descriptionColumn": "Concepto",
        "externalIdColumn": "Operación",
        "dateFormat": "%d/%m/%Y",
        "decimalSeparator": ",",
        "delimiter": ";",
    })
}

db_test!(
    a_csv_with_comma_decimals_is_imported_once,
    |config| { noon_in_lima(config) },
    |app| {
        let driver = app.login(DRIVER).await;
        let cash = BookIds::of(&app, &driver).await.account("Efectivo");
        let file = "Fecha;Concepto;Importe;Operación\r\n\
02/11/2026;\"Peaje; \"\"Evitamiento\"\"\";-7,50;OP-1\r\n\
05/11/2026;Carrera app;1.234,56;OP-2\r\n\
05/11/2026;Carrera app;1.234,56;OP-2\r\n";
        let input = json!({ "accountId": cash, "format": "CSV", "content": file, "mapping": csv_mapping() });
        let payload = ok(&app, &driver, &import(), input.clone()).await;
        assert_eq!(payload["createdCount"], 2, "{payload}");
        assert_eq!(payload["skippedCount"], 1, "{payload}");
        for (external, amount, description, kind) in [
            ("OP-1", "7.50", "Peaje; \"Evitamiento\"", "OUT"),
            ("OP-2", "1234.56", "Carrera app", "IN"),
        ] {
            let body = app
                .gql(
                    "query($e: String!) { book { transactionByExternalId(externalId: $e) { amount description kind ofxId } } }",
                    json!({ "e": external }),
                    Some(&driver),
                )
                .await;
            assert_eq!(
                body["data"]["book"]["transactionByExternalId"],
                json!({ "amount": amount, "description": description, "kind": kind, "ofxId": "" }),
                "{body}"
            );
        }
        let again = ok(&app, &driver, &import(), input).await;
        assert_eq!(
            (again["createdCount"].clone(), again["skippedCount"].clone()),
            (json!(0), json!(3)),
            "{again}"
        );

        // A mapping that names no column of the file.
        let mut mapping = csv_mapping();
        mapping["dateColumn"] = json!("Date");
        let (field, code) = refused(
            &app,
            &driver,
            &import(),
            json!({ "accountId": cash, "format": "CSV", "content": file, "mapping": mapping }),
        )
        .await;
        assert_eq!(
            (field.as_str(), code.as_str()),
            ("mapping.dateColumn", "NOT_FOUND")
        );
        // CSV without a mapping.
        let (field, code) = refused(
            &app,
            &driver,
            &import(),
            json!({ "accountId": cash, "format": "CSV", "content": file }),
        )
        .await;
        assert_eq!((field.as_str(), code.as_str()), ("mapping", "REQUIRED"));
    }
);

db_test!(
    a_csv_without_ids_is_recognised_by_day_amount_and_description,
    |config| { noon_in_lima(config) },
    |app| {
        let driver = app.login(DRIVER).await;
        let cash = BookIds::of(&app, &driver).await.account("Efectivo");
        let mut mapping = csv_mapping();
        mapping.as_object_mut().unwrap().remove("externalIdColumn");
        let input = |file: &str| json!({ "accountId": cash, "format": "CSV", "content": file, "mapping": mapping });
        let counts = |payload: &Value| {
            (
                payload["createdCount"].clone(),
                payload["skippedCount"].clone(),
            )
        };
        // Two coffees of the same price on one day are two transactions.
        let file = "Fecha;Concepto;Importe\n\
03/11/2026;Café;-4,00\n\
03/11/2026;Café;-4,00\n\
04/11/2026;Carrera app;55,00\n";
        assert_eq!(
            counts(&ok(&app, &driver, &import(), input(file)).await),
            (json!(3), json!(0))
        );
        assert_eq!(
            counts(&ok(&app, &driver, &import(), input(file)).await),
            (json!(0), json!(3)),
            "the same file again creates nothing"
        );
        // A statement that overlaps it: a third coffee and a new day are new.
        let overlapping = "Fecha;Concepto;Importe\n\
03/11/2026;CAFÉ;-4,00\n\
03/11/2026;Café;-4,00\n\
03/11/2026;Café;-4,00\n\
04/11/2026;Carrera app;55,00\n\
05/11/2026;Carrera app;55,00\n";
        assert_eq!(
            counts(&ok(&app, &driver, &import(), input(overlapping)).await),
            (json!(2), json!(3))
        );
        // A transaction typed by hand is one the bank's line need not add.
        ok(
            &app,
            &driver,
            &mutation("createTransaction", "transaction { id }"),
            json!({ "kind": "OUT", "amount": "12.00", "description": "Lavado", "date": "2026-11-06", "accountId": cash }),
        )
        .await;
        let typed = "Fecha;Concepto;Importe\n06/11/2026;lavado;-12,00\n";
        assert_eq!(
            counts(&ok(&app, &driver, &import(), input(typed)).await),
            (json!(0), json!(1))
        );
        let rows = book_transaction::Entity::find()
            .filter(book_transaction::Column::AccountId.eq(raw_id(&cash)))
            .filter(
                book_transaction::Column::Date
                    .eq(chrono::NaiveDate::from_ymd_opt(2026, 11, 3).unwrap()),
            )
            .filter(book_transaction::Column::Description.eq("Café"))
            .count(&app.app.state.db)
            .await
            .unwrap();
        assert_eq!(rows, 3, "three coffees in all");
    }
);

db_test!(
    broken_lines_are_listed_and_nothing_is_created,
    |config| { noon_in_lima(config) },
    |app| {
        let driver = app.login(DRIVER).await;
        let cash = BookIds::of(&app, &driver).await.account("Efectivo");
        let file = "Fecha;Concepto;Importe;Operación\n\
02/11/2026;Bueno;-7,50;B-1\n\
03/11/2026;Recarga;12,3x;B-2\n\
31/02/2026;Fecha imposible;5,00;B-3\n\
04/11/2026;Cero;0,00;B-4\n\
05/11/2026;Corta\n\
06/11/2026;Bueno también;8,00;B-6\n";
        let count = count_transactions(&app).await;
        let payload = ok(
            &app,
            &driver,
            &import(),
            json!({ "accountId": cash, "format": "CSV", "content": file, "mapping": csv_mapping() }),
        )
        .await;
        assert_eq!(payload["imported"], false, "{payload}");
        assert_eq!(payload["createdCount"], 0, "{payload}");
        assert_eq!(payload["refusedCount"], 4, "{payload}");
        assert_eq!(
            payload["refused"],
            json!([
                { "line": 3, "reason": "the amount `12,3x` is not a number" },
                { "line": 4, "reason": "the date `31/02/2026` does not match the format `%d/%m/%Y`" },
                { "line": 5, "reason": "the amount is 0: a transaction moves money" },
                { "line": 6, "reason": "the line has no cell in column `Importe`" },
            ]),
            "{payload}"
        );
        assert_eq!(count_transactions(&app).await, count, "nothing was created");

        // In the language the request asks for.
        let body = app
            .gql_in(
                &import(),
                json!({ "input": { "accountId": cash, "format": "CSV", "content": file, "mapping": csv_mapping() } }),
                Some(&driver),
                Some("es"),
            )
            .await;
        assert_eq!(
            body["data"]["importStatement"]["refused"][0]["reason"],
            "el monto `12,3x` no es un número",
            "{body}"
        );

        // OFX: a transaction without its amount, on the line its <STMTTRN> opens.
        let entries = format!(
            "{}<STMTTRN>\n<TRNTYPE>DEBIT\n<DTPOSTED>20261103\n<FITID>X-2\n</STMTTRN>\n",
            sgml_entry("DEBIT", "20261102", "-1.00", "X-1", "Bueno")
        );
        let file = ofx_102(&entries);
        let line = file
            .lines()
            .enumerate()
            .filter(|(_, l)| *l == "<STMTTRN>")
            .nth(1)
            .map(|(i, _)| i + 1)
            .unwrap();
        let payload = ok(
            &app,
            &driver,
            &import(),
            json!({ "accountId": cash, "format": "OFX", "content": file }),
        )
        .await;
        assert_eq!(
            payload["refused"],
            json!([{ "line": line, "reason": "the transaction has no <TRNAMT>" }]),
            "{payload}"
        );
        assert_eq!(count_transactions(&app).await, count, "nothing was created");
    }
);

const CREATE_CATEGORY: &str = "mutation($input: CreateCategoryInput!) { createCategory(input: $input) { category { id } userErrors { field code } } }";
const CREATE: &str = "mutation($input: CreateTransactionInput!) { createTransaction(input: $input) { transaction { id } userErrors { field code } } }";

db_test!(
    categories_follow_the_latest_transaction_with_the_same_description,
    |config| { noon_in_lima(config) },
    |app| {
        let driver = app.login(DRIVER).await;
        let cash = BookIds::of(&app, &driver).await.account("Efectivo");
        let mut ids = Vec::new();
        for name in ["Gasolina de antes", "Gasolina de ahora"] {
            let payload = ok(
                &app,
                &driver,
                CREATE_CATEGORY,
                json!({ "kind": "EXPENSE", "name": name }),
            )
            .await;
            ids.push(payload["category"]["id"].clone());
        }
        // The older one files it under the first category, the newer under the second.
        for (date, category) in [("2026-10-01", &ids[0]), ("2026-10-20", &ids[1])] {
            ok(
                &app,
                &driver,
                CREATE,
                json!({ "kind": "OUT", "amount": "40.00", "description": "Estación Petroperú Sur", "date": date, "categoryId": category }),
            )
            .await;
        }
        let entries = [
            sgml_entry(
                "DEBIT",
                "20261105",
                "-50.00",
                "R-1",
                "ESTACIóN PETROPERú SUR",
            ),
            // An income with the same words is not filed like an expense.
            sgml_entry(
                "CREDIT",
                "20261106",
                "5.00",
                "R-2",
                "estación petroperú sur",
            ),
            sgml_entry("DEBIT", "20261107", "-9.00", "R-3", "Bodega"),
        ]
        .concat();
        ok(
            &app,
            &driver,
            &import(),
            json!({ "accountId": cash, "format": "OFX", "content": ofx_102(&entries) }),
        )
        .await;
        let rows = by_ofx_ids(&app, &["R-1", "R-2", "R-3"]).await;
        assert_eq!(rows[0].category_id, Some(raw_id(&ids[1])));
        assert_eq!(
            rows[1].category_id,
            Some(default_category(&app, &driver, "INCOME").await)
        );
        assert_eq!(
            rows[2].category_id,
            Some(default_category(&app, &driver, "EXPENSE").await)
        );
    }
);

db_test!(
    a_driver_imports_into_their_own_accounts_only,
    |config| { noon_in_lima(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let business_cash = BookIds::of(&app, &admin).await.account("Efectivo");
        let driver = app.login(DRIVER).await;
        let file = ofx_102(&sgml_entry("DEBIT", "20261102", "-1.00", "Z-1", "X"));
        let count = count_transactions(&app).await;
        let (field, code) = refused(
            &app,
            &driver,
            &import(),
            json!({ "accountId": business_cash, "format": "OFX", "content": file }),
        )
        .await;
        assert_eq!((field.as_str(), code.as_str()), ("accountId", "NOT_FOUND"));
        // COLLECTORs read the business book; they import nothing into it.
        let collector = app.login(COLLECTOR).await;
        let code = error_code(
            &app,
            &collector,
            &import(),
            json!({ "accountId": business_cash, "format": "OFX", "content": file }),
        )
        .await;
        assert_eq!(code, "FORBIDDEN");
        // Whatever the file holds.
        let code = error_code(
            &app,
            &collector,
            &import(),
            json!({ "accountId": business_cash, "format": "OFX", "content": "not a statement" }),
        )
        .await;
        assert_eq!(code, "FORBIDDEN");
        assert_eq!(count_transactions(&app).await, count);
    }
);

db_test!(
    ten_thousand_lines_go_in_one_request_with_one_audit_record,
    |config| { noon_in_lima(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let cash = BookIds::of(&app, &admin).await.account("Efectivo");
        let mut entries = String::new();
        for n in 0..10_000 {
            let amount = if n % 3 == 0 {
                format!("{}.{:02}", 100 + n % 50, n % 100)
            } else {
                format!("-{}.{:02}", 1 + n % 40, n % 100)
            };
            entries.push_str(&sgml_entry(
                if n % 3 == 0 { "CREDIT" } else { "DEBIT" },
                &format!("202611{:02}120000[-5:PET]", 1 + n % 24),
                &amount,
                &format!("BIG-{n:05}"),
                &format!("Movimiento {}", n % 200),
            ));
        }
        let file = ofx_102(&entries);
        assert!(
            file.len() > 4 * 256 * 1024,
            "far past the anonymous body limit: {} bytes",
            file.len()
        );
        let records = record_count(&app).await;
        let payload = run(
            &app,
            &admin,
            &import(),
            json!({ "accountId": cash, "format": "OFX", "content": file }),
        )
        .await;
        assert_eq!(payload["userErrors"], json!([]), "{payload}");
        assert_eq!(payload["createdCount"], 10_000, "{payload}");
        let stored = book_transaction::Entity::find()
            .filter(book_transaction::Column::OfxId.starts_with("BIG-"))
            .count(&app.app.state.db)
            .await
            .unwrap();
        assert_eq!(stored, 10_000);

        // One record for the whole import, on the account, saying how many.
        assert_eq!(record_count(&app).await, records + 1);
        let trail = records_of(&app, &admin, &cash).await;
        let record = trail.last().unwrap();
        assert_eq!(record["operation"], "importStatement", "{record}");
        assert_eq!(record["objectType"], "Account", "{record}");
        assert_eq!(change(record, "created_count").1, json!("10000"));

        // One line more than a statement may hold is refused whole.
        let file = ofx_102(&format!(
            "{entries}{}",
            sgml_entry("DEBIT", "20261101", "-1.00", "BIG-X", "Uno más")
        ));
        let (field, code) = refused(
            &app,
            &admin,
            &import(),
            json!({ "accountId": cash, "format": "OFX", "content": file }),
        )
        .await;
        assert_eq!(
            (field.as_str(), code.as_str()),
            ("content", "LIMIT_REACHED")
        );
    }
);

db_test!(
    a_large_body_is_read_for_a_known_caller_only,
    |config| { config.limits.max_authenticated_body_bytes = 512 * 1024 },
    |app| {
        let big = "x".repeat(300 * 1024);
        let body = json!({ "query": "{ __typename }", "variables": { "pad": big } });
        let anonymous = app.post_json(body.clone(), None).await;
        assert_eq!(
            anonymous.code(),
            Some("PAYLOAD_TOO_LARGE"),
            "{}",
            anonymous.text
        );
        let driver = app.login(DRIVER).await;
        let known = app
            .post_json(body.clone(), Some(&format!("Bearer {driver}")))
            .await;
        assert!(known.body["errors"].is_null(), "{}", known.text);
        let too_big =
            json!({ "query": "{ __typename }", "variables": { "pad": "x".repeat(600 * 1024) } });
        let refused = app
            .post_json(too_big, Some(&format!("Bearer {driver}")))
            .await;
        assert_eq!(
            refused.code(),
            Some("PAYLOAD_TOO_LARGE"),
            "{}",
            refused.text
        );
    }
);
