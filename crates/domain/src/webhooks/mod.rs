//! Webhooks (issue 23): endpoints an organization registers on its business book, to be
//! sent each change of the book they ask for as a signed HTTP POST.
//!
//! The change log is the outbox. The database writes a book's change log
//! (`books::changes`, table `book_changes`) in the same transaction as every change of
//! the book, whatever code made it; so a change is delivered if and only if it commits,
//! and nothing in a request waits for a receiver. A worker ([`deliveries`]) reads the log
//! after each endpoint's cursor, makes one delivery per change the endpoint asked for
//! and moves the cursor on in one transaction, then sends the deliveries: at least once,
//! in order per object, retried with a growing delay for a day.
//!
//! ADMINs, and the API tokens they made (which act as them), register endpoints; every
//! change is recorded in the audit trail through [`crate::business::in_business`]. An
//! endpoint's secret is shown once, when it is made or rotated; it is stored as it is,
//! since it signs every delivery ([`signing`]), and no read or audit record shows it.

pub mod deliveries;
pub mod events;
pub mod signing;
pub mod text;

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, Order, QueryFilter, Set,
};

use self::{events::EventKind, text::Text};
use crate::{
    DomainError, DomainResult, UserErrorCode,
    audit::{Actor, Change, ObjectKind},
    auth::{Viewer, secret},
    books::changes,
    business::in_business,
    checks::{self, Problems},
    commons::WebhookEndpointId,
    entities::webhook_endpoint,
    reads::Listing,
};

/// The longest URL an endpoint may have.
pub const MAX_URL_CHARS: usize = 2000;

/// ADMINs (and their API tokens) manage webhooks; everyone else is FORBIDDEN.
pub fn require_admin(viewer: &Viewer) -> DomainResult<()> {
    if viewer.is_admin() {
        Ok(())
    } else {
        Err(DomainError::Forbidden(Text::AdminsOnly.into()))
    }
}

/// A new endpoint (`createWebhookEndpoint`).
pub struct NewEndpoint {
    pub url: String,
    pub events: Vec<EventKind>,
    pub description: Option<String>,
    /// Whether receivers on this machine are allowed (in development only).
    pub loopback: bool,
}

/// What to change of an endpoint (`updateWebhookEndpoint`); `None` keeps the value.
#[derive(Default)]
pub struct EndpointChanges {
    pub url: Option<String>,
    pub events: Option<Vec<EventKind>>,
    pub description: Option<String>,
    /// A disabled endpoint is sent nothing; enabled again, it is sent the changes made
    /// from then on (none of those made while it was disabled).
    pub enabled: Option<bool>,
    /// Whether receivers on this machine are allowed (in development only).
    pub loopback: bool,
}

/// Where deliveries may be POSTed: https to a public host, or http to this machine only
/// (127.0.0.1, ::1, localhost), for a receiver in development, when `loopback` (this
/// machine) is allowed at all. A host written as an address must be public (see
/// [`is_public`]); a name is checked when it is sent to, on the addresses it resolves
/// to, since a name may resolve elsewhere tomorrow. Trimmed.
pub fn endpoint_url(p: &mut Problems, field: &str, value: &str, loopback: bool) -> String {
    let value = value.trim();
    if value.is_empty() {
        p.add(field, UserErrorCode::Required, Text::GiveUrl);
        return String::new();
    }
    if value.chars().count() > MAX_URL_CHARS {
        p.add(
            field,
            UserErrorCode::TooLong,
            Text::UrlTooLong {
                max: MAX_URL_CHARS.to_string(),
            },
        );
        return value.to_string();
    }
    match parse_url(value) {
        Err(problem) => p.add(field, UserErrorCode::InvalidFormat, problem),
        Ok(url) if url.is_loopback() && !loopback => p.add(
            field,
            UserErrorCode::InvalidFormat,
            Text::UrlNotPublic {
                host: url.host.to_string(),
            },
        ),
        Ok(url) if url.is_loopback() => {}
        Ok(url) if !url.https => p.add(
            field,
            UserErrorCode::InvalidFormat,
            Text::UrlNotLoopback {
                host: url.host.to_string(),
            },
        ),
        Ok(url) if url.address().is_some_and(|ip| !is_public(ip)) => p.add(
            field,
            UserErrorCode::InvalidFormat,
            Text::UrlNotPublic {
                host: url.host.to_string(),
            },
        ),
        Ok(_) => {}
    }
    value.to_string()
}

