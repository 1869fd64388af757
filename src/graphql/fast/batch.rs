//! A batching loader that sends one statement per relation level, however wide the level.
//!
//! async-graphql's own `DataLoader` dispatches a batch from a spawned task after a fixed
//! delay. On a multi-threaded runtime that timer can fire while the executor is still walking
//! a wide list, so 50 siblings became two or three batches depending on CPU speed: the number
//! of statements of a query depended on its width and on the machine. `Batcher` dispatches
//! by progress instead of by time: the first key of a batch makes its caller the *leader*,
//! which waits until the request has nothing else it can do, then loads all the keys at
//! once on the request's own task.
//!
//! "Nothing else it can do" is observed by [`Scheduler::drive`], which wraps a request's
//! execution: when a poll of the whole request ends without any part of it having been
//! woken and no batch is loading, every resolver is waiting, so the parked leaders are
//! released together. A batch still loading holds them back: the rows it brings may add
//! keys to their batches (a branch whose parent level came back sooner than another's
//! would otherwise send its children alone, and the number of statements would depend on
//! the database's timing). Where no
//! driver runs (a WebSocket operation), a leader falls back to yielding until a whole pass
//! over the other resolvers adds no key to its batch.
//!
//! Values are cached for the request (the `Batcher` lives as long as one request or one
//! WebSocket operation's loaders), so a row reached twice is read once.

use std::{
    collections::HashMap,
    future::Future,
    hash::Hash,
    pin::Pin,
    sync::{
        Arc, Mutex, MutexGuard,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    task::{Context, Poll, Wake, Waker},
};

use async_graphql::dataloader::Loader;

/// Locks a mutex, recovering the data if a panicking thread poisoned it: every critical
/// section here leaves the state consistent before it can panic.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Where a batch is in its life.
enum Phase<E> {
    /// Accepting keys; `led` is whether some caller has taken charge of dispatching it.
    Collecting {
        led: bool,
    },
    Loading,
    Done(Result<(), E>),
}

/// A batch's phase plus who waits for it to change. Waiters are woken by hand rather than
/// through `tokio::sync::Notify`: tokio's cooperative budget makes a notified future report
/// `Pending` once a task has polled many resources, and a waiter that looks pending when it
/// is ready would let the leader dispatch the next level's batch before its siblings joined.
struct BatchState<E> {
    phase: Phase<E>,
    /// Bumped at every phase change a waiter must see.
    generation: u64,
    wakers: Vec<Waker>,
}

struct Batch<K, E> {
    keys: Mutex<Vec<K>>,
    state: Mutex<BatchState<E>>,
}

impl<K, E> Batch<K, E> {
    fn new() -> Self {
        Self {
            keys: Mutex::new(Vec::new()),
            state: Mutex::new(BatchState {
                phase: Phase::Collecting { led: false },
                generation: 0,
                wakers: Vec::new(),
            }),
        }
    }

    fn len(&self) -> usize {
        lock(&self.keys).len()
    }

    /// Moves to `phase` and wakes every waiter.
    fn publish(&self, phase: Phase<E>) {
        let wakers = {
            let mut state = lock(&self.state);
            state.phase = phase;
            state.generation += 1;
            std::mem::take(&mut state.wakers)
        };
        for waker in wakers {
            waker.wake();
        }
    }
}

/// Resolves once the batch's generation differs from `seen`.
struct Changed<'a, K, E> {
    batch: &'a Batch<K, E>,
    seen: u64,
}

impl<K, E> Future for Changed<'_, K, E> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = lock(&self.batch.state);
        if state.generation != self.seen {
            return Poll::Ready(());
        }
        if !state.wakers.iter().any(|w| w.will_wake(cx.waker())) {
            state.wakers.push(cx.waker().clone());
        }
        Poll::Pending
    }
}

struct Inner<K, V, E> {
    /// Loaded keys; `None` records a key the loader did not return (a missing row).
    cache: HashMap<K, Option<V>>,
    /// The batch keys currently join, if any.
    collecting: Option<Arc<Batch<K, E>>>,
    /// The batch each requested-but-not-yet-loaded key belongs to.
    pending: HashMap<K, Arc<Batch<K, E>>>,
}

/// Releases a request's waiting batch leaders when the request is otherwise idle.
#[derive(Default)]
pub struct Scheduler {
    /// Whether [`Scheduler::drive`] runs the request; without it leaders pace themselves.
    driven: AtomicBool,
    parked: Mutex<Vec<Parked>>,
    /// Batches whose load is in flight.
    loading: AtomicUsize,
}

/// Counts a batch as loading for as long as it lives (a cancelled load included).
struct Loading<'a>(&'a Scheduler);

