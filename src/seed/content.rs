//! Common content: the Leasy REST API's "Commons" examples, in Spanish as the REST API has
//! them. Tips are dated relative to today so that "today's tips" always has some.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use sea_orm::{ActiveModelTrait, DatabaseTransaction, DbErr, Set, TransactionTrait};

use crate::{
    domain::commons::Calendar,
    entities::{
        emergency_contact, emergency_contact_group, emergency_contact_group::EmergencyCase,
        expense_category, faq, service_contact_channel, support_contact,
        support_contact::SupportKind, tip, tip_category,
    },
};

use super::SeedError;

/// (name, code) of the REST API's expense categories.
const DEMO_EXPENSE_CATEGORIES: [(&str, &str); 4] = [
    ("Mantenimiento", "mantenimiento"),
    ("Gastos Personales", "gastos_personales"),
    ("Combustible", "combustible"),
    ("Otros", "otros"),
];

/// (case, name, description, [(contact name, phone)]) of the REST API's emergency
/// contacts.
type DemoEmergencyGroup = (
    EmergencyCase,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

const DEMO_EMERGENCY_GROUPS: [DemoEmergencyGroup; 3] = [
    (
        EmergencyCase::Accident,
        "Accidentes",
        "En caso de accidentes",
        &[("Rigoberto", "953884777")],
    ),
    (
        EmergencyCase::Block,
        "Bloqueo de vehículo",
        "En caso de bloqueos por falta de pago",
        &[("Cobranzas", "991337801")],
    ),
    (
        EmergencyCase::Theft,
        "Robo",
        "En caso de robo de vehículo",
        &[("Luis Gómez", "965448883")],
    ),
];

/// The REST API's mechanical, emergency and ride-hailing affiliation lines.
const DEMO_SUPPORT_CONTACTS: [(SupportKind, &str, &str); 3] = [
    (SupportKind::Mechanical, "Soporte Mecánico", "+51987928878"),
    (SupportKind::Emergency, "Emergencias", "+51987928878"),
    (
        SupportKind::RideHailingAffiliation,
        "Afiliaciones UBER",
        "+51987928878",
    ),
];

/// (label, code, value) of the REST API's service contacts.
const DEMO_SERVICE_CHANNELS: [(&str, &str, &str); 2] = [
    ("Teléfono", "phone_number", "947 947 158"),
    (
        "Correo electrónico",
        "email_address",
        "ventas@leasyauto.com",
    ),
];

/// The REST API's FAQs, oldest first (the REST API lists them newest first).
const DEMO_FAQS: [(&str, &[&str]); 2] = [
    ("Hola a todos", &["Si, esto es el primero content"]),
    (
        "Esto no lo es",
        &["Hola a todos", "Hola a todos 2", "Hola a todos 3"],
    ),
];

/// (name, code) of the REST API's tip categories.
const DEMO_TIP_CATEGORIES: [(&str, &str); 6] = [
    ("Mantenimiento", "mantenimiento"),
    ("Reparaciones", "reparaciones"),
    ("Limpieza", "limpieza"),
    ("Multas y tránsito", "multas_y_transito"),
    ("Seguridad vehicular", "seguridad_vehicular"),
    ("Presupuesto vehicular", "presupuesto_vehicular"),
];

struct DemoTip {
    category: &'static str,
    title: Option<&'static str>,
    paragraphs: &'static [&'static str],
    popular: bool,
    /// Days from today to the publication date; positive schedules it.
    published_in_days: i64,
}

/// The REST API's tips show `"content": ["...", "..."]`; these fill that shape with real
/// text.
const DEMO_TIPS: [DemoTip; 8] = [
    DemoTip {
        category: "mantenimiento",
        title: None,
        paragraphs: &[
            "Revisa la presión de las llantas cada semana, con el auto frío.",
            "Una llanta baja gasta más combustible y se desgasta antes.",
        ],
        popular: true,
        published_in_days: -10,
    },
    DemoTip {
        category: "presupuesto_vehicular",
        title: None,
        paragraphs: &[
            "Separa cada día una parte de tus ganancias para la cuota semanal.",
            "Registra tus gastos de combustible para saber cuánto ganas de verdad.",
        ],
        popular: false,
        published_in_days: -7,
    },
    DemoTip {
        category: "seguridad_vehicular",
        title: None,
        paragraphs: &["Estaciona en lugares iluminados y no dejes objetos a la vista."],
        popular: false,
        published_in_days: -5,
    },
    DemoTip {
        category: "reparaciones",
        title: Some("Ruidos extraños"),
        paragraphs: &[
            "Si escuchas un ruido nuevo al frenar, no esperes: llama a Soporte Mecánico.",
            "Una reparación a tiempo cuesta menos que una grúa.",
        ],
        popular: true,
        published_in_days: -3,
    },
    DemoTip {
        category: "multas_y_transito",
        title: None,
        paragraphs: &[
            "Respeta los límites de velocidad: las papeletas graves pueden suspender tu licencia.",
            "Consulta tus papeletas en la web del SAT antes de renovar tus documentos.",
        ],
        popular: true,
        published_in_days: -1,
    },
    DemoTip {
        category: "mantenimiento",
        title: None,
        paragraphs: &[
            "Cambia el aceite cada 5 000 km o cuando lo indique el manual de tu auto.",
            "Anota el kilometraje del último cambio para no pasarte.",
        ],
        popular: false,
        published_in_days: 0,
    },
    DemoTip {
        category: "limpieza",
        title: None,
        paragraphs: &[
            "Limpia el interior al terminar la jornada: los pasajeros califican mejor un auto limpio.",
        ],
        popular: false,
        published_in_days: 0,
    },
    DemoTip {
        category: "mantenimiento",
        title: Some("Antes de salir de viaje"),
        paragraphs: &["Antes de un viaje largo revisa frenos, luces y niveles de agua y aceite."],
        popular: false,
        published_in_days: 2,
    },
];