/// Whether deliveries may go to `ip`: an address of the public internet, not one of a
/// private network, this machine, a link (169.254.0.0/16, where clouds answer with their
/// machines' credentials), nor one reserved, shared (carrier NAT), for documentation or
/// multicast. Registering a receiver is no way into the gateway's own network.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            !(a == 0
                || a == 10
                || a == 127
                || a >= 224
                || (a == 100 && (64..128).contains(&b))
                || (a == 169 && b == 254)
                || (a == 172 && (16..32).contains(&b))
                || (a == 192 && b == 168)
                || (a == 192 && b == 0 && (c == 0 || c == 2))
                || (a == 198 && (b == 18 || b == 19))
                || (a == 198 && b == 51 && c == 100)
                || (a == 203 && b == 0 && c == 113))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_unspecified()
                || v6.is_loopback()
                || first & 0xff00 == 0xff00
                || first & 0xfe00 == 0xfc00
                || first & 0xffc0 == 0xfe80
                || (first == 0x2001 && v6.segments()[1] == 0x0db8)
                || (first == 0x0064 && v6.segments()[1] == 0xff9b)
                || first == 0x0100)
        }
    }
}

/// The parts of a URL the sender needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url<'a> {
    pub https: bool,
    /// The host as written; an IPv6 address without its brackets.
    pub host: &'a str,
    pub port: u16,
    /// The path and query as written (empty when there is none), without the fragment.
    pub path: &'a str,
}

impl Url<'_> {
    /// The path and query an HTTP request names: `/` without a path.
    pub fn request_target(&self) -> String {
        if self.path.starts_with('/') {
            self.path.to_string()
        } else {
            format!("/{}", self.path)
        }
    }

    /// Whether the host is this machine.
    pub fn is_loopback(&self) -> bool {
        self.address().is_some_and(|ip| ip.is_loopback())
            || self.host.eq_ignore_ascii_case("localhost")
    }

    /// The host when it is written as an address.
    pub fn address(&self) -> Option<IpAddr> {
        self.host.parse().ok()
    }
}

/// Parses an `http` or `https` URL: a host (a name, IPv4, or IPv6 in brackets), an
/// optional port, no user or password.
pub fn parse_url(value: &str) -> Result<Url<'_>, Text> {
    let (https, rest) = if let Some(rest) = strip_scheme(value, "https://") {
        (true, rest)
    } else if let Some(rest) = strip_scheme(value, "http://") {
        (false, rest)
    } else {
        return Err(Text::UrlScheme);
    };
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Text::UrlFormat);
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    let path = path.split('#').next().unwrap_or("");
    if authority.contains('@') {
        return Err(Text::UrlFormat);
    }
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (host, after) = bracketed.split_once(']').ok_or(Text::UrlFormat)?;
        if host.is_empty() || !host.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
            return Err(Text::UrlFormat);
        }
        (host, after.strip_prefix(':'))
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let valid_name = !host.is_empty()
        && host.len() <= 253
        && (host.contains(':')
            || (host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
                && !host.starts_with(['.', '-'])
                && !host.ends_with('.')));
    if !valid_name {
        return Err(Text::UrlFormat);
    }
    let port = match port {
        None => {
            if https {
                443
            } else {
                80
            }
        }
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => digits
            .parse::<u16>()
            .ok()
            .filter(|p| *p > 0)
            .ok_or(Text::UrlFormat)?,
        Some(_) => return Err(Text::UrlFormat),
    };
    Ok(Url {
        https,
        host,
        port,
        path,
    })
}

fn strip_scheme<'a>(value: &'a str, scheme: &str) -> Option<&'a str> {
    let head = value.get(..scheme.len())?;
    head.eq_ignore_ascii_case(scheme)
        .then(|| &value[scheme.len()..])
}

fn event_kinds(p: &mut Problems, field: &str, events: &[EventKind]) -> String {
    if events.is_empty() {
        p.add(field, UserErrorCode::Required, Text::NoEvents);
    }
    events::store(events)
}

/// One endpoint of the caller's organization, ADMINs only; any other is NOT_FOUND.
pub async fn own_endpoint<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: WebhookEndpointId,
) -> DomainResult<webhook_endpoint::Model> {
    require_admin(viewer)?;
    webhook_endpoint::Entity::find_by_id(id.get())
        .filter(webhook_endpoint::Column::OrganizationId.eq(viewer.organization_id))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::NotFound(Text::EndpointNotFound.into()))
}

