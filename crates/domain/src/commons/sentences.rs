//! What the small shared types say: organizations as the operator creates them and as
//! public requests name them, amounts of money, periods.

crate::catalogue! {
    /// What organizations, amounts and periods say.
    pub enum Text {
        NoSuchSlug(slug) {
            en: "No organization has the slug {slug:?}",
            es: "Ninguna organización tiene el slug {slug:?}",
            pt: "Nenhuma organização tem o slug {slug:?}",
        }
        SeveralOrganizations {
            en: "This gateway serves several organizations: pass `organization` (its slug)",
            es: "Este gateway atiende a varias organizaciones: indica `organization` (su slug)",
            pt: "Este gateway atende várias organizações: informe `organization` (o slug dela)",
        }
        SlugFormat {
            en: "A slug has 2 to 100 lowercase letters, digits and inner hyphens, e.g. \"leasy-lima\"",
            es: "Un slug tiene de 2 a 100 letras minúsculas, dígitos y guiones internos, p. ej. \"leasy-lima\"",
            pt: "Um slug tem de 2 a 100 letras minúsculas, dígitos e hífens internos, p. ex. \"leasy-lima\"",
        }
        UnknownTimezone(timezone) {
            en: "{timezone:?} is not an IANA time zone, e.g. \"America/Lima\"",
            es: "{timezone:?} no es una zona horaria IANA, p. ej. \"America/Lima\"",
            pt: "{timezone:?} não é um fuso horário IANA, p. ex. \"America/Lima\"",
        }
        UnsupportedCurrency(currency, currencies) {
            en: "{currency:?} is not a supported currency (amounts are kept in hundredths): one of {currencies}",
            es: "{currency:?} no es una moneda admitida (los montos se guardan en centésimos): usa una de {currencies}",
            pt: "{currency:?} não é uma moeda aceita (os valores são guardados em centésimos): use uma de {currencies}",
        }
        UnknownLanguage(language) {
            en: "{language:?} is not a language the API speaks: en, es or pt",
            es: "{language:?} no es un idioma que la API hable: en, es o pt",
            pt: "{language:?} não é um idioma que a API fala: en, es ou pt",
        }
        SlugTaken {
            en: "Another organization has this slug",
            es: "Otra organización ya tiene este slug",
            pt: "Outra organização já tem este slug",
        }
        AmountMalformed {
            en: "an amount is written like \"12.40\": digits, an optional minus sign and at most 2 decimals",
            es: "un monto se escribe como \"12.40\": dígitos, un signo menos opcional y como máximo 2 decimales",
            pt: "um valor se escreve como \"12.40\": dígitos, um sinal de menos opcional e no máximo 2 casas decimais",
        }
        AmountTooPrecise(places) {
            en: "the amount has more than {places} decimal places",
            es: "el monto tiene más de {places} decimales",
            pt: "o valor tem mais de {places} casas decimais",
        }
        AmountTooLarge {
            en: "the amount is too large",
            es: "el monto es demasiado grande",
            pt: "o valor é grande demais",
        }
        PeriodReversed(from, to) {
            en: "`from` ({from}) is after `to` ({to})",
            es: "`from` ({from}) es posterior a `to` ({to})",
            pt: "`from` ({from}) é posterior a `to` ({to})",
        }
        PeriodTooLong(latest) {
            en: "a period covers at most one year: `to` may be at most {latest}",
            es: "un período abarca como máximo un año: `to` puede ser a lo sumo {latest}",
            pt: "um período abrange no máximo um ano: `to` pode ser no máximo {latest}",
        }
        NoSuchMonth(month, year) {
            en: "there is no month {month} of year {year}",
            es: "no existe el mes {month} del año {year}",
            pt: "não existe o mês {month} do ano {year}",
        }
    }
}
