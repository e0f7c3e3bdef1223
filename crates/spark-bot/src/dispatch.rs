//! Running handlers: one lane per room, so a room's events are handled one after the other and
//! in order, lanes side by side under a concurrency bound, at most `queue` events waiting in
//! all, each handler bounded in time, and a panic logged (with the event's ids) and survived.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

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
            }),
        }
    }

    /// Queues an event if there is room, at once.
    pub(crate) fn try_dispatch(&self, event: Event) -> Result<(), Rejected> {
        let permit = Arc::clone(&self.inner.waiting)
            .try_acquire_owned()
            .map_err(|_| Rejected {
                waiting: self.inner.queue,
            })?;
        self.enqueue(event, permit);
        Ok(())
    }

    /// Queues an event, waiting for room.
    pub(crate) async fn dispatch(&self, event: Event) {
        let Ok(permit) = Arc::clone(&self.inner.waiting).acquire_owned().await else {
            return;
        };
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
        let job = jobs.pop_front();
        if job.is_none() {
            lanes.remove(lane);
        }
        job
    }

    /// Runs a lane's jobs one after the other until it is empty.
    async fn drain(self: Arc<Self>, lane: String) {
        while let Some((event, _waiting)) = self.next(&lane) {
            let Ok(_running) = Arc::clone(&self.running).acquire_owned().await else {
                return;
            };
            let activity = event.activity_id.clone();
            let id = event.data.id.clone();
            let room = event.data.room_id.clone();
            let kind = event.kind;
            let work = (self.work)(event);
            let task = tokio::spawn(tokio::time::timeout(self.timeout, work));
            match task.await {
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
