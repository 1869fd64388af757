//! What logging in, sessions, passwords, one-time tokens and API tokens say.

crate::catalogue! {
    /// What identity says: logins, sessions, passwords, invitations and API tokens.
    pub enum Text {
        EnterDocument {
            en: "Enter your document",
            es: "Ingresa tu documento",
            pt: "Informe seu documento",
        }
        EnterPassword {
            en: "Enter your password",
            es: "Ingresa tu contraseña",
            pt: "Informe sua senha",
        }
        EnterCurrentPassword {
            en: "Enter your current password",
            es: "Ingresa tu contraseña actual",
            pt: "Informe sua senha atual",
        }
        /// The REST API's one answer for any wrong login, whatever was wrong.
        InvalidCredentials {
            en: "The credentials you entered are incorrect",
            es: "Las credenciales ingresadas son incorrectas",
            pt: "As credenciais informadas estão incorretas",
        }
        TooManyAttemptsOneSecond {
            en: "Too many failed attempts. Try again in 1 second",
            es: "Demasiados intentos fallidos. Vuelve a intentarlo en 1 segundo",
            pt: "Muitas tentativas sem sucesso. Tente novamente em 1 segundo",
        }
        TooManyAttemptsSeconds(seconds) {
            en: "Too many failed attempts. Try again in {seconds} seconds",
            es: "Demasiados intentos fallidos. Vuelve a intentarlo en {seconds} segundos",
            pt: "Muitas tentativas sem sucesso. Tente novamente em {seconds} segundos",
        }
        TooManyAttemptsOneMinute {
            en: "Too many failed attempts. Try again in 1 minute",
            es: "Demasiados intentos fallidos. Vuelve a intentarlo en 1 minuto",
            pt: "Muitas tentativas sem sucesso. Tente novamente em 1 minuto",
        }
        TooManyAttemptsMinutes(minutes) {
            en: "Too many failed attempts. Try again in {minutes} minutes",
            es: "Demasiados intentos fallidos. Vuelve a intentarlo en {minutes} minutos",
            pt: "Muitas tentativas sem sucesso. Tente novamente em {minutes} minutos",
        }
        OrganizationRequired {
            en: "This document is registered in several organizations: say which one",
            es: "Este documento está registrado en varias organizaciones: indica en cuál",
            pt: "Este documento está cadastrado em várias organizações: informe qual",
        }
        DocumentTooLong(max) {
            en: "A document has at most {max} characters",
            es: "Un documento tiene como máximo {max} caracteres",
            pt: "Um documento tem no máximo {max} caracteres",
        }
        InvalidRefreshToken {
            en: "The refresh token is invalid, expired or already used: log in again",
            es: "El token de actualización no es válido, venció o ya se usó: vuelve a iniciar sesión",
            pt: "O token de atualização é inválido, expirou ou já foi usado: entre novamente",
        }
        UserGone {
            en: "The user no longer exists",
            es: "El usuario ya no existe",
            pt: "O usuário não existe mais",
        }
        ApiTokenChangingPassword {
            en: "An API token cannot change its owner's password",
            es: "Un token de API no puede cambiar la contraseña de su dueño",
            pt: "Um token de API não pode alterar a senha do seu dono",
        }
        WrongCurrentPassword {
            en: "The current password is not correct",
            es: "La contraseña actual no es correcta",
            pt: "A senha atual não está correta",
        }
        PasswordTooShort(min) {
            en: "The password must have at least {min} characters",
            es: "La contraseña debe tener al menos {min} caracteres",
            pt: "A senha deve ter pelo menos {min} caracteres",
        }
        PasswordTooLong(max) {
            en: "The password must have at most {max} characters",
            es: "La contraseña debe tener como máximo {max} caracteres",
            pt: "A senha deve ter no máximo {max} caracteres",
        }
        PasswordNeedsDigit {
            en: "The password must contain at least one number",
            es: "La contraseña debe contener al menos un número",
            pt: "A senha deve conter pelo menos um número",
        }
        PasswordNeedsLetter {
            en: "The password must contain at least one letter",
            es: "La contraseña debe contener al menos una letra",
            pt: "A senha deve conter pelo menos uma letra",
        }
        ConfirmationMismatch {
            en: "The confirmation does not match the new password",
            es: "La confirmación no coincide con la nueva contraseña",
            pt: "A confirmação não corresponde à nova senha",
        }
        /// An invitation or password reset that is unknown, expired, replaced or used.
        LinkNoLongerValid {
            en: "This link is not valid any more: ask for a new one",
            es: "Este enlace ya no es válido: pide uno nuevo",
            pt: "Este link não é mais válido: peça um novo",
        }
        AccountDeactivated {
            en: "This account is deactivated: ask the company to reactivate it",
            es: "Esta cuenta está desactivada: pide a la empresa que la reactive",
            pt: "Esta conta está desativada: peça à empresa que a reative",
        }
        ApiTokensManagedByPeople {
            en: "API tokens are managed by people: log in to create or revoke one",
            es: "Los tokens de API los gestionan personas: inicia sesión para crear o revocar uno",
            pt: "Os tokens de API são gerenciados por pessoas: entre para criar ou revogar um",
        }
        NameTheToken {
            en: "Name the token after the application that will use it",
            es: "Ponle al token el nombre de la aplicación que lo usará",
            pt: "Dê ao token o nome do aplicativo que vai usá-lo",
        }
        TokenNameTooLong(max) {
            en: "The name must have at most {max} characters",
            es: "El nombre debe tener como máximo {max} caracteres",
            pt: "O nome deve ter no máximo {max} caracteres",
        }
        TokenNameTaken {
            en: "You already have an active token with this name",
            es: "Ya tienes un token activo con este nombre",
            pt: "Você já tem um token ativo com este nome",
        }
    }
}