async fn seed_content_rows(
    txn: &DatabaseTransaction,
    organization_id: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    for (name, code) in DEMO_EXPENSE_CATEGORIES {
        expense_category::ActiveModel {
            organization_id: Set(organization_id),
            name: Set(name.into()),
            code: Set(code.into()),
            icon: Set(String::new()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    for (case, name, description, contacts) in DEMO_EMERGENCY_GROUPS {
        let group = emergency_contact_group::ActiveModel {
            organization_id: Set(organization_id),
            emergency_case: Set(case),
            name: Set(name.into()),
            description: Set(description.into()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        for (contact_name, phone_number) in contacts {
            emergency_contact::ActiveModel {
                organization_id: Set(organization_id),
                group_id: Set(group.id),
                contact_name: Set((*contact_name).into()),
                phone_number: Set((*phone_number).into()),
                description: Set(String::new()),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
    }
    for (kind, contact_name, phone_number) in DEMO_SUPPORT_CONTACTS {
        support_contact::ActiveModel {
            organization_id: Set(organization_id),
            kind: Set(kind),
            contact_name: Set(contact_name.into()),
            phone_number: Set(phone_number.into()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    for (label, code, value) in DEMO_SERVICE_CHANNELS {
        service_contact_channel::ActiveModel {
            organization_id: Set(organization_id),
            label: Set(label.into()),
            code: Set(code.into()),
            value: Set(value.into()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    seed_faqs(txn, organization_id).await?;
    seed_tips(txn, organization_id, now).await
}

/// The REST API's FAQs, both written on 2023-07-19 (noon in Lima).
async fn seed_faqs(txn: &DatabaseTransaction, organization_id: i64) -> Result<(), DbErr> {
    let written = Utc
        .with_ymd_and_hms(2023, 7, 19, 17, 0, 0)
        .single()
        .ok_or_else(|| DbErr::Custom("demo FAQ date".into()))?;
    for (title, paragraphs) in DEMO_FAQS {
        let paragraphs = serde_json::to_string(paragraphs)
            .map_err(|e| DbErr::Custom(format!("demo FAQ paragraphs: {e}")))?;
        faq::ActiveModel {
            organization_id: Set(organization_id),
            title: Set(title.into()),
            paragraphs: Set(paragraphs),
            created_at: Set(written),
            updated_at: Set(written),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

async fn seed_tips(
    txn: &DatabaseTransaction,
    organization_id: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let today = Calendar::new(chrono_tz::America::Lima).date_of(now);
    let mut categories = Vec::with_capacity(DEMO_TIP_CATEGORIES.len());
    for (name, code) in DEMO_TIP_CATEGORIES {
        let category = tip_category::ActiveModel {
            organization_id: Set(organization_id),
            name: Set(name.into()),
            code: Set(code.into()),
            description: Set(String::new()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        categories.push(category);
    }
    for demo in &DEMO_TIPS {
        let category = categories
            .iter()
            .find(|c| c.code == demo.category)
            .ok_or_else(|| DbErr::Custom(format!("demo tip category {}", demo.category)))?;
        let paragraphs = serde_json::to_string(demo.paragraphs)
            .map_err(|e| DbErr::Custom(format!("demo tip paragraphs: {e}")))?;
        tip::ActiveModel {
            organization_id: Set(organization_id),
            category_id: Set(category.id),
            title: Set(demo.title.map(Into::into)),
            paragraphs: Set(paragraphs),
            is_popular: Set(demo.popular),
            published_on: Set(today + TimeDelta::days(demo.published_in_days)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// Every list of common content.
pub(super) async fn seed_content(office: &super::Office<'_>) -> Result<(), SeedError> {
    let txn = office.db.begin().await?;
    seed_content_rows(&txn, office.organization.id, office.now).await?;
    txn.commit().await?;
    Ok(())
}
