//! Where a request comes from: the TCP peer, or, behind `TRUSTED_PROXIES` proxies, the
//! address the outermost of them saw, read from `X-Forwarded-For`. Failed logins are
//! limited per address with it.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, Request, State},
    http::HeaderMap,
    middleware::Next,
    response::Response,
};

use crate::app::App;

const FORWARDED_FOR: &str = "x-forwarded-for";

/// The client's address, `None` when unknown (a router driven without a listener).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub Option<IpAddr>);

/// The client address of a request from `peer` with `headers`. With `trusted_proxies`
/// = n > 0, each proxy appends the address it was connected from to `X-Forwarded-For`,
/// so the n-th entry from the right was written by the outermost trusted proxy: entries
/// left of it are the client's to invent. A header with fewer entries, or an entry that
/// is not an address, is not trusted: the peer is the answer then. With 0 the header is
/// ignored.
pub fn resolve(
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    trusted_proxies: usize,
) -> Option<IpAddr> {
    if trusted_proxies == 0 {
        return peer;
    }
    // Several headers are one list, in order.
    let entries: Vec<&str> = headers
        .get_all(FORWARDED_FOR)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    entries
        .len()
        .checked_sub(trusted_proxies)
        .and_then(|index| entries.get(index))
        .and_then(|entry| parse_entry(entry))
        .or(peer)
}

/// `203.0.113.9`, `2001:db8::1`, or either with a port (`203.0.113.9:4711`,
/// `[2001:db8::1]:4711`), as some proxies write them.
fn parse_entry(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .map(|ip| ip.to_canonical())
}

/// Puts the request's [`ClientAddress`] in its extensions.
pub async fn assign(State(app): State<App>, mut request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_canonical());
    let address = resolve(peer, request.headers(), app.state.config.trusted_proxies);
    request.extensions_mut().insert(ClientAddress(address));
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(FORWARDED_FOR, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let peer = Some(ip("198.51.100.1"));
        assert_eq!(resolve(peer, &headers(&["203.0.113.9"]), 0), peer);
        assert_eq!(resolve(None, &headers(&["203.0.113.9"]), 0), None);
    }

    #[test]
    fn the_nth_entry_from_the_right_is_the_client() {
        let peer = Some(ip("10.0.0.2"));
        let chain = headers(&["6.6.6.6, 203.0.113.9", "10.0.0.1"]);
        assert_eq!(resolve(peer, &chain, 1), Some(ip("10.0.0.1")));
        assert_eq!(resolve(peer, &chain, 2), Some(ip("203.0.113.9")));
        assert_eq!(resolve(peer, &chain, 3), Some(ip("6.6.6.6")));
        // Fewer entries than proxies: the header did not come through them all.
        assert_eq!(resolve(peer, &chain, 4), peer);
        assert_eq!(resolve(peer, &HeaderMap::new(), 1), peer);
        assert_eq!(resolve(None, &HeaderMap::new(), 1), None);
    }

    #[test]
    fn entries_may_carry_ports_and_garbage_is_not_trusted() {
        let peer = Some(ip("10.0.0.2"));
        assert_eq!(
            resolve(peer, &headers(&["203.0.113.9:4711"]), 1),
            Some(ip("203.0.113.9"))
        );
        assert_eq!(
            resolve(peer, &headers(&["[2001:db8::1]:4711"]), 1),
            Some(ip("2001:db8::1"))
        );
        assert_eq!(
            resolve(peer, &headers(&["::ffff:203.0.113.9"]), 1),
            Some(ip("203.0.113.9"))
        );
        assert_eq!(resolve(peer, &headers(&["unknown"]), 1), peer);
        assert_eq!(resolve(peer, &headers(&["1.2.3.4, "]), 1), peer);
    }
}
