//! The fields of `Client` read from its `users` row, declared for the fast paths (see
//! `fast::columns`) apart from the resolvers in `types.rs`: the compiled pages read them,
//! and a driver's resolver compiles its own subtree (`contracts`) through those pages'
//! compiler, which would otherwise import the file that calls it.

use crate::{
    entities::user,
    graphql::{
        commons::{GlobalId, NodeKind},
        fast::{
            columns::{Column, stored},
            compiled::{self, Sql},
        },
    },
};

/// A `Client`'s fields read from its `users` row (see `fast::columns`), valued as the
/// resolvers of `types.rs` answer them. No list of drivers is answered from rows.
pub const CLIENT_COLUMNS: &[Column<user::Model>] = &[
    Column::compiled("id", |t| {
        GlobalId::postgres_sql(NodeKind::Client, &stored(t, "id"))
    }),
    Column::compiled("document", |t| stored(t, "document")),
    Column::compiled("firstName", |t| stored(t, "first_name")),
    Column::compiled("lastName", |t| stored(t, "last_name")),
    Column::compiled("fullName", |t| {
        format!("{t}.first_name || ' ' || {t}.last_name")
    }),
    Column::compiled("email", |t| stored(t, "email")),
    Column::compiled("role", |t| stored(t, "role")),
    Column::compiled("createdAt", |t| {
        compiled::timestamp(&stored(t, "created_at"))
    }),
    Column::compiled("active", |t| format!("({t}.deactivated_at IS NULL)")),
    Column::compiled("deactivatedAt", |t| {
        compiled::timestamp(&stored(t, "deactivated_at"))
    }),
    // Read from the driver's profile (see `profile_field`): here each column by a
    // subquery, where nothing can be joined (below a resolved driver); the fleet page's
    // compiler joins the profile where it can.
    Column::compiled("address", |t| by_subquery("address", t)),
    Column::compiled("phoneNumber", |t| by_subquery("phoneNumber", t)),
    Column::compiled("coins", |t| by_subquery("coins", t)),
];

/// The SQL of the field `name` of a `Client` read from the driver's profile, over
/// `column`, the SQL of one of the profile's columns (null when the driver has none: as
/// the resolvers, the field is then empty, or none). A compiled page that joins the
/// profile to the driver's row passes its columns; [`CLIENT_COLUMNS`] reads each by a
/// subquery ([`profile`]).
pub fn profile_field(name: &str, column: &dyn Fn(&str) -> String) -> Option<String> {
    Some(match name {
        "address" => format!("COALESCE({}, '')", column("address")),
        "phoneNumber" => format!("COALESCE({}, '')", column("phone_number")),
        "coins" => compiled::money(&format!("COALESCE({}, 0)", column("coins_minor"))),
        _ => return None,
    })
}

/// The SQL of a column of the profile of the driver on `users` row `t` (null when they
/// have none): the profile joined to the FROM clause that reads `t` where there is one
/// (looked up once, however many of its columns the fields read), else a subquery per
/// column.
pub fn profile_of(t: &str, sql: &mut Sql) -> impl Fn(&str) -> String + use<> {
    let joined = sql
        .joinable(t)
        .then(|| sql.join("client_profiles", |p| format!("{p}.user_id = {t}.id")));
    let t = t.to_string();
    move |name| match &joined {
        Some(p) => format!("{p}.{name}"),
        None => profile(&t, name),
    }
}

/// [`profile_field`] `name` of the driver on `users` row `t`, each column a subquery.
pub fn by_subquery(name: &str, t: &str) -> String {
    profile_field(name, &|column| profile(t, column)).unwrap_or_default()
}

/// The SQL of column `name` of the profile of the driver on `users` row `t`; null when
/// the driver has none.
pub fn profile(t: &str, name: &str) -> String {
    format!("(SELECT pr.{name} FROM client_profiles pr WHERE pr.user_id = {t}.id)")
}
