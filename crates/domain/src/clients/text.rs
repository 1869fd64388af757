//! What leads, onboarding, the drivers' listing and device tokens say.

crate::catalogue! {
    /// What drivers and leads say.
    pub enum Text {
        OnlyDriversRegisterPhones {
            en: "Only drivers register a phone for notifications",
            es: "Solo los conductores registran un teléfono para recibir notificaciones",
            pt: "Apenas os motoristas registram um telefone para receber notificações",
        }
        DeviceTokenTooLong(max) {
            en: "A device token has at most {max} characters",
            es: "Un token de dispositivo tiene como máximo {max} caracteres",
            pt: "Um token de dispositivo tem no máximo {max} caracteres",
        }
        DeviceTokenFormat {
            en: "A device token has visible ASCII characters only, without spaces",
            es: "Un token de dispositivo tiene solo caracteres ASCII visibles, sin espacios",
            pt: "Um token de dispositivo tem apenas caracteres ASCII visíveis, sem espaços",
        }
        SearchTooLong(max) {
            en: "`search` must have at most {max} characters",
            es: "`search` debe tener como máximo {max} caracteres",
            pt: "`search` deve ter no máximo {max} caracteres",
        }
        WriteName {
            en: "Write the name",
            es: "Escribe el nombre",
            pt: "Escreva o nome",
        }
        NameTooLong(max) {
            en: "A name has at most {max} characters",
            es: "Un nombre tiene como máximo {max} caracteres",
            pt: "Um nome tem no máximo {max} caracteres",
        }
        NameFormat {
            en: "A name has letters, spaces, apostrophes, hyphens and dots only",
            es: "Un nombre tiene solo letras, espacios, apóstrofos, guiones y puntos",
            pt: "Um nome tem apenas letras, espaços, apóstrofos, hífens e pontos",
        }
        WriteDocument {
            en: "Write the document number",
            es: "Escribe el número de documento",
            pt: "Escreva o número do documento",
        }
        DocumentDigitsOnly {
            en: "The document number has digits only",
            es: "El número de documento tiene solo dígitos",
            pt: "O número do documento tem apenas dígitos",
        }
        DocumentTooShort(min) {
            en: "The document number has at least {min} digits",
            es: "El número de documento tiene al menos {min} dígitos",
            pt: "O número do documento tem pelo menos {min} dígitos",
        }
        DocumentTooLong(max) {
            en: "The document number has at most {max} digits",
            es: "El número de documento tiene como máximo {max} dígitos",
            pt: "O número do documento tem no máximo {max} dígitos",
        }
        WritePhone {
            en: "Write the phone number",
            es: "Escribe el número de teléfono",
            pt: "Escreva o número de telefone",
        }
        PeruvianMobile {
            en: "The phone number is a Peruvian mobile: 9 digits starting with 9, optionally after +51",
            es: "El teléfono es un celular peruano: 9 dígitos que empiezan con 9, opcionalmente después de +51",
            pt: "O telefone é um celular peruano: 9 dígitos começando com 9, opcionalmente depois de +51",
        }
        WriteEmail {
            en: "Write the email address",
            es: "Escribe el correo electrónico",
            pt: "Escreva o e-mail",
        }
        EmailTooLong(max) {
            en: "An email address has at most {max} characters",
            es: "Un correo electrónico tiene como máximo {max} caracteres",
            pt: "Um e-mail tem no máximo {max} caracteres",
        }
        EmailFormat {
            en: "The email address is not valid, e.g. nombre@correo.com",
            es: "El correo electrónico no es válido, p. ej. nombre@correo.com",
            pt: "O e-mail não é válido, p. ex. nombre@correo.com",
        }
        CampaignTagTooLong(max) {
            en: "A campaign tag has at most {max} characters",
            es: "Una etiqueta de campaña tiene como máximo {max} caracteres",
            pt: "Uma etiqueta de campanha tem no máximo {max} caracteres",
        }
        CampaignTagFormat {
            en: "A campaign tag has letters, digits, dots, underscores and hyphens only, e.g. APP or Android",
            es: "Una etiqueta de campaña tiene solo letras, dígitos, puntos, guiones bajos y guiones, p. ej. APP o Android",
            pt: "Uma etiqueta de campanha tem apenas letras, dígitos, pontos, sublinhados e hífens, p. ex. APP ou Android",
        }
        /// Said to the person who filled in the public form.
        RecentLead(days) {
            en: "We already have a request with this document from the last {days} days; we will contact you soon",
            es: "Ya tenemos una solicitud con este documento de los últimos {days} días; te contactaremos pronto",
            pt: "Já temos uma solicitação com este documento dos últimos {days} dias; entraremos em contato com você em breve",
        }
        LeadSearchTooLong(max) {
            en: "`search` has at most {max} characters",
            es: "`search` tiene como máximo {max} caracteres",
            pt: "`search` tem no máximo {max} caracteres",
        }
        ToBeforeFrom {
            en: "`to` must not be before `from`",
            es: "`to` no puede ser anterior a `from`",
            pt: "`to` não pode ser anterior a `from`",
        }
        GivePhone {
            en: "Give at least one phone number",
            es: "Indica al menos un número de teléfono",
            pt: "Informe pelo menos um número de telefone",
        }
        TooManyPhones(max) {
            en: "At most {max} phone numbers",
            es: "Como máximo {max} números de teléfono",
            pt: "No máximo {max} números de telefone",
        }
        NoSuchPlan {
            en: "No such plan",
            es: "No existe ese plan",
            pt: "Esse plano não existe",
        }
        NoSuchLead {
            en: "No such lead",
            es: "No existe ese prospecto",
            pt: "Esse lead não existe",
        }
        LeadConverted {
            en: "This lead is already a driver",
            es: "Este prospecto ya es conductor",
            pt: "Este lead já é motorista",
        }
        NoSuchDriver {
            en: "No such driver",
            es: "No existe ese conductor",
            pt: "Esse motorista não existe",
        }
    }
}
