//! Hashing and verifying passwords with Argon2, within the process' limit of hashes at
//! once (`LIMIT_PASSWORD_HASHES`).

use crate::{
    DomainError, DomainResult,
    auth::password::{self, HashLimit},
};

/// Runs Argon2 off the async executor: one hash costs tens of milliseconds of CPU and
/// 19 MiB. Every hash and verify passes here and first waits for a turn of `limit`; the
/// wait is part of the caller's future, so it counts against its request's timeout. The
/// turn is held by the blocking task itself: a caller that gives up (a timeout) does not
/// free it before the hash it started has finished.
async fn blocking<T: Send + 'static>(
    limit: &HashLimit,
    f: impl FnOnce() -> T + Send + 'static,
) -> DomainResult<T> {
    let turn = limit
        .acquire()
        .await
        .map_err(|e| DomainError::Internal(format!("password hashing limit closed: {e}")))?;
    tokio::task::spawn_blocking(move || {
        turn.record();
        let output = f();
        drop(turn);
        output
    })
    .await
    .map_err(|e| DomainError::Internal(format!("password task failed: {e}")))
}

pub(super) async fn verify_password(
    limit: &HashLimit,
    plain: &str,
    phc: &str,
) -> DomainResult<bool> {
    let (plain, phc) = (plain.to_string(), phc.to_string());
    blocking(limit, move || password::verify(&plain, &phc)).await
}

/// Checks a password against the decoy hash, so that an unknown document costs what a
/// known one does. The decoy itself is made on first use, in the same turn.
pub(super) async fn verify_decoy(limit: &HashLimit, plain: &str) -> DomainResult<bool> {
    let plain = plain.to_string();
    blocking(limit, move || {
        password::verify(&plain, password::decoy_hash())
    })
    .await
}

/// Hashes a password for storage (also used by the demo seed).
pub async fn hash_password(limit: &HashLimit, plain: &str) -> DomainResult<String> {
    let plain = plain.to_string();
    blocking(limit, move || password::hash(&plain))
        .await?
        .map_err(|e| DomainError::Internal(format!("password hashing failed: {e}")))
}

#[cfg(test)]
mod tests {
    use std::{
        sync::{
            Arc,
            atomic::{AtomicUsize, Ordering},
        },
        time::Duration,
    };

    use super::*;

    /// Runs `jobs` blocking jobs of 30 ms at once under `limit`; returns the most that
    /// ran at the same time.
    async fn most_at_once(limit: &HashLimit, jobs: usize) -> usize {
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let tasks = (0..jobs).map(|_| {
            let (limit, running, most) = (limit.clone(), running.clone(), most.clone());
            tokio::spawn(async move {
                blocking(&limit, move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(30));
                    running.fetch_sub(1, Ordering::SeqCst);
                })
                .await
            })
        });
        for task in futures_util::future::join_all(tasks).await {
            task.expect("joined").expect("ran");
        }
        most.load(Ordering::SeqCst)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn hashes_never_overlap_past_the_limit() {
        let one = HashLimit::new(1);
        assert_eq!(most_at_once(&one, 8).await, 1);
        assert_eq!(one.hashes_run(), 8);
        // The same jobs with room for several do overlap: the measure can see overlap.
        let four = HashLimit::new(4);
        let most = most_at_once(&four, 8).await;
        assert!((2..=4).contains(&most), "{most} at once under a limit of 4");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_caller_that_gives_up_keeps_the_turn_until_its_hash_ends() {
        let limit = HashLimit::new(1);
        let started = Arc::new(AtomicUsize::new(0));
        let flag = started.clone();
        let slow = blocking(&limit, move || {
            flag.store(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(300));
        });
        // The caller times out while its hash runs.
        let gave_up = tokio::time::timeout(Duration::from_millis(100), slow).await;
        assert!(gave_up.is_err());
        assert_eq!(started.load(Ordering::SeqCst), 1);
        assert_eq!(
            limit.available(),
            0,
            "the abandoned hash still holds its turn"
        );
        // The next hash waits for it.
        let next = tokio::time::timeout(Duration::from_millis(50), blocking(&limit, || ())).await;
        assert!(next.is_err(), "no turn while the abandoned hash runs");
        blocking(&limit, || ()).await.expect("a turn once it ended");
        assert_eq!(limit.available(), 1);
    }
}
