//! The change log of every book (issue 23): one row for each row of a book's tables
//! created, updated or deleted, written by the database in the same transaction as the
//! change, whatever code made it (a mutation, a job, a command, a cascade).
//!
//! Each book counts the transactions that change it (`books.change_seq`): a change takes
//! the next number by adding one to the count, an update of the book's row that holds its
//! lock (PostgreSQL) or the database's write lock (SQLite) until the transaction ends, so
//! the numbers follow the order in which the changes commit. A reader orders changes by
//! (`seq`, `id`): one that sees number n sees every change before it, and a sync that
//! resumes after a change can never miss one committed while it read. The books' writes
//! already lock the book as their first statement, so they wait no more than before; a
//! driver's invoices and wallet movements now also take their book's lock.
//!
//! On PostgreSQL a transaction takes one number for all its changes of a book (it keeps
//! it in a setting local to the transaction): updating one row once per change would
//! leave one dead version of the book's row per change until the transaction ends, and
//! each update would walk them all (a 10,000-row import took 0.96 s in the triggers
//! alone, and grew with the square of the rows; 0.09 s with one number). On SQLite,
//! which updates rows in place, each change takes its own.
//!
//! Rows of the driver's tables (invoices, wallet movements) and of the business
//! documents (customers, sales invoices, receipts) have no book column: their book is the
//! driver's (`owner_key` = the driver's user id) or the organization's business book
//! (`owner_key` = 0). A change made before that book was opened is not logged here; the
//! book's opening logs what it already holds (`domain::books::changes::log_existing`).
//!
//! A recurring series is not logged: its unstored occurrences are computed, not rows, and
//! its stored ones are transactions, which are.
//!
//! On PostgreSQL the trigger also announces the book's change on the events channel
//! (identical notifications of one transaction are delivered once), so that every
//! replica's subscribers hear it at commit.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Books {
    Table,
    Id,
    ChangeSeq,
}

#[derive(DeriveIden)]
enum BookChanges {
    Table,
    Id,
    BookId,
    Seq,
    Kind,
    ObjectId,
    Operation,
    At,
}

/// A table whose rows are logged. `object` and `book` are SQL expressions over the row,
/// written with `R.` for it (`NEW.` or `OLD.` in the trigger).
struct Source {
    table: &'static str,
    kind: &'static str,
    object: &'static str,
    book: &'static str,
    /// A row that is part of another object (a transaction's tag, an invoice's
    /// discount): its creation or deletion is an update of that object.
    part: bool,
    /// Which rows of the table are logged this way, when not all.
    when: Option<&'static str>,
}

const BUSINESS_BOOK: &str =
    "(SELECT b.id FROM books b WHERE b.organization_id = R.organization_id AND b.owner_key = 0)";

