//! What authentication says to a caller it refuses.

crate::catalogue! {
    /// Why the credentials of a request were refused (a 401). Each English sentence is
    /// also the `error_description` of the `WWW-Authenticate` header, which is ASCII: keep
    /// the English so.
    pub enum Text {
        MalformedHeader {
            en: "the Authorization header must be `Bearer <token>` or `Token token=<token>`",
            es: "el encabezado Authorization debe ser `Bearer <token>` o `Token token=<token>`",
            pt: "o cabeçalho Authorization deve ser `Bearer <token>` ou `Token token=<token>`",
        }
        InvalidAccessToken {
            en: "the access token is not valid (forged, for another server, or its session ended): log in again",
            es: "token de acceso no válido (falsificado, de otro servidor o de sesión terminada): inicia sesión de nuevo",
            pt: "token de acesso inválido (forjado, de outro servidor ou de uma sessão encerrada): entre novamente",
        }
        ExpiredAccessToken {
            en: "the access token expired: get a new one with the refreshToken mutation",
            es: "el token de acceso venció: obtén uno nuevo con la mutación refreshToken",
            pt: "o token de acesso expirou: obtenha um novo com a mutação refreshToken",
        }
        RefreshTokenAsAccess {
            en: "a refresh token is not an access token: exchange it with the refreshToken mutation",
            es: "un token de actualización no es un token de acceso: cámbialo con la mutación refreshToken",
            pt: "um token de atualização não é um token de acesso: troque-o com a mutação refreshToken",
        }
        InvalidApiToken {
            en: "the API token is unknown or revoked",
            es: "el token de API no existe o fue revocado",
            pt: "o token de API não existe ou foi revogado",
        }
        /// The database failed while checking the credentials; the detail is logged.
        CredentialsUnchecked {
            en: "the credentials could not be checked: try again in a moment",
            es: "no se pudieron verificar las credenciales: vuelve a intentarlo en un momento",
            pt: "não foi possível verificar as credenciais: tente novamente em instantes",
        }
    }
}