/// The endpoints of the caller's organization, oldest first; ADMINs only.
pub fn endpoints(viewer: &Viewer) -> DomainResult<Listing<webhook_endpoint::Entity>> {
    require_admin(viewer)?;
    Ok(Listing::new(
        webhook_endpoint::Entity::find()
            .filter(webhook_endpoint::Column::OrganizationId.eq(viewer.organization_id)),
        [(webhook_endpoint::Column::Id, Order::Asc)],
    ))
}

/// Registers an endpoint on the business book (`createWebhookEndpoint`); it is sent the
/// changes made from now on. Returns it with its secret, which is shown only now.
pub async fn create_endpoint(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    new: NewEndpoint,
    now: DateTime<Utc>,
) -> DomainResult<(webhook_endpoint::Model, String)> {
    require_admin(actor.viewer)?;
    let mut p = Problems::default();
    let url = endpoint_url(&mut p, "url", &new.url, new.loopback);
    let events = event_kinds(&mut p, "events", &new.events);
    let description = checks::text(
        &mut p,
        "description",
        new.description.as_deref().unwrap_or(""),
        false,
        checks::MAX_DESCRIPTION_CHARS,
    );
    p.finish()?;
    let secret = secret::generate(signing::SECRET_PREFIX);
    let (user_id, token_id) = actor.viewer.creator();
    in_business(db, actor, now, async |txn, book| {
        let end = changes::end_of_log(txn, book.id).await?;
        let row = webhook_endpoint::ActiveModel {
            organization_id: Set(actor.viewer.organization_id.get()),
            book_id: Set(book.id),
            url: Set(url),
            description: Set(description),
            events: Set(events),
            enabled: Set(true),
            secret: Set(secret.clone()),
            // From the change after the last one committed: the business book is locked,
            // so no change commits in between.
            cursor: Set(end.seq),
            cursor_id: Set(end.id),
            created_by_user_id: Set(user_id),
            created_by_token_id: Set(token_id),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let change = Change::of(
            ObjectKind::WebhookEndpoint,
            row.id,
            "createWebhookEndpoint",
            None,
            Some(&row),
        );
        Ok(((row, secret), change))
    })
    .await
}

/// Changes the fields sent of an endpoint (`updateWebhookEndpoint`).
pub async fn update_endpoint(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: WebhookEndpointId,
    changes: EndpointChanges,
    now: DateTime<Utc>,
) -> DomainResult<webhook_endpoint::Model> {
    require_admin(actor.viewer)?;
    let mut p = Problems::default();
    let url = changes
        .url
        .as_deref()
        .map(|url| endpoint_url(&mut p, "url", url, changes.loopback));
    let events = changes
        .events
        .as_deref()
        .map(|events| event_kinds(&mut p, "events", events));
    let description = changes.description.as_deref().map(|text| {
        checks::text(
            &mut p,
            "description",
            text,
            false,
            checks::MAX_DESCRIPTION_CHARS,
        )
    });
    p.finish()?;
    in_business(db, actor, now, async |txn, book| {
        let before = own_endpoint(txn, actor.viewer, id).await?;
        let mut active = before.clone().into_active_model();
        if let Some(url) = url {
            active.url = Set(url);
        }
        if let Some(events) = events {
            active.events = Set(events);
        }
        if let Some(description) = description {
            active.description = Set(description);
        }
        if let Some(enabled) = changes.enabled {
            if enabled && !before.enabled {
                // Nothing made while it was disabled is sent.
                let end = changes::end_of_log(txn, book.id).await?;
                active.cursor = Set(end.seq);
                active.cursor_id = Set(end.id);
            }
            active.enabled = Set(enabled);
        }
        active.updated_at = Set(now);
        let after = active.update(txn).await?;
        let change = Change::of(
            ObjectKind::WebhookEndpoint,
            after.id,
            "updateWebhookEndpoint",
            Some(&before),
            Some(&after),
        );
        Ok((after, change))
    })
    .await
}

/// Gives an endpoint a new secret (`rotateWebhookSecret`), shown only now; deliveries
/// sent from now on are signed with it.
pub async fn rotate_secret(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: WebhookEndpointId,
    now: DateTime<Utc>,
) -> DomainResult<(webhook_endpoint::Model, String)> {
    require_admin(actor.viewer)?;
    let secret = secret::generate(signing::SECRET_PREFIX);
    in_business(db, actor, now, async |txn, _| {
        let before = own_endpoint(txn, actor.viewer, id).await?;
        let mut active = before.clone().into_active_model();
        active.secret = Set(secret.clone());
        active.updated_at = Set(now);
        let after = active.update(txn).await?;
        // The secret is no audited field: the record says that it changed, not to what.
        let change = Change::of(
            ObjectKind::WebhookEndpoint,
            after.id,
            "rotateWebhookSecret",
            Some(&before),
            Some(&after),
        );
        Ok(((after, secret), change))
    })
    .await
}

/// Deletes an endpoint and its deliveries (`deleteWebhookEndpoint`): nothing more is
/// sent to it, a delivery being sent at that moment aside.
pub async fn delete_endpoint(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: WebhookEndpointId,
    now: DateTime<Utc>,
) -> DomainResult<i64> {
    require_admin(actor.viewer)?;
    in_business(db, actor, now, async |txn, _| {
        let row = own_endpoint(txn, actor.viewer, id).await?;
        webhook_endpoint::Entity::delete_by_id(row.id)
            .exec(txn)
            .await?;
        let change = Change::of(
            ObjectKind::WebhookEndpoint,
            row.id,
            "deleteWebhookEndpoint",
            Some(&row),
            None,
        );
        Ok((row.id, change))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(url: &str) -> Option<UserErrorCode> {
        let mut p = Problems::default();
        endpoint_url(&mut p, "url", url, true);
        p.finish().err().map(|err| match err {
            DomainError::Invalid(errors) => errors[0].code,
            other => panic!("{other:?}"),
        })
    }

    #[test]
    fn https_anywhere_http_only_to_this_machine() {
        assert_eq!(problem("https://example.com/hooks"), None);
        assert_eq!(problem("https://example.com:8443/hooks?x=1"), None);
        assert_eq!(problem("http://127.0.0.1:9000/in"), None);
        assert_eq!(problem("http://[::1]:9000/in"), None);
        assert_eq!(problem("HTTP://LOCALHOST/in"), None);
        assert_eq!(
            problem("http://example.com/hooks"),
            Some(UserErrorCode::InvalidFormat)
        );
        assert_eq!(
            problem("ftp://example.com/x"),
            Some(UserErrorCode::InvalidFormat)
        );
        assert_eq!(
            problem("https://user:pw@example.com/"),
            Some(UserErrorCode::InvalidFormat)
        );
        assert_eq!(
            problem("https://example.com:0/"),
            Some(UserErrorCode::InvalidFormat)
        );
        assert_eq!(
            problem("https:// example.com/"),
            Some(UserErrorCode::InvalidFormat)
        );
        assert_eq!(problem("  "), Some(UserErrorCode::Required));
    }

    #[test]
    fn only_public_addresses_and_this_machine_in_development() {
        for url in [
            "https://10.1.2.3/in",
            "https://172.16.0.1/in",
            "https://192.168.1.1/in",
            "https://169.254.169.254/latest/meta-data",
            "https://100.64.0.1/in",
            "https://0.0.0.0/in",
            "https://224.0.0.1/in",
            "https://[fd00::1]/in",
            "https://[fe80::1]/in",
            "https://[::ffff:10.0.0.1]/in",
            "https://[::]/in",
        ] {
            assert_eq!(problem(url), Some(UserErrorCode::InvalidFormat), "{url}");
        }
        assert_eq!(problem("https://8.8.8.8/in"), None);
        assert_eq!(problem("https://[2606:4700::1111]/in"), None);
        assert_eq!(problem("https://127.0.0.2:9/in"), None);
        // In production this machine is refused too, by address or by name.
        for url in [
            "http://127.0.0.1:9/in",
            "https://localhost/in",
            "https://[::1]/",
        ] {
            let mut p = Problems::default();
            endpoint_url(&mut p, "url", url, false);
            assert!(p.finish().is_err(), "{url}");
        }
    }

    #[test]
    fn a_url_gives_the_sender_its_parts() {
        let url = parse_url("http://[::1]:8080?a=1").unwrap();
        assert_eq!((url.host, url.port), ("::1", 8080));
        assert_eq!(url.request_target(), "/?a=1");
        let url = parse_url("https://example.com/in#frag").unwrap();
        assert_eq!((url.https, url.port), (true, 443));
        assert_eq!(url.request_target(), "/in");
        assert_eq!(
            parse_url("https://example.com").unwrap().request_target(),
            "/"
        );
    }
}
