//! `GET /documents/invoices/{id}.pdf`: a sales invoice as a PDF, authorized like the
//! GraphQL API (the same `Authorization` header; staff of the invoice's organization
//! only). 401 without valid credentials, 403 for drivers, 404 for an ID that is not one
//! of the caller's organization's invoices. Refusals are plain text, in the language
//! `Accept-Language` asks for, else (once the caller is known) their organization's.

use axum::{
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use super::{graphql::bearer_challenge, text::Text};
use crate::{
    app::App,
    auth::{self, AuthError, Viewer},
    domain::{
        DomainError, Language, Message,
        business::{self, invoices, pdf},
    },
    graphql::commons::{GlobalId, NodeKind, request::organization_language},
};

pub(super) fn plain(
    status: StatusCode,
    message: impl Into<Message>,
    language: Language,
) -> Response {
    let message = message.into().say(language);
    let mut response = (status, format!("{message}\n")).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub(super) fn internal(err: &dyn std::fmt::Display, language: Language) -> Response {
    tracing::error!(error = %err, "answering a document failed");
    plain(
        StatusCode::INTERNAL_SERVER_ERROR,
        Text::InternalError,
        language,
    )
}

/// The language to answer `viewer` in: the one asked for, else their organization's
/// (read only when there is something to say), else English.
pub(super) async fn language_of(app: &App, asked: Option<Language>, viewer: &Viewer) -> Language {
    match asked {
        Some(language) => language,
        None => organization_language(&app.state.read_only, viewer, "-").await,
    }
}

/// The caller the `Authorization` header names, as `/graphql` reads it; else the 401,
/// with the RFC 6750 challenge that `/graphql`'s carries, in the language `asked`.
pub(super) async fn caller(
    app: &App,
    headers: &HeaderMap,
    asked: Option<Language>,
) -> Result<Viewer, Response> {
    let before_login = asked.unwrap_or_default();
    let unauthorized = |err: Option<&AuthError>, message: Message| {
        let mut response = plain(StatusCode::UNAUTHORIZED, message, before_login);
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, bearer_challenge(err));
        response
    };
    let Some(header_value) = headers.get(header::AUTHORIZATION) else {
        return Err(unauthorized(None, Text::DocumentLogInFirst.into()));
    };
    let Ok(header_value) = header_value.to_str() else {
        let err = AuthError::MalformedHeader;
        return Err(unauthorized(Some(&err), err.message()));
    };
    match auth::authenticate(header_value, &app.state.auth.jwt, &app.state.db).await {
        Ok(viewer) => Ok(viewer),
        Err(AuthError::Database(err)) => Err(internal(&err, before_login)),
        Err(err) => Err(unauthorized(Some(&err), err.message())),
    }
}

pub async fn invoice_pdf(
    State(app): State<App>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let asked = super::graphql::accept_language(&headers).and_then(Language::negotiate);
    let viewer = match caller(&app, &headers, asked).await {
        Ok(viewer) => viewer,
        Err(response) => return response,
    };
    if let Err(err) = business::require_reader(&viewer) {
        let language = language_of(&app, asked, &viewer).await;
        return match err {
            DomainError::Forbidden(message) => plain(StatusCode::FORBIDDEN, message, language),
            other => internal(&other, language),
        };
    }
    let Some(id) = file
        .strip_suffix(".pdf")
        .and_then(|id| GlobalId::parse_as(id, NodeKind::SalesInvoice))
    else {
        let language = language_of(&app, asked, &viewer).await;
        return plain(StatusCode::NOT_FOUND, Text::InvoiceNotFound, language);
    };
    let invoice = match invoices::own_invoice(&app.state.db, &viewer, id).await {
        Ok(invoice) => invoice,
        Err(err) => {
            let language = language_of(&app, asked, &viewer).await;
            return match err {
                DomainError::NotFound(_) => {
                    plain(StatusCode::NOT_FOUND, Text::InvoiceNotFound, language)
                }
                other => internal(&other, language),
            };
        }
    };
    let bytes = match invoices::invoice_pdf(&app.state.db, &viewer, &invoice).await {
        Ok(bytes) => bytes,
        Err(err) => {
            let language = language_of(&app, asked, &viewer).await;
            return internal(&err, language);
        }
    };
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(disposition) = HeaderValue::from_str(&format!(
        "inline; filename=\"{}\"",
        pdf::file_name(&invoice)
    )) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    response
}
