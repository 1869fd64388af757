//! Password hashing with Argon2id (the crate's defaults: 19 MiB, 2 passes), and the limit
//! on how many hashes run at once.

use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
};

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};

/// Turns to run Argon2 (`LIMIT_PASSWORD_HASHES`), shared by every hash and verify of the
/// application. Each one holds 19 MiB and a CPU for tens of milliseconds: unbounded, a
/// flood of logins grows the process by gigabytes; bounded, it waits its turn (within its
/// request's timeout). Cheap to clone: clones share the turns.
#[derive(Clone, Debug)]
pub struct HashLimit {
    turns: Arc<tokio::sync::Semaphore>,
    run: Arc<AtomicU64>,
}

/// A turn to run one hash: the hash may run while it is held.
pub struct HashTurn {
    _permit: tokio::sync::OwnedSemaphorePermit,
    run: Arc<AtomicU64>,
}

impl HashLimit {
    /// At most `limit` hashes at once (at least one).
    pub fn new(limit: usize) -> Self {
        Self {
            turns: Arc::new(tokio::sync::Semaphore::new(limit.max(1))),
            run: Arc::default(),
        }
    }

    /// Waits for a turn. Dropping the future while it waits gives nothing up. Fails only
    /// if the limit were closed, which nothing does.
    pub async fn acquire(&self) -> Result<HashTurn, tokio::sync::AcquireError> {
        let permit = self.turns.clone().acquire_owned().await?;
        Ok(HashTurn {
            _permit: permit,
            run: self.run.clone(),
        })
    }

    /// Turns free right now.
    pub fn available(&self) -> usize {
        self.turns.available_permits()
    }

    /// How many hashes and verifies have run under this limit (for tests and metrics).
    pub fn hashes_run(&self) -> u64 {
        self.run.load(Ordering::Relaxed)
    }
}

impl HashTurn {
    /// Counts one hash run in this turn.
    pub fn record(&self) {
        self.run.fetch_add(1, Ordering::Relaxed);
    }
}

/// Hashes a password into a PHC string. CPU-heavy: call from a blocking task.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Checks a password against a stored PHC string; a malformed hash never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A valid hash of a password nobody has, checked when the user does not exist so that
/// a wrong document takes as long as a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash("decoy-password-nobody-has-0").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_only_the_right_password() {
        let phc = hash("demo1234").unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify("demo1234", &phc));
        assert!(!verify("demo12345", &phc));
        assert!(!verify("demo1234", "not a hash"));
    }
}