const SOURCES: &[Source] = &[
    Source {
        table: "book_transactions",
        kind: "TRANSACTION",
        object: "R.id",
        book: "R.book_id",
        part: false,
        when: None,
    },
    Source {
        table: "book_transaction_tags",
        kind: "TRANSACTION",
        object: "R.transaction_id",
        book: "(SELECT t.book_id FROM book_transactions t WHERE t.id = R.transaction_id)",
        part: true,
        when: None,
    },
    Source {
        table: "book_transfers",
        kind: "TRANSFER",
        object: "R.id",
        book: "R.book_id",
        part: false,
        when: None,
    },
    // A credit card's own account is the card's, not an account of the book.
    Source {
        table: "book_accounts",
        kind: "ACCOUNT",
        object: "R.id",
        book: "R.book_id",
        part: false,
        when: Some("NOT R.for_credit_card"),
    },
    Source {
        table: "book_accounts",
        kind: "CREDIT_CARD",
        object: "(SELECT c.id FROM book_credit_cards c WHERE c.account_id = R.id)",
        book: "R.book_id",
        part: true,
        when: Some("R.for_credit_card"),
    },
    Source {
        table: "book_credit_cards",
        kind: "CREDIT_CARD",
        object: "R.id",
        book: "R.book_id",
        part: false,
        when: None,
    },
    Source {
        table: "book_credit_card_cycles",
        kind: "CREDIT_CARD",
        object: "R.credit_card_id",
        book: "(SELECT c.book_id FROM book_credit_cards c WHERE c.id = R.credit_card_id)",
        part: true,
        when: None,
    },
    Source {
        table: "book_categories",
        kind: "CATEGORY",
        object: "R.id",
        book: "R.book_id",
        part: false,
        when: None,
    },
    Source {
        table: "book_tags",
        kind: "TAG",
        object: "R.id",
        book: "R.book_id",
        part: false,
        when: None,
    },
    Source {
        table: "book_budgets",
        kind: "BUDGET",
        object: "R.id",
        book: "R.book_id",
        part: false,
        when: None,
    },
    Source {
        table: "customers",
        kind: "CUSTOMER",
        object: "R.id",
        book: BUSINESS_BOOK,
        part: false,
        when: None,
    },
    Source {
        table: "sales_invoices",
        kind: "SALES_INVOICE",
        object: "R.id",
        book: BUSINESS_BOOK,
        part: false,
        when: None,
    },
    Source {
        table: "sales_invoice_items",
        kind: "SALES_INVOICE",
        object: "R.invoice_id",
        book: "(SELECT b.id FROM books b JOIN sales_invoices s \
               ON s.organization_id = b.organization_id AND b.owner_key = 0 \
               WHERE s.id = R.invoice_id)",
        part: true,
        when: None,
    },
    Source {
        table: "receipts",
        kind: "RECEIPT",
        object: "R.id",
        book: BUSINESS_BOOK,
        part: false,
        when: None,
    },
    Source {
        table: "invoices",
        kind: "INVOICE",
        object: "R.id",
        book: "(SELECT b.id FROM books b JOIN contracts c \
               ON c.organization_id = b.organization_id AND b.owner_key = c.client_id \
               WHERE c.id = R.contract_id)",
        part: false,
        when: None,
    },
    Source {
        table: "invoice_discounts",
        kind: "INVOICE",
        object: "R.invoice_id",
        book: "(SELECT b.id FROM books b JOIN contracts c \
               ON c.organization_id = b.organization_id AND b.owner_key = c.client_id \
               JOIN invoices i ON i.contract_id = c.id WHERE i.id = R.invoice_id)",
        part: true,
        when: None,
    },
    Source {
        table: "wallet_movements",
        kind: "WALLET_MOVEMENT",
        object: "R.id",
        book: "(SELECT b.id FROM books b \
               WHERE b.organization_id = R.organization_id AND b.owner_key = R.client_id)",
        part: false,
        when: None,
    },
];

const EVENTS: [(&str, &str, &str); 3] = [
    ("INSERT", "NEW", "CREATED"),
    ("UPDATE", "NEW", "UPDATED"),
    ("DELETE", "OLD", "DELETED"),
];

