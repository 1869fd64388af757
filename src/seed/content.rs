//! Common content: the Leasy REST API's "Commons" examples, in Spanish as the REST API has
//! them, set up by the ADMIN through the content mutations the day after the organization
//! opened (its expense categories are what every book's expense categories start from).
//! Tips are dated relative to today so that "today's tips" always has some.

use chrono::{DateTime, TimeDelta, Utc};

use super::{Office, SeedError};
use crate::{
    domain::{
        DomainError,
        commons::{Calendar, Id},
        content::{
            contacts::{
                self, NewEmergencyContact, NewEmergencyGroup, NewServiceChannel, NewSupportContact,
            },
            expense_categories::{self, NewExpenseCategory},
            faqs::{self, NewFaq},
            tips::{self, NewTip, NewTipCategory},
        },
    },
    entities::{emergency_contact_group::EmergencyCase, support_contact::SupportKind},
};

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

/// Days before today the ADMIN set up the content: the day after the organization opened,
/// with the plans.
const CONTENT_DAYS_AGO: i64 = 119;

/// Every list of common content, each row made by the mutation that creates its kind, as
/// the ADMIN, so that the demo holds nothing the API would refuse.
pub(super) async fn seed_content(office: &Office<'_>) -> Result<(), SeedError> {
    let at = office.days_ago(CONTENT_DAYS_AGO);
    for (name, code) in DEMO_EXPENSE_CATEGORIES {
        let new = NewExpenseCategory {
            name: name.into(),
            code: Some(code.into()),
            icon: None,
        };
        expense_categories::create_expense_category(office.db, office.admin(), at, new).await?;
    }
    for (case, name, description, contacts) in DEMO_EMERGENCY_GROUPS {
        let group = NewEmergencyGroup {
            case,
            name: name.into(),
            description: Some(description.into()),
        };
        contacts::create_emergency_group(office.db, office.admin(), at, group).await?;
        for (contact_name, phone_number) in contacts {
            let contact = NewEmergencyContact {
                case,
                contact_name: (*contact_name).into(),
                phone_number: (*phone_number).into(),
                description: None,
            };
            contacts::create_emergency_contact(office.db, office.admin(), at, contact).await?;
        }
    }
    for (kind, contact_name, phone_number) in DEMO_SUPPORT_CONTACTS {
        let new = NewSupportContact {
            kind,
            contact_name: contact_name.into(),
            phone_number: phone_number.into(),
        };
        contacts::create_support_contact(office.db, office.admin(), at, new).await?;
    }
    for (label, code, value) in DEMO_SERVICE_CHANNELS {
        let new = NewServiceChannel {
            label: label.into(),
            code: code.into(),
            value: value.into(),
        };
        contacts::create_service_channel(office.db, office.admin(), at, new).await?;
    }
    // The REST API's FAQs are dated 2023-07-19, before the demo organization existed: the
    // API dates a FAQ when it is written, so they are written with the rest.
    for (title, paragraphs) in DEMO_FAQS {
        let new = NewFaq {
            title: title.into(),
            paragraphs: paragraphs.iter().map(|p| (*p).into()).collect(),
        };
        faqs::create_faq(office.db, office.admin(), at, new).await?;
    }
    seed_tips(office, at).await
}

/// `createTip` names its category by id: the categories come first.
async fn seed_tips(office: &Office<'_>, at: DateTime<Utc>) -> Result<(), SeedError> {
    let mut categories = Vec::with_capacity(DEMO_TIP_CATEGORIES.len());
    for (name, code) in DEMO_TIP_CATEGORIES {
        let new = NewTipCategory {
            name: name.into(),
            code: Some(code.into()),
            description: None,
        };
        categories.push(tips::create_tip_category(office.db, office.admin(), at, new).await?);
    }
    let written_on = Calendar::of(&office.organization).date_of(at);
    let today = office.today();
    for demo in &DEMO_TIPS {
        let category = categories
            .iter()
            .find(|c| c.code == demo.category)
            .ok_or_else(|| DomainError::Internal(format!("demo tip category {}", demo.category)))?;
        let new = NewTip {
            category_id: Id::new(category.id),
            title: demo.title.map(Into::into),
            paragraphs: demo.paragraphs.iter().map(|p| (*p).into()).collect(),
            is_popular: demo.popular,
            published_on: Some(today + TimeDelta::days(demo.published_in_days)),
        };
        tips::create_tip(office.db, office.admin(), at, written_on, new).await?;
    }
    Ok(())
}
