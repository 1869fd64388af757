//! Rows for scenarios the demo data does not have: drivers' wallets, contracts and
//! invoices, written straight through the entities (all in the demo organization, id 1).

use chrono::{NaiveDate, Utc};
use gateway::entities::{client_profile, contract, invoice, invoice::InvoiceStatus};
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};

/// An empty wallet and profile for a driver user.
pub async fn add_profile(db: &DatabaseConnection, client_id: i64) {
    client_profile::ActiveModel {
        user_id: Set(client_id),
        address: Set("Av. Test 123".into()),
        phone_number: Set("987654321".into()),
        plan_id: Set(None),
        coins_minor: Set(0),
        firebase_token: Set(None),
    }
    .insert(db)
    .await
    .unwrap();
}

/// An active contract of the driver.
pub async fn add_contract(
    db: &DatabaseConnection,
    client_id: i64,
    auto_charge: bool,
) -> contract::Model {
    contract::ActiveModel {
        organization_id: Set(1),
        client_id: Set(client_id),
        hash: Set(uuid::Uuid::new_v4().to_string()),
        status: Set("contract_active".into()),
        weekly_amount_minor: Set(50_000),
        auto_charge: Set(auto_charge),
        processor_public_key: Set(String::new()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
}

/// An invoice of the contract (weekly type, priority 1), not yet stored.
pub fn new_invoice(
    contract_id: i64,
    status: InvoiceStatus,
    total_minor: i64,
    due_date: NaiveDate,
) -> invoice::ActiveModel {
    invoice::ActiveModel {
        contract_id: Set(contract_id),
        hash: Set(uuid::Uuid::new_v4().to_string()),
        status: Set(status),
        priority: Set(1),
        due_date: Set(due_date),
        paid_date: Set(None),
        total_minor: Set(total_minor),
        observations: Set(String::new()),
        type_id: Set(1),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
}

// Books: transactions written straight into a book, for volume and edge-case tests that
// would take minutes through one mutation each.

use gateway::entities::{
    book, book_account, book_category, book_category::CategoryKind, book_tag, book_transaction,
    book_transaction::TransactionKind, book_transaction_tag, book_transfer,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// A book and what its transactions default to.
#[derive(Debug, Clone)]
pub struct BookParts {
    pub book: book::Model,
    pub account_id: i64,
    pub income_category_id: i64,
    pub expense_category_id: i64,
}

/// The book of the driver `owner_id`, or the business book of `organization_id` when
/// `owner_id` is `None`, with its default account and categories. The book must exist
/// (any `book` query creates it).
pub async fn book_parts(
    db: &DatabaseConnection,
    organization_id: i64,
    owner_id: Option<i64>,
) -> BookParts {
    let book = book::Entity::find()
        .filter(book::Column::OrganizationId.eq(organization_id))
        .filter(book::Column::OwnerKey.eq(owner_id.unwrap_or(book::BUSINESS_OWNER_KEY)))
        .one(db)
        .await
        .unwrap()
        .expect("the book exists: run a `book` query first");
    let account_id = book_account::Entity::find()
        .filter(book_account::Column::BookId.eq(book.id))
        .filter(book_account::Column::IsDefault.eq(true))
        .one(db)
        .await
        .unwrap()
        .expect("a default account")
        .id;
    let category = |kind: CategoryKind| {
        book_category::Entity::find()
            .filter(book_category::Column::BookId.eq(book.id))
            .filter(book_category::Column::Kind.eq(kind))
            .filter(book_category::Column::IsDefault.eq(true))
            .one(db)
    };
    let income_category_id = category(CategoryKind::Income).await.unwrap().unwrap().id;
    let expense_category_id = category(CategoryKind::Expense).await.unwrap().unwrap().id;
    BookParts {
        book,
        account_id,
        income_category_id,
        expense_category_id,
    }
}

/// A paid transaction of the book on `date`, in its default account and category of
/// the kind, recorded now by nobody; change fields before storing it.
pub fn new_transaction(
    parts: &BookParts,
    kind: TransactionKind,
    amount_minor: i64,
    date: NaiveDate,
) -> book_transaction::ActiveModel {
    let now = Utc::now();
    book_transaction::ActiveModel {
        organization_id: Set(parts.book.organization_id),
        book_id: Set(parts.book.id),
        kind: Set(kind),
        amount_minor: Set(amount_minor),
        description: Set(String::new()),
        date: Set(date),
        due_date: Set(None),
        paid: Set(true),
        paid_on: Set(Some(date)),
        category_id: Set(Some(match kind {
            TransactionKind::In => parts.income_category_id,
            TransactionKind::Out => parts.expense_category_id,
        })),
        account_id: Set(parts.account_id),
        contact_name: Set(String::new()),
        notes: Set(String::new()),
        barcode: Set(String::new()),
        external_id: Set(None),
        bank_data: Set(String::new()),
        ofx_id: Set(String::new()),
        reconciled_on: Set(None),
        excluded: Set(false),
        private: Set(false),
        transfer_id: Set(None),
        created_by_user_id: Set(None),
        created_by_token_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// Stores one transaction.
pub async fn add_transaction(
    db: &DatabaseConnection,
    row: book_transaction::ActiveModel,
) -> book_transaction::Model {
    row.insert(db).await.unwrap()
}

/// Stores many transactions, a few hundred per INSERT, and returns their ids in the
/// order given.
pub async fn add_transactions(
    db: &DatabaseConnection,
    rows: Vec<book_transaction::ActiveModel>,
) -> Vec<i64> {
    let book_id = match rows.first().map(|r| r.book_id.clone()) {
        Some(sea_orm::ActiveValue::Set(id)) => id,
        _ => return vec![],
    };
    let before: Vec<i64> = ids_of_book(db, book_id).await;
    let count = rows.len();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(200).collect();
        book_transaction::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await
            .unwrap();
    }
    // Ids grow with insertion on both databases, and nothing else writes meanwhile.
    let mut added: Vec<i64> = ids_of_book(db, book_id)
        .await
        .into_iter()
        .filter(|id| !before.contains(id))
        .collect();
    added.sort_unstable();
    assert_eq!(added.len(), count);
    added
}

async fn ids_of_book(db: &DatabaseConnection, book_id: i64) -> Vec<i64> {
    use sea_orm::QuerySelect;
    book_transaction::Entity::find()
        .select_only()
        .column(book_transaction::Column::Id)
        .filter(book_transaction::Column::BookId.eq(book_id))
        .into_tuple()
        .all(db)
        .await
        .unwrap()
}

/// A tag of the book.
pub async fn add_tag(db: &DatabaseConnection, parts: &BookParts, name: &str) -> i64 {
    let now = Utc::now();
    book_tag::ActiveModel {
        organization_id: Set(parts.book.organization_id),
        book_id: Set(parts.book.id),
        name: Set(name.into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id
}

/// Puts tags on transactions: each `(transaction_id, tag_id)`.
pub async fn tag_transactions(db: &DatabaseConnection, links: &[(i64, i64)]) {
    for chunk in links.chunks(500) {
        book_transaction_tag::Entity::insert_many(chunk.iter().map(|(transaction_id, tag_id)| {
            book_transaction_tag::ActiveModel {
                transaction_id: Set(*transaction_id),
                tag_id: Set(*tag_id),
            }
        }))
        .exec_without_returning(db)
        .await
        .unwrap();
    }
}

/// A transfer of `amount_minor` on `date` from the book's default account to
/// `to_account_id`: its two sides (OUT, then IN), without category.
pub async fn add_transfer(
    db: &DatabaseConnection,
    parts: &BookParts,
    to_account_id: i64,
    amount_minor: i64,
    date: NaiveDate,
) -> (book_transaction::Model, book_transaction::Model) {
    let transfer = book_transfer::ActiveModel {
        organization_id: Set(parts.book.organization_id),
        book_id: Set(parts.book.id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let side = |kind, account_id| {
        let mut row = new_transaction(parts, kind, amount_minor, date);
        row.category_id = Set(None);
        row.account_id = Set(account_id);
        row.transfer_id = Set(Some(transfer.id));
        row
    };
    let out = add_transaction(db, side(TransactionKind::Out, parts.account_id)).await;
    let inn = add_transaction(db, side(TransactionKind::In, to_account_id)).await;
    (out, inn)
}

/// Another account of the book.
pub async fn add_account(db: &DatabaseConnection, parts: &BookParts, name: &str) -> i64 {
    let now = Utc::now();
    book_account::ActiveModel {
        organization_id: Set(parts.book.organization_id),
        book_id: Set(parts.book.id),
        kind: Set(book_account::AccountKind::Checking),
        name: Set(name.into()),
        description: Set(String::new()),
        archived: Set(false),
        is_default: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id
}
