//! A driver's wallet history (recharges, movements), newest first, for many drivers at
//! once: one statement per call however many drivers.

use crate::commons::{Id, UserId};
use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
    Statement, Value,
};

use crate::{
    entities::{recharge, wallet_movement},
    reads::{bigint, placeholder},
};

/// A table whose rows belong to one driver and are listed newest first (by id).
pub trait ClientRows: EntityTrait {
    const TABLE: &'static str;
    fn client_column() -> Self::Column;
    fn client_of(row: &Self::Model) -> i64;
}

impl ClientRows for recharge::Entity {
    const TABLE: &'static str = "recharges";
    fn client_column() -> Self::Column {
        recharge::Column::ClientId
    }
    fn client_of(row: &recharge::Model) -> i64 {
        row.client_id
    }
}

impl ClientRows for wallet_movement::Entity {
    const TABLE: &'static str = "wallet_movements";
    fn client_column() -> Self::Column {
        wallet_movement::Column::ClientId
    }
    fn client_of(row: &wallet_movement::Model) -> i64 {
        row.client_id
    }
}

/// One page of one driver's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PageKey {
    pub client_id: UserId,
    pub offset: u64,
    pub limit: u64,
}

/// The page each key asks for, newest first.
pub async fn newest_first<E, C>(
    db: &C,
    keys: &[PageKey],
) -> Result<HashMap<PageKey, Vec<E::Model>>, DbErr>
where
    E: ClientRows,
    E::Model: FromQueryResult,
    C: ConnectionTrait,
{
    let backend = db.get_database_backend();
    let mut windows: HashMap<(u64, u64), Vec<i64>> = HashMap::new();
    for key in keys {
        windows
            .entry((key.offset, key.limit))
            .or_default()
            .push(key.client_id.get());
    }
    let mut pages = HashMap::new();
    for ((offset, limit), clients) in windows {
        let mut values: Vec<Value> = clients.iter().map(|c| (*c).into()).collect();
        let ids: Vec<String> = (1..=values.len())
            .map(|n| placeholder(backend, n))
            .collect();
        values.push(bigint(offset).into());
        let low = placeholder(backend, values.len());
        values.push(bigint(offset.saturating_add(limit)).into());
        let high = placeholder(backend, values.len());
        let sql = format!(
            "SELECT * FROM (SELECT {table}.*, ROW_NUMBER() OVER (PARTITION BY client_id ORDER BY id DESC) AS page_rank \
             FROM {table} WHERE client_id IN ({ids})) ranked \
             WHERE page_rank > {low} AND page_rank <= {high} ORDER BY client_id, page_rank",
            table = E::TABLE,
            ids = ids.join(", "),
        );
        let rows = E::find()
            .from_raw_sql(Statement::from_sql_and_values(backend, sql, values))
            .all(db)
            .await?;
        for client_id in &clients {
            pages.insert(
                PageKey {
                    client_id: Id::new(*client_id),
                    offset,
                    limit,
                },
                Vec::new(),
            );
        }
        for row in rows {
            let key = PageKey {
                client_id: Id::new(E::client_of(&row)),
                offset,
                limit,
            };
            pages.entry(key).or_insert_with(Vec::new).push(row);
        }
    }
    Ok(pages)
}

/// How many rows each of `clients` has.
pub async fn counts<E: ClientRows, C: ConnectionTrait>(
    db: &C,
    clients: &[UserId],
) -> Result<HashMap<UserId, u64>, DbErr> {
    let rows: Vec<(i64, i64)> = E::find()
        .select_only()
        .column(E::client_column())
        .column_as(E::client_column().count(), "n")
        .filter(crate::reads::one_of(
            db.get_database_backend(),
            E::client_column(),
            clients.iter().copied(),
        ))
        .group_by(E::client_column())
        .into_tuple()
        .all(db)
        .await?;
    let mut counts: HashMap<UserId, u64> = clients.iter().map(|k| (*k, 0)).collect();
    for (client, n) in rows {
        counts.insert(Id::new(client), n as u64);
    }
    Ok(counts)
}
