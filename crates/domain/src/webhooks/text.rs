//! What the webhooks say.

crate::catalogue! {
    /// What registering webhook endpoints and reading their deliveries say.
    pub enum Text {
        AdminsOnly {
            en: "Only ADMINs (and their API tokens) manage the organization's webhook endpoints",
            es: "Solo los ADMINs (y sus tokens de API) gestionan los webhooks de la organización",
            pt: "Só os ADMINs (e os seus tokens de API) gerenciam os webhooks da organização",
        }
        GiveUrl {
            en: "Give the URL the events are POSTed to, e.g. https://example.com/webhooks",
            es: "Indica la URL a la que se envían los eventos (POST), p. ej. https://example.com/webhooks",
            pt: "Informe a URL para a qual os eventos são enviados (POST), p. ex. https://example.com/webhooks",
        }
        UrlScheme {
            en: "A webhook URL starts with https:// (http:// only for a receiver on this machine: 127.0.0.1, ::1 or localhost)",
            es: "Una URL de webhook empieza por https:// (http:// solo para un receptor en esta máquina: 127.0.0.1, ::1 o localhost)",
            pt: "Uma URL de webhook começa com https:// (http:// só para um receptor nesta máquina: 127.0.0.1, ::1 ou localhost)",
        }
        UrlNotLoopback(host) {
            en: "http:// is only for a receiver on this machine (127.0.0.1, ::1 or localhost), not {host}: use https://",
            es: "http:// es solo para un receptor en esta máquina (127.0.0.1, ::1 o localhost), no {host}: usa https://",
            pt: "http:// é só para um receptor nesta máquina (127.0.0.1, ::1 ou localhost), não {host}: use https://",
        }
        UrlNotPublic(host) {
            en: "Deliveries go only to public addresses, not to {host} (a private network, this machine or a reserved address)",
            es: "Los envíos solo van a direcciones públicas, no a {host} (una red privada, esta máquina o una dirección reservada)",
            pt: "Os envios só vão para endereços públicos, não para {host} (uma rede privada, esta máquina ou um endereço reservado)",
        }
        UrlFormat {
            en: "This is not a URL with a host and an optional port, e.g. https://example.com/webhooks",
            es: "Esto no es una URL con un host y un puerto opcional, p. ej. https://example.com/webhooks",
            pt: "Isto não é uma URL com um host e uma porta opcional, p. ex. https://example.com/webhooks",
        }
        UrlTooLong(max) {
            en: "A webhook URL has at most {max} characters",
            es: "Una URL de webhook tiene como máximo {max} caracteres",
            pt: "Uma URL de webhook tem no máximo {max} caracteres",
        }
        NoEvents {
            en: "Choose at least one kind of event to receive",
            es: "Elige al menos un tipo de evento para recibir",
            pt: "Escolha pelo menos um tipo de evento para receber",
        }
        EndpointNotFound {
            en: "Webhook endpoint not found",
            es: "No se encontró el webhook",
            pt: "Webhook não encontrado",
        }
        DeliveryNotFound {
            en: "Webhook delivery not found",
            es: "No se encontró el envío del webhook",
            pt: "Envio do webhook não encontrado",
        }
    }
}