/// What the books already hold when the log begins, logged as created, each book's
/// numbered from 1: the objects a part belongs to, in an order where what a row refers to
/// comes first (accounts before their transactions).
fn existing(backend: sea_orm_migration::sea_orm::DatabaseBackend) -> Vec<String> {
    let now = match backend {
        sea_orm_migration::sea_orm::DatabaseBackend::Postgres => "now()",
        _ => "strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')",
    };
    const ORDER: [&str; 12] = [
        "ACCOUNT",
        "CREDIT_CARD",
        "CATEGORY",
        "TAG",
        "TRANSACTION",
        "TRANSFER",
        "BUDGET",
        "CUSTOMER",
        "SALES_INVOICE",
        "RECEIPT",
        "INVOICE",
        "WALLET_MOVEMENT",
    ];
    let rows = ORDER
        .iter()
        .enumerate()
        .map(|(rank, kind)| {
            let source = SOURCES
                .iter()
                .find(|s| s.kind == *kind && !s.part)
                .expect("every kind has its table");
            format!(
                "SELECT {book} AS book_id, {rank} AS ord, '{kind}' AS kind, \
                 {object} AS object_id FROM {table} R WHERE {when}",
                book = source.book,
                object = source.object,
                table = source.table,
                when = source.when.unwrap_or("1 = 1"),
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    vec![
        format!(
            "INSERT INTO book_changes (book_id, seq, kind, object_id, operation, at) \
             SELECT book_id, ROW_NUMBER() OVER (PARTITION BY book_id ORDER BY ord, object_id), \
               kind, object_id, 'CREATED', {now} \
             FROM ({rows}) existing WHERE book_id IS NOT NULL"
        ),
        "UPDATE books SET change_seq = \
           (SELECT COALESCE(MAX(c.seq), 0) FROM book_changes c WHERE c.book_id = books.id)"
            .to_string(),
    ]
}

fn triggers(backend: sea_orm_migration::sea_orm::DatabaseBackend) -> Vec<String> {
    let mut statements = Vec::new();
    for source in SOURCES {
        for (event, row, operation) in EVENTS {
            let operation = if source.part { "UPDATED" } else { operation };
            let book = source.book.replace("R.", &format!("{row}."));
            let object = source.object.replace("R.", &format!("{row}."));
            let name = format!(
                "book_changes_{}_{}_{}",
                source.table,
                source.kind.to_lowercase(),
                event.to_lowercase()
            );
            let when = source
                .when
                .map(|when| when.replace("R.", &format!("{row}.")));
            let kind = source.kind;
            match backend {
                sea_orm_migration::sea_orm::DatabaseBackend::Postgres => {
                    statements.push(format!(
                        "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ \
                         DECLARE b BIGINT; o BIGINT; s BIGINT; k TEXT; \
                         BEGIN \
                           b := {book}; \
                           o := {object}; \
                           IF b IS NULL OR o IS NULL THEN RETURN NULL; END IF; \
                           k := 'book_changes.seq_' || b; \
                           s := nullif(current_setting(k, true), '')::bigint; \
                           IF s IS NULL THEN \
                             UPDATE books SET change_seq = change_seq + 1 WHERE id = b \
                               RETURNING change_seq INTO s; \
                             IF s IS NULL THEN RETURN NULL; END IF; \
                             PERFORM set_config(k, s::text, true); \
                           END IF; \
                           INSERT INTO book_changes (book_id, seq, kind, object_id, operation, at) \
                             VALUES (b, s, '{kind}', o, '{operation}', now()); \
                           PERFORM pg_notify('gateway_events', \
                             json_build_object('BookChanged', json_build_object('book_id', b))::text); \
                           RETURN NULL; \
                         END $$"
                    ));
                    let when = when.map(|w| format!("WHEN ({w})")).unwrap_or_default();
                    statements.push(format!(
                        "CREATE TRIGGER {name} AFTER {event} ON {table} \
                         FOR EACH ROW {when} EXECUTE FUNCTION {name}()",
                        table = source.table
                    ));
                }
                _ => {
                    let when = when.map(|w| format!("WHEN {w}")).unwrap_or_default();
                    statements.push(format!(
                        "CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW {when} BEGIN \
                           UPDATE books SET change_seq = change_seq + 1 \
                             WHERE id = {book} AND {object} IS NOT NULL; \
                           INSERT INTO book_changes (book_id, seq, kind, object_id, operation, at) \
                             SELECT id, change_seq, '{kind}', {object}, '{operation}', \
                               strftime('%Y-%m-%d %H:%M:%f+00:00', 'now') \
                             FROM books WHERE id = {book} AND {object} IS NOT NULL; \
                         END",
                        table = source.table
                    ))
                }
            }
        }
    }
    statements
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Books::Table)
                    .add_column(big_integer(Books::ChangeSeq).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BookChanges::Table)
                    .col(big_pk_auto(BookChanges::Id))
                    .col(big_integer(BookChanges::BookId))
                    .col(big_integer(BookChanges::Seq))
                    .col(string_len(BookChanges::Kind, 16))
                    .col(big_integer(BookChanges::ObjectId))
                    .col(string_len(BookChanges::Operation, 8))
                    .col(timestamp_with_time_zone(BookChanges::At))
                    .foreign_key(
                        ForeignKey::create()
                            .from(BookChanges::Table, BookChanges::BookId)
                            .to(Books::Table, Books::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // A page of changes is a range of one book's (number, id).
        manager
            .create_index(
                Index::create()
                    .name("ux_book_changes_book_seq_id")
                    .table(BookChanges::Table)
                    .col(BookChanges::BookId)
                    .col(BookChanges::Seq)
                    .col(BookChanges::Id)
                    .unique()
                    .to_owned(),
            )
            .await?;
        let connection = manager.get_connection();
        let backend = manager.get_database_backend();
        for statement in existing(backend).into_iter().chain(triggers(backend)) {
            connection.execute_unprepared(&statement).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_trigger_names_its_row_and_no_placeholder_is_left() {
        for backend in [
            sea_orm_migration::sea_orm::DatabaseBackend::Postgres,
            sea_orm_migration::sea_orm::DatabaseBackend::Sqlite,
        ] {
            for statement in triggers(backend) {
                assert!(!statement.contains("R."), "{statement}");
            }
            for statement in existing(backend) {
                assert!(statement.contains("R.") || statement.starts_with("UPDATE"));
            }
        }
    }
}
