//! Single-flight: concurrent callers of one operation share one run of it. The first caller leads
//! (runs the operation itself, borrowing the session as it likes); the others wait for its result.
//! A leader dropped mid-way (its promise abandoned) releases the waiters, and one of them leads a
//! new run, so nobody waits forever. Hand-rolled instead of `futures-util`'s `Shared`, whose
//! bytes would ship to every browser.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

struct Shared<T> {
    result: Option<T>,
    finished: bool,
    wakers: Vec<Waker>,
}

type Slot<T> = RefCell<Option<Rc<RefCell<Shared<T>>>>>;

/// One operation that runs at most once at a time; see the module docs.
pub(crate) struct Flight<T: Clone> {
    slot: Slot<T>,
}

impl<T: Clone> Flight<T> {
    /// An idle flight.
    pub(crate) fn new() -> Self {
        Self { slot: RefCell::new(None) }
    }

    /// Whether a run is under way.
    #[cfg(test)]
    pub(crate) fn busy(&self) -> bool {
        self.slot.borrow().is_some()
    }

    /// Joins the run under way, or leads a new one of `op`.
    pub(crate) async fn run<F: Future<Output = T>>(&self, op: impl FnOnce() -> F) -> T {
        loop {
            let current = self.slot.borrow().clone();
            match current {
                Some(shared) => {
                    if let Some(result) = (Wait { shared }).await {
                        return result;
                    }
                    // The leader was dropped before finishing: lead (or join) a fresh run.
                }
                None => break,
            }
        }
        let shared = Rc::new(RefCell::new(Shared { result: None, finished: false, wakers: Vec::new() }));
        *self.slot.borrow_mut() = Some(shared.clone());
        let guard = Leader { slot: &self.slot, shared };
        let result = op().await;
        guard.shared.borrow_mut().result = Some(result.clone());
        drop(guard);
        result
    }
}

/// Ends a run when the leader finishes or is dropped: frees the slot and wakes every waiter.
struct Leader<'a, T> {
    slot: &'a Slot<T>,
    shared: Rc<RefCell<Shared<T>>>,
}

impl<T> Drop for Leader<'_, T> {
    fn drop(&mut self) {
        let mine = self.slot.borrow().as_ref().is_some_and(|s| Rc::ptr_eq(s, &self.shared));
        if mine {
            *self.slot.borrow_mut() = None;
        }
        let wakers = {
            let mut s = self.shared.borrow_mut();
            s.finished = true;
            std::mem::take(&mut s.wakers)
        };
        for w in wakers {
            w.wake();
        }
    }
}

/// A waiter: `Some(result)` when the run finished, `None` when its leader was dropped.
struct Wait<T> {
    shared: Rc<RefCell<Shared<T>>>,
}

impl<T: Clone> Future for Wait<T> {
    type Output = Option<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let mut s = self.shared.borrow_mut();
        if s.finished {
            return Poll::Ready(s.result.clone());
        }
        if !s.wakers.iter().any(|w| w.will_wake(cx.waker())) {
            s.wakers.push(cx.waker().clone());
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;
    use futures::future::join_all;
    use std::cell::Cell;
    use crate::fake::YieldNow;

    #[test]
    fn concurrent_callers_share_one_run() {
        let flight = Flight::new();
        let runs = Cell::new(0);
        let op = || async {
            runs.set(runs.get() + 1);
            YieldNow(false).await;
            runs.get()
        };
        let results = block_on(join_all((0..10).map(|_| flight.run(op))));
        assert_eq!(results, vec![1; 10]);
        assert!(!flight.busy());
        assert_eq!(block_on(flight.run(op)), 2, "a later call runs again");
    }

    #[test]
    fn a_dropped_leader_hands_over_to_a_waiter() {
        let flight: Flight<u32> = Flight::new();
        block_on(async {
            let mut leader = Box::pin(flight.run(|| async {
                std::future::pending::<()>().await;
                0
            }));
            assert!(futures::poll!(&mut leader).is_pending());
            let mut waiter = Box::pin(flight.run(|| async { 7 }));
            assert!(futures::poll!(&mut waiter).is_pending());
            drop(leader);
            assert_eq!(waiter.await, 7);
        });
        assert!(!flight.busy());
    }
}