impl<'a> Loading<'a> {
    fn start(scheduler: &'a Scheduler) -> Self {
        scheduler.loading.fetch_add(1, Ordering::SeqCst);
        Self(scheduler)
    }
}

impl Drop for Loading<'_> {
    fn drop(&mut self) {
        self.0.loading.fetch_sub(1, Ordering::SeqCst);
    }
}

struct Parked {
    released: Arc<AtomicBool>,
    waker: Waker,
}

impl Scheduler {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Runs `execution` (a request's whole execution), releasing parked leaders whenever a
    /// poll of it ends with nothing woken.
    pub fn drive<F: Future>(self: &Arc<Self>, execution: F) -> impl Future<Output = F::Output> {
        self.driven.store(true, Ordering::SeqCst);
        Driven {
            execution: Box::pin(execution),
            scheduler: self.clone(),
            signal: Arc::new(Signal::default()),
        }
    }

    /// Wakes every parked leader; false when there was none.
    fn release_all(&self) -> bool {
        let parked = std::mem::take(&mut *lock(&self.parked));
        let any = !parked.is_empty();
        for leader in parked {
            leader.released.store(true, Ordering::SeqCst);
            leader.waker.wake();
        }
        any
    }
}

/// Records whether anything inside the request was woken, and passes the wake on.
#[derive(Default)]
struct Signal {
    woken: AtomicBool,
    outer: Mutex<Option<Waker>>,
}

impl Wake for Signal {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        if let Some(outer) = lock(&self.outer).as_ref() {
            outer.wake_by_ref();
        }
    }
}

struct Driven<F: Future> {
    execution: Pin<Box<F>>,
    scheduler: Arc<Scheduler>,
    signal: Arc<Signal>,
}

impl<F: Future> Future for Driven<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        {
            let mut outer = lock(&self.signal.outer);
            if !outer.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                *outer = Some(cx.waker().clone());
            }
        }
        let waker = Waker::from(self.signal.clone());
        loop {
            self.signal.woken.store(false, Ordering::SeqCst);
            let this = &mut *self;
            if let Poll::Ready(output) = this
                .execution
                .as_mut()
                .poll(&mut Context::from_waker(&waker))
            {
                return Poll::Ready(output);
            }
            // Something woke during the poll: the request still has work; the wake was
            // passed on, so it is polled again soon. Only an idle request releases leaders,
            // and only once no batch is loading (its end wakes the request).
            if this.signal.woken.load(Ordering::SeqCst)
                || this.scheduler.loading.load(Ordering::SeqCst) > 0
                || !this.scheduler.release_all()
            {
                return Poll::Pending;
            }
        }
    }
}

/// A leader waiting for [`Scheduler::release_all`].
struct Released<'a> {
    scheduler: &'a Scheduler,
    released: Arc<AtomicBool>,
}

impl Future for Released<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.released.load(Ordering::SeqCst) {
            return Poll::Ready(());
        }
        let mut parked = lock(&self.scheduler.parked);
        match parked
            .iter_mut()
            .find(|p| Arc::ptr_eq(&p.released, &self.released))
        {
            Some(entry) => entry.waker.clone_from(cx.waker()),
            None => parked.push(Parked {
                released: self.released.clone(),
                waker: cx.waker().clone(),
            }),
        }
        Poll::Pending
    }
}

/// A per-request loader over any async-graphql [`Loader`]; see the module documentation.
pub struct Batcher<K, L: Loader<K>>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
{
    loader: L,
    scheduler: Arc<Scheduler>,
    inner: Mutex<Inner<K, L::Value, L::Error>>,
}

impl<K, L> Batcher<K, L>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    L: Loader<K>,
{
    pub fn new(loader: L, scheduler: &Arc<Scheduler>) -> Self {
        Self {
            loader,
            scheduler: scheduler.clone(),
            inner: Mutex::new(Inner {
                cache: HashMap::new(),
                collecting: None,
                pending: HashMap::new(),
            }),
        }
    }

    /// Records `value` (`None`: no row) for `key` as if this loader had read it: a row that
    /// came along with another statement (a join) then costs no statement of its own. A key
    /// already loaded or being loaded keeps its own value.
    pub fn prime(&self, key: K, value: Option<L::Value>) {
        let mut inner = lock(&self.inner);
        if !inner.pending.contains_key(&key) {
            inner.cache.entry(key).or_insert(value);
        }
    }

    /// Drops what was loaded for `key` (its rows were just written): the next `load_one`
    /// reads it again.
    pub fn forget(&self, key: &K) {
        lock(&self.inner).cache.remove(key);
    }

    /// Drops everything loaded (rows were just written whose keys the writer does not
    /// know): the next `load_one` of any key reads it again.
    pub fn forget_all(&self) {
        lock(&self.inner).cache.clear();
    }

