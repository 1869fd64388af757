//! `GET /documents/invoices/{id}.pdf`: a sales invoice as a PDF, authorized like the
//! GraphQL API (the same `Authorization` header; staff of the invoice's organization
//! only). 401 without valid credentials, 403 for drivers, 404 for an ID that is not one
//! of the caller's organization's invoices.

use axum::{
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use crate::{
    app::App,
    auth::{self, AuthError},
    domain::{
        DomainError,
        business::{self, invoices, pdf},
    },
    graphql::commons::{GlobalId, NodeKind},
};

fn plain(status: StatusCode, message: &str) -> Response {
    let mut response = (status, format!("{message}\n")).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn internal(err: &dyn std::fmt::Display) -> Response {
    tracing::error!(error = %err, "rendering an invoice PDF failed");
    plain(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error")
}

pub async fn invoice_pdf(
    State(app): State<App>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(header_value) = headers.get(header::AUTHORIZATION) else {
        return plain(
            StatusCode::UNAUTHORIZED,
            "Log in first: send `Authorization: Bearer <accessToken>` or `Token token=<api token>`",
        );
    };
    let Ok(header_value) = header_value.to_str() else {
        return plain(
            StatusCode::UNAUTHORIZED,
            &AuthError::MalformedHeader.to_string(),
        );
    };
    let viewer = match auth::authenticate(header_value, &app.state.auth.jwt, &app.state.db).await {
        Ok(viewer) => viewer,
        Err(AuthError::Database(err)) => return internal(&err),
        Err(err) => return plain(StatusCode::UNAUTHORIZED, &err.to_string()),
    };
    if let Err(err) = business::require_reader(&viewer) {
        return plain(StatusCode::FORBIDDEN, &err.to_string());
    }
    let not_found = || plain(StatusCode::NOT_FOUND, "invoice not found");
    let Some(id) = file
        .strip_suffix(".pdf")
        .and_then(|id| GlobalId::parse_as(id, NodeKind::SalesInvoice))
    else {
        return not_found();
    };
    let invoice = match invoices::own_invoice(&app.state.db, &viewer, id).await {
        Ok(invoice) => invoice,
        Err(DomainError::NotFound(_)) => return not_found(),
        Err(err) => return internal(&err),
    };
    let bytes = match invoices::invoice_pdf(&app.state.db, &viewer, &invoice).await {
        Ok(bytes) => bytes,
        Err(err) => return internal(&err),
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
