//! Which organization a request speaks for when it may come without a login (public
//! content, leads): the caller's own when logged in, the one named by slug, or the only one
//! when the gateway serves a single company; and how the operator creates one.

use crate::commons::{sentences::Text, text::NotFound};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, Set,
};

use crate::{
    DomainError, DomainResult, Language, UserErrorCode,
    audit::{self, Author, Change, ObjectKind},
    checks::{self, Problems},
    commons::{Id, OrganizationId, begin_write},
    entities::organization,
};

/// Resolves the organization of a public request.
///
/// A slug wins when given (public content is public for every organization); without one,
/// a logged-in caller's organization is used; without either, the only organization, or a
/// `BAD_USER_INPUT`-style error asking for the slug when there are several.
pub async fn resolve_public(
    db: &impl ConnectionTrait,
    slug: Option<&str>,
    caller_organization: Option<OrganizationId>,
) -> DomainResult<organization::Model> {
    if let Some(slug) = slug.map(str::trim) {
        return organization::Entity::find()
            .filter(organization::Column::Slug.eq(slug))
            .one(db)
            .await?
            .ok_or_else(|| {
                DomainError::invalid(
                    "organization",
                    UserErrorCode::NotFound,
                    Text::NoSuchSlug {
                        slug: slug.to_string(),
                    },
                )
            });
    }
    if let Some(id) = caller_organization {
        return organization::Entity::find_by_id(id.get())
            .one(db)
            .await?
            .ok_or_else(|| DomainError::from(NotFound::Organization));
    }
    let mut first_two = organization::Entity::find().limit(2).all(db).await?;
    if first_two.len() == 1
        && let Some(only) = first_two.pop()
    {
        return Ok(only);
    }
    Err(DomainError::invalid(
        "organization",
        UserErrorCode::OrganizationRequired,
        Text::SeveralOrganizations,
    ))
}

/// A new organization as the operator describes it at the command line.
#[derive(Debug, Clone)]
pub struct NewOrganization {
    pub name: String,
    /// How logins and public requests name it: lowercase letters, digits and hyphens.
    pub slug: String,
    /// IANA time zone (`America/Lima`) in which its dates are counted.
    pub timezone: String,
    /// ISO 4217 code of every amount it handles.
    pub currency: String,
    /// The language its people are answered in when a request does not say: `en`, `es`
    /// or `pt`.
    pub language: String,
}

/// Currencies whose amounts are kept in hundredths, as every amount here is (`Money`):
/// a currency with no cents (CLP, PYG, JPY) or with thousandths (BHD, KWD) would be
/// misread, so it is refused rather than stored.
const CURRENCIES: &[&str] = &[
    "ARS", "AUD", "BOB", "BRL", "CAD", "CHF", "CNY", "COP", "CRC", "DOP", "EUR", "GBP", "GTQ",
    "HNL", "MXN", "NIO", "NZD", "PAB", "PEN", "SEK", "USD", "UYU", "VES",
];

impl NewOrganization {
    fn check(&self) -> DomainResult<NewOrganization> {
        let mut p = Problems::default();
        let name = checks::text(&mut p, "name", &self.name, true, 200);
        let slug = self.slug.trim().to_string();
        let slug_ok = (2..=100).contains(&slug.len())
            && slug
                .bytes()
                .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
            && !slug.starts_with('-')
            && !slug.ends_with('-');
        if !slug_ok {
            p.add("slug", UserErrorCode::InvalidFormat, Text::SlugFormat);
        }
        let timezone = self.timezone.trim().to_string();
        if timezone.parse::<chrono_tz::Tz>().is_err() {
            p.add(
                "timezone",
                UserErrorCode::InvalidFormat,
                Text::UnknownTimezone {
                    timezone: timezone.clone(),
                },
            );
        }
        let currency = self.currency.trim().to_ascii_uppercase();
        if !CURRENCIES.contains(&currency.as_str()) {
            p.add(
                "currency",
                UserErrorCode::InvalidFormat,
                Text::UnsupportedCurrency {
                    currency: currency.clone(),
                    currencies: CURRENCIES.join(", "),
                },
            );
        }
        let language = Language::from_tag(&self.language);
        if language.is_none() {
            p.add(
                "language",
                UserErrorCode::InvalidFormat,
                Text::UnknownLanguage {
                    language: self.language.clone(),
                },
            );
        }
        p.finish()?;
        Ok(NewOrganization {
            name,
            slug,
            timezone,
            currency,
            language: language.unwrap_or_default().tag().to_string(),
        })
    }
}

/// Creates an organization (the operator's first step on an empty database), with the
/// audit record of its creation. A taken slug is DUPLICATE; nothing is half-created.
pub async fn create(
    db: &DatabaseConnection,
    input: &NewOrganization,
    now: DateTime<Utc>,
) -> DomainResult<organization::Model> {
    let input = input.check()?;
    let txn = begin_write(db).await?;
    let created = organization::ActiveModel {
        name: Set(input.name),
        slug: Set(input.slug),
        timezone: Set(input.timezone),
        currency: Set(input.currency),
        language: Set(input.language),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| checks::duplicate(err, "slug", Text::SlugTaken))?;
    crate::contracts::signing::create_invoice_types(&txn, Id::new(created.id)).await?;
    audit::record(
        &txn,
        Id::new(created.id),
        &Author::operator(),
        Change {
            kind: ObjectKind::Organization,
            object_id: created.id,
            operation: "createOrganization",
            before: None,
            after: Some(serde_json::json!({
                "name": created.name,
                "slug": created.slug,
                "timezone": created.timezone,
                "currency": created.currency,
                "language": created.language,
            })),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// The organization with `slug`, NOT_FOUND (as a user error on `organization`) when none.
pub async fn by_slug(db: &impl ConnectionTrait, slug: &str) -> DomainResult<organization::Model> {
    resolve_public(db, Some(slug), None).await
}

/// The language an organization's people are answered in when their request does not say
/// (English for a language no longer spoken).
pub async fn language(
    db: &impl ConnectionTrait,
    organization_id: OrganizationId,
) -> DomainResult<Language> {
    let tag: Option<String> = organization::Entity::find_by_id(organization_id.get())
        .select_only()
        .column(organization::Column::Language)
        .into_tuple()
        .one(db)
        .await?;
    Ok(tag
        .as_deref()
        .and_then(Language::from_tag)
        .unwrap_or_default())
}