    /// The value for `key`, `None` when the loader has no row for it.
    pub async fn load_one(&self, key: K) -> Result<Option<L::Value>, L::Error> {
        let batch = {
            let mut inner = lock(&self.inner);
            if let Some(value) = inner.cache.get(&key) {
                return Ok(value.clone());
            }
            match inner.pending.get(&key) {
                Some(batch) => batch.clone(),
                None => {
                    let batch = inner
                        .collecting
                        .get_or_insert_with(|| Arc::new(Batch::new()))
                        .clone();
                    lock(&batch.keys).push(key.clone());
                    inner.pending.insert(key.clone(), batch.clone());
                    batch
                }
            }
        };
        loop {
            let (lead, seen) = {
                let mut state = lock(&batch.state);
                let seen = state.generation;
                match &mut state.phase {
                    Phase::Done(Ok(())) => {
                        drop(state);
                        return Ok(lock(&self.inner).cache.get(&key).cloned().flatten());
                    }
                    Phase::Done(Err(error)) => return Err(error.clone()),
                    Phase::Collecting { led } if !*led => {
                        *led = true;
                        (true, seen)
                    }
                    _ => (false, seen),
                }
            };
            if lead {
                // Boxed: the load's future (statement building, the driver's I/O) is large,
                // and every caller's future would otherwise reserve room for it although
                // only the leader runs it (a page of 1,000 contracts has 1,000 callers).
                Box::pin(self.lead(&batch)).await;
            } else {
                Changed {
                    batch: &batch,
                    seen,
                }
                .await;
            }
        }
    }

    /// Waits for the batch to stop growing, then loads it and wakes its waiters.
    async fn lead(&self, batch: &Arc<Batch<K, L::Error>>) {
        let mut guard = LeaderGuard {
            batch,
            finished: false,
        };
        if self.scheduler.driven.load(Ordering::SeqCst) {
            Released {
                scheduler: &self.scheduler,
                released: Arc::new(AtomicBool::new(false)),
            }
            .await;
        } else {
            let mut seen = batch.len();
            loop {
                YieldOnce(false).await;
                let now = batch.len();
                if now == seen {
                    break;
                }
                seen = now;
            }
        }
        {
            let mut inner = lock(&self.inner);
            if inner
                .collecting
                .as_ref()
                .is_some_and(|current| Arc::ptr_eq(current, batch))
            {
                inner.collecting = None;
            }
        }
        lock(&batch.state).phase = Phase::Loading;
        let keys = lock(&batch.keys).clone();
        tracing::trace!(
            loader = std::any::type_name::<L>(),
            keys = keys.len(),
            "batch load"
        );
        let loading = Loading::start(&self.scheduler);
        let result = self.loader.load(&keys).await;
        drop(loading);
        let outcome = {
            let mut inner = lock(&self.inner);
            for key in &keys {
                inner.pending.remove(key);
            }
            // Moved, not cloned, into the cache: a page of rows is copied once, to its caller.
            result.map(|mut values| {
                for key in &keys {
                    let value = values.remove(key);
                    inner.cache.insert(key.clone(), value);
                }
            })
        };
        guard.finished = true;
        batch.publish(Phase::Done(outcome));
    }
}

/// Hands a batch back to its waiters when its leader is dropped before finishing (the
/// leader's branch of the query was cancelled), so that one of them takes over.
struct LeaderGuard<'a, K, E> {
    batch: &'a Batch<K, E>,
    finished: bool,
}

impl<K, E> Drop for LeaderGuard<'_, K, E> {
    fn drop(&mut self) {
        if !self.finished {
            self.batch.publish(Phase::Collecting { led: false });
        }
    }
}

