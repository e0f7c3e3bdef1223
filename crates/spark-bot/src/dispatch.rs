//! Running handlers: one lane per room, so a room's events are handled one after the other and
//! in order, lanes side by side under a concurrency bound, at most `queue` events waiting in
//! all, each handler bounded in time, and a panic logged (with the event's ids) and survived.
//!
//! Shutting down closes the door (new events are refused), gives the queued and running work a
//! grace period, then stops what is still running and drops what is still queued.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};

use crate::event::Event;
use crate::handler::Rejected;

/// The work done for one event.
pub(crate) type Work = Arc<dyn Fn(Event) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

type Job = (Event, OwnedSemaphorePermit);

struct Inner {
    lanes: Mutex<HashMap<String, VecDeque<Job>>>,
    running: Arc<Semaphore>,
    waiting: Arc<Semaphore>,
    queue: usize,
    timeout: Duration,
    work: Work,
    /// Set once shutdown begins: no event is taken any more.
    closing: watch::Sender<bool>,
    /// Lanes with work (queued or running): shutdown waits for zero.
    busy: watch::Sender<usize>,
    /// Set when the grace period is over: running handlers are stopped, queued events dropped.
    stop: watch::Sender<bool>,
    /// Events not handled to their end because of the shutdown.
    abandoned: AtomicUsize,
}

/// What a shutdown left undone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Abandoned {
    pub(crate) events: usize,
}

/// Queues events into room lanes and runs them.
#[derive(Clone)]
pub(crate) struct Dispatcher {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Dispatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dispatcher")
            .field("queue", &self.inner.queue)
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
    }
}

impl Dispatcher {
    pub(crate) fn new(concurrency: usize, queue: usize, timeout: Duration, work: Work) -> Self {
        Self {
            inner: Arc::new(Inner {
                lanes: Mutex::new(HashMap::new()),
                running: Arc::new(Semaphore::new(concurrency.max(1))),
                waiting: Arc::new(Semaphore::new(queue.max(1))),
                queue: queue.max(1),
                timeout,
                work,
                closing: watch::Sender::new(false),
                busy: watch::Sender::new(0),
                stop: watch::Sender::new(false),
                abandoned: AtomicUsize::new(0),
            }),
        }
    }

    /// Whether shutdown has begun.
    pub(crate) fn is_closed(&self) -> bool {
        *self.inner.closing.borrow()
    }

    /// Resolves when shutdown begins.
    pub(crate) async fn closed(&self) {
        let mut closing = self.inner.closing.subscribe();
        let _ = closing.wait_for(|closing| *closing).await;
    }

    /// Refuses new events, waits up to `grace` for the queued and running ones, then stops the
    /// handlers still running and drops the events still queued (waiting at most `grace` again
    /// for the stopped tasks to wind up).
    pub(crate) async fn shutdown(&self, grace: Duration) -> Abandoned {
        self.inner.closing.send_replace(true);
        let mut busy = self.inner.busy.subscribe();
        if tokio::time::timeout(grace, busy.wait_for(|lanes| *lanes == 0))
            .await
            .is_err()
        {
            self.inner.stop.send_replace(true);
            let _ = tokio::time::timeout(grace, busy.wait_for(|lanes| *lanes == 0)).await;
        }
        Abandoned {
            events: self.inner.abandoned.load(Ordering::Acquire),
        }
    }

    /// Queues an event if there is room, at once.
    pub(crate) fn try_dispatch(&self, event: Event) -> Result<(), Rejected> {
        if self.is_closed() {
            return Err(Rejected {
                waiting: self.inner.queue,
            });
        }
        let permit = Arc::clone(&self.inner.waiting)
            .try_acquire_owned()
            .map_err(|_| Rejected {
                waiting: self.inner.queue,
            })?;
        self.enqueue(event, permit);
        Ok(())
    }

    /// Queues an event, waiting for room.
    /// Drops it when shutdown has begun.
    pub(crate) async fn dispatch(&self, event: Event) {
        let permit = tokio::select! {
            permit = Arc::clone(&self.inner.waiting).acquire_owned() => permit,
            () = self.closed() => return,
        };
        let Ok(permit) = permit else {
            return;
        };
        if self.is_closed() {
            return;
        }
        self.enqueue(event, permit);
    }

    fn enqueue(&self, event: Event, permit: OwnedSemaphorePermit) {
        let lane = event.data.room_id.clone().unwrap_or_default();
        let start = {
            let mut lanes = self
                .inner
                .lanes
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            match lanes.get_mut(&lane) {
                Some(jobs) => {
                    jobs.push_back((event, permit));
                    false
                }
                None => {
                    lanes.insert(lane.clone(), VecDeque::from([(event, permit)]));
                    self.inner.busy.send_modify(|busy| *busy += 1);
                    true
                }
            }
        };
        if start {
            tokio::spawn(Arc::clone(&self.inner).drain(lane));
        }
    }
}

impl Inner {
    /// The next job of a lane; removes the lane when it is empty.
    fn next(&self, lane: &str) -> Option<Job> {
        let mut lanes = self.lanes.lock().unwrap_or_else(PoisonError::into_inner);
        let jobs = lanes.get_mut(lane)?;
        let job = if *self.stop.borrow() {
            let dropped = jobs.len();
            jobs.clear();
            self.abandoned.fetch_add(dropped, Ordering::AcqRel);
            None
        } else {
            jobs.pop_front()
        };
        if job.is_none() {
            lanes.remove(lane);
            self.busy.send_modify(|busy| *busy = busy.saturating_sub(1));
        }
        job
    }

    /// Runs a lane's jobs one after the other until it is empty.
    async fn drain(self: Arc<Self>, lane: String) {
        while let Some((event, _waiting)) = self.next(&lane) {
            let mut stop = self.stop.subscribe();
            let running = tokio::select! {
                running = Arc::clone(&self.running).acquire_owned() => running,
                _ = stop.wait_for(|stop| *stop) => {
                    self.abandoned.fetch_add(1, Ordering::AcqRel);
                    continue;
                }
            };
            let Ok(_running) = running else {
                continue;
            };
            let activity = event.activity_id.clone();
            let id = event.data.id.clone();
            let room = event.data.room_id.clone();
            let kind = event.kind;
            let work = (self.work)(event);
            let mut task = tokio::spawn(tokio::time::timeout(self.timeout, work));
            let outcome = tokio::select! {
                outcome = &mut task => outcome,
                _ = stop.wait_for(|stop| *stop) => {
                    task.abort();
                    self.abandoned.fetch_add(1, Ordering::AcqRel);
                    tracing::warn!(
                        ?kind, activity = ?activity, id = ?id, room = ?room,
                        "handler stopped by the bot's shutdown"
                    );
                    continue;
                }
            };
            match outcome {
                Ok(Ok(())) => {}
                Ok(Err(_)) => tracing::warn!(
                    ?kind, activity = ?activity, id = ?id, room = ?room, limit = ?self.timeout,
                    "handler ran past its time limit and was stopped"
                ),
                Err(error) if error.is_panic() => {
                    let panic = error.into_panic();
                    let message = panic
                        .downcast_ref::<&str>()
                        .map(|text| (*text).to_owned())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "a panic without a message".to_owned());
                    tracing::error!(
                        ?kind, activity = ?activity, id = ?id, room = ?room, panic = %message,
                        "handler panicked"
                    );
                }
                Err(_) => {}
            }
        }
    }
}
