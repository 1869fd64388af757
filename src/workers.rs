//! The threads that execute GraphQL operations, apart from the threads that answer HTTP.
//!
//! Parsing, validating, resolving and serialising an operation can hold a thread for a
//! long stretch without yielding: GraphiQL's introspection query resolves the whole
//! schema in one poll. On the runtime that also accepts connections, 32 of them at once
//! kept `/health` waiting for 280 ms (`docs/benchmarks.md`, "Hostile requests"). Operations
//! therefore run on a runtime of their own, as many threads as CPUs, and the operating
//! system shares the CPUs between both: `/health`, `/ready` and `/metrics` stay answered
//! whatever the operations cost.

use std::{
    future::Future,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
};

use tokio::{runtime::Runtime, task::JoinHandle};

/// A handle on the operations' runtime; cheap to clone. The runtime stops (without
/// waiting for what still runs there) when the last handle is dropped.
#[derive(Clone)]
pub struct Workers {
    handle: tokio::runtime::Handle,
    _runtime: Arc<Stopping>,
}

/// Owns the runtime so that dropping it never blocks: a runtime dropped from inside
/// another one (an async test, the server's own runtime) would panic if it waited.
struct Stopping(Option<Runtime>);

impl Drop for Stopping {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

impl Workers {
    /// A runtime of `threads` worker threads (at least one), named `gateway-operations`.
    pub fn new(threads: usize) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads.max(1))
            .thread_name("gateway-operations")
            .enable_all()
            .build()?;
        Ok(Self {
            handle: runtime.handle().clone(),
            _runtime: Arc::new(Stopping(Some(runtime))),
        })
    }

    /// Runs `work` on the operations' threads and waits for it. Dropping the returned
    /// future (a client gone, a timeout around it) cancels `work` there too, so that a
    /// cancelled operation's open transaction is dropped, and rolled back, as before.
    pub fn run<F>(&self, work: F) -> impl Future<Output = F::Output> + Send + 'static
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        // Propagate the caller's span (its request id) to the logs written there.
        let work = tracing::Instrument::in_current_span(work);
        Cancelling(self.handle.spawn(work))
    }
}

/// A spawned task that is aborted when its waiter is dropped.
struct Cancelling<T>(JoinHandle<T>);

impl<T> Future for Cancelling<T> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        match Pin::new(&mut self.0).poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Ok(output)) => Poll::Ready(output),
            // An operation that panicked there panics here, as it would have in place.
            Poll::Ready(Err(err)) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
            // Only `Drop` aborts the task, and then nobody polls this any more; a
            // runtime stopped under it means the process is going down.
            Poll::Ready(Err(_)) => Poll::Pending,
        }
    }
}

impl<T> Drop for Cancelling<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    /// An operation that holds its thread without yielding does not hold the caller's:
    /// on a single-threaded caller, waiting for it in place would never let the caller
    /// send what it waits for.
    #[tokio::test(flavor = "current_thread")]
    async fn an_operation_that_blocks_its_thread_leaves_the_callers_free() {
        let workers = Workers::new(1).unwrap();
        let (send, receive) = std::sync::mpsc::channel::<u32>();
        let blocked = workers.run(async move { receive.recv().unwrap() + 1 });
        let sender = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(10)).await;
            send.send(41).unwrap();
        });
        let answer = tokio::time::timeout(Duration::from_secs(10), blocked)
            .await
            .expect("the caller's thread was blocked");
        assert_eq!(answer, 42);
        sender.await.unwrap();
    }

    #[tokio::test(flavor = "current_thread")]
    async fn dropping_the_waiter_cancels_the_operation() {
        let workers = Workers::new(1).unwrap();
        let (started, on_start) = tokio::sync::oneshot::channel::<()>();
        let guard = Arc::new(());
        let held = guard.clone();
        let waiter = workers.run(async move {
            let _held = held;
            started.send(()).unwrap();
            std::future::pending::<()>().await;
        });
        let mut waiter = Box::pin(waiter);
        tokio::select! {
            _ = &mut waiter => unreachable!("the operation never ends"),
            _ = on_start => {}
        }
        drop(waiter);
        // The aborted task drops its future (and what it holds) on its runtime.
        for _ in 0..1000 {
            if Arc::strong_count(&guard) == 1 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        panic!("the operation still runs after its waiter was dropped");
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_panic_there_is_a_panic_here() {
        let workers = Workers::new(1).unwrap();
        let waiter = tokio::spawn(workers.run(async { panic!("boom") }));
        let err = waiter.await.unwrap_err();
        assert!(err.is_panic());
    }
}