/// Returns `Pending` once, asking to be polled again: lets the executor poll every other
/// ready resolver before the leader looks at its batch again.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// Doubles its keys, except 13 which it never returns; counts its calls.
    struct Doubler {
        calls: Arc<AtomicUsize>,
    }

    impl Loader<i64> for Doubler {
        type Value = i64;
        type Error = Arc<String>;

        async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, i64>, Self::Error> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            tokio::task::yield_now().await;
            if keys.contains(&-1) {
                return Err(Arc::new("refused".into()));
            }
            Ok(keys
                .iter()
                .filter(|k| **k != 13)
                .map(|k| (*k, k * 2))
                .collect())
        }
    }

    fn batcher_with(scheduler: &Arc<Scheduler>) -> (Batcher<i64, Doubler>, Arc<AtomicUsize>) {
        let calls = Arc::new(AtomicUsize::new(0));
        let doubler = Doubler {
            calls: calls.clone(),
        };
        (Batcher::new(doubler, scheduler), calls)
    }

    fn batcher() -> (Batcher<i64, Doubler>, Arc<AtomicUsize>) {
        batcher_with(&Scheduler::new())
    }

    /// 200 parents, each then asking for a child: two loads, driven or not, and however the
    /// siblings interleave with a load that finishes on another thread.
    async fn two_levels(driven: bool) {
        let scheduler = Scheduler::new();
        let (loader, calls) = batcher_with(&scheduler);
        let loader = &loader;
        let work = futures_util::future::join_all((0..200).map(|k| async move {
            let parent = loader.load_one(k).await?.unwrap_or_default();
            tokio::task::yield_now().await;
            loader.load_one(parent + 1_000).await
        }));
        let values = if driven {
            scheduler.drive(work).await
        } else {
            work.await
        };
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert_eq!(values[3], Ok(Some(2_012)));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn siblings_of_one_level_share_one_load_however_many() {
        let scheduler = Scheduler::new();
        let (loader, calls) = batcher_with(&scheduler);
        let values = scheduler
            .drive(futures_util::future::join_all(
                (0..500).map(|k| loader.load_one(k)),
            ))
            .await;
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(values[7], Ok(Some(14)));
        assert_eq!(values[13], Ok(None));
    }

    /// Answers each key after as many milliseconds as the key, then the key.
    struct Slow {
        calls: Arc<AtomicUsize>,
    }

    impl Loader<u64> for Slow {
        type Value = u64;
        type Error = Arc<String>;

        async fn load(&self, keys: &[u64]) -> Result<HashMap<u64, u64>, Self::Error> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            let longest = keys.iter().copied().max().unwrap_or(0);
            tokio::time::sleep(std::time::Duration::from_millis(longest)).await;
            Ok(keys.iter().map(|k| (*k, *k)).collect())
        }
    }

    /// Two branches whose parents come from two loaders, one fast and one slow: their
    /// children still share one load, however long the slow parent takes.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn children_wait_for_every_parent_level_still_loading() {
        let scheduler = Scheduler::new();
        let counter = || Arc::new(AtomicUsize::new(0));
        let (fast_calls, slow_calls, child_calls) = (counter(), counter(), counter());
        let fast = Batcher::new(Slow { calls: fast_calls }, &scheduler);
        let slow = Batcher::new(Slow { calls: slow_calls }, &scheduler);
        let children = Batcher::new(
            Slow {
                calls: child_calls.clone(),
            },
            &scheduler,
        );
        let children = &children;
        let (a, b) = scheduler
            .drive(async {
                futures_util::join!(
                    async {
                        let parent = fast.load_one(1).await?.unwrap_or_default();
                        children.load_one(parent + 10).await
                    },
                    async {
                        let parent = slow.load_one(60).await?.unwrap_or_default();
                        children.load_one(parent + 10).await
                    },
                )
            })
            .await;
        assert_eq!((a, b), (Ok(Some(11)), Ok(Some(70))));
        assert_eq!(child_calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn nested_levels_load_once_per_level_when_driven() {
        two_levels(true).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn nested_levels_load_once_per_level_undriven() {
        two_levels(false).await;
    }

    #[tokio::test]
    async fn loaded_keys_are_cached_and_errors_reach_every_waiter() {
        let (loader, calls) = batcher();
        assert_eq!(loader.load_one(4).await, Ok(Some(8)));
        assert_eq!(loader.load_one(4).await, Ok(Some(8)));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        let (a, b) = futures_util::join!(loader.load_one(-1), loader.load_one(5));
        assert_eq!(a, Err(Arc::new("refused".to_string())));
        assert_eq!(b, Err(Arc::new("refused".to_string())));
    }

    #[tokio::test]
    async fn primed_keys_cost_no_load() {
        let (loader, calls) = batcher();
        loader.prime(4, Some(40));
        loader.prime(5, None);
        assert_eq!(loader.load_one(4).await, Ok(Some(40)));
        assert_eq!(loader.load_one(5).await, Ok(None));
        assert_eq!(calls.load(Ordering::SeqCst), 0);
        // A loaded key keeps the value its load found.
        assert_eq!(loader.load_one(6).await, Ok(Some(12)));
        loader.prime(6, Some(0));
        assert_eq!(loader.load_one(6).await, Ok(Some(12)));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        // A forgotten key is read again.
        loader.forget(&4);
        assert_eq!(loader.load_one(4).await, Ok(Some(8)));
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        loader.forget_all();
        assert_eq!(loader.load_one(6).await, Ok(Some(12)));
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_cancelled_leader_hands_its_batch_to_a_waiter() {
        let (loader, calls) = batcher();
        let mut leader = Box::pin(loader.load_one(1));
        let waker = futures_util::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        assert!(leader.as_mut().poll(&mut cx).is_pending());
        let waiter = loader.load_one(1);
        drop(leader);
        assert_eq!(waiter.await, Ok(Some(2)));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
