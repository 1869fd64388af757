//! Periodic jobs run by `serve`, and their one-shot runs for the CLI.

use std::time::Duration;

use crate::{
    domain::{
        DomainResult, idempotency, identity,
        wallet::{auto_charge, payments},
    },
    state::AppState,
};

/// Runs the auto-charge job once and announces the payments it made.
pub async fn auto_charge_once(state: &AppState) -> DomainResult<auto_charge::RunReport> {
    let now = state.config.clock.now();
    let report = auto_charge::run_once(&state.db, now).await?;
    // Housekeeping rides along: keys past their retention are forgotten.
    let pruned = idempotency::prune(&state.db, now).await?;
    if pruned > 0 {
        tracing::info!(pruned, "idempotency keys past retention forgotten");
    }
    let forgotten = identity::throttle::prune(&state.db, now).await?;
    if forgotten > 0 {
        tracing::info!(forgotten, "failed-login counts past their hour forgotten");
    }
    for (payer, receipt) in &report.payments {
        state
            .events
            .publish(payments::announcements(*payer, receipt));
    }
    Ok(report)
}

/// Runs the auto-charge job every `period` until the process ends. A failed run is
/// logged and retried at the next period.
pub fn spawn_auto_charge(state: AppState, period: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(period);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match auto_charge_once(&state).await {
                Ok(report) if report.ran => tracing::info!(
                    run = report.run_id,
                    paid = report.paid,
                    insufficient = report.insufficient,
                    failed = report.failed,
                    "auto-charge run"
                ),
                Ok(_) => tracing::debug!("auto-charge: another process holds the lease"),
                Err(err) => tracing::error!("auto-charge run failed: {err}"),
            }
        }
    });
}

/// Sends the outbox's queued emails every `period` through `smtp` until the process
/// ends. A failed run is logged and retried at the next period.
pub fn spawn_outbox_sender(state: AppState, smtp: crate::domain::outbox::Smtp, period: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(period);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let now = state.config.clock.now();
            match crate::domain::outbox::deliver_due(&state.db, &smtp, now).await {
                Ok(report) if report.sent + report.retried + report.failed > 0 => tracing::info!(
                    sent = report.sent,
                    retried = report.retried,
                    failed = report.failed,
                    "outbox run"
                ),
                Ok(_) => {}
                Err(err) => tracing::error!("outbox run failed: {err}"),
            }
        }
    });
}
