//! Wake-ups that say what they are for. A relay waits on several things at once: the
//! client → upstream direction, the upstream → client direction, and the rare ones (its
//! timer, the revocation check, the shutdown signal). Each part gets a waker of its own that
//! notes its bit and wakes the connection's task, so a wake-up polls only the part that was
//! woken: a message relayed one way neither polls the other direction's socket nor the
//! timer, nor the shutdown signal (whose wait takes a lock all connections share).

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::task::{Wake, Waker};

/// The client → upstream direction.
pub const UP: u8 = 1;
/// The upstream → client direction.
pub const DOWN: u8 = 2;
/// The timer, the revocation check and the shutdown signal.
pub const RARE: u8 = 4;
pub const ALL: u8 = UP | DOWN | RARE;

/// One part's waker: notes the part, then wakes the task.
struct Part {
    bit: u8,
    woken: Arc<AtomicU8>,
    task: Waker,
}

impl Wake for Part {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.fetch_or(self.bit, Ordering::Release);
        self.task.wake_by_ref();
    }
}

/// The wakers of one relay's parts.
pub struct Wakers {
    task: Waker,
    woken: Arc<AtomicU8>,
    parts: [Waker; 3],
}

impl Wakers {
    /// Wakers for a task woken by `task`; every part counts as woken at first.
    pub fn new(task: &Waker) -> Wakers {
        let woken = Arc::new(AtomicU8::new(ALL));
        let part = |bit| {
            Waker::from(Arc::new(Part {
                bit,
                woken: woken.clone(),
                task: task.clone(),
            }))
        };
        Wakers {
            parts: [part(UP), part(DOWN), part(RARE)],
            task: task.clone(),
            woken,
        }
    }

    /// The parts woken since the last call, now polled by `task`. All of them when the task's
    /// waker is not the one these wakers wake (they are made again for it): every part is
    /// then polled and registers its new waker.
    pub fn take(&mut self, task: &Waker) -> u8 {
        if !self.task.will_wake(task) {
            *self = Wakers::new(task);
        }
        self.woken.swap(0, Ordering::Acquire)
    }

    /// The waker of the part `bit` (`UP`, `DOWN` or `RARE`).
    pub fn of(&self, bit: u8) -> &Waker {
        match bit {
            UP => &self.parts[0],
            DOWN => &self.parts[1],
            _ => &self.parts[2],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    struct Count(AtomicUsize);
    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }

    #[test]
    fn a_part_woken_is_reported_once_and_wakes_the_task() {
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let task = Waker::from(count.clone());
        let mut w = Wakers::new(&task);
        assert_eq!(w.take(&task), ALL, "everything is polled first");
        assert_eq!(w.take(&task), 0);
        w.of(DOWN).wake_by_ref();
        // A clone handed out (to a socket, a timer) and woken by value works the same.
        let handed_out = w.of(DOWN).clone();
        handed_out.wake();
        assert_eq!(count.0.load(Ordering::Relaxed), 2);
        assert_eq!(w.take(&task), DOWN);
        w.of(RARE).wake_by_ref();
        w.of(UP).wake_by_ref();
        assert_eq!(w.take(&task), UP | RARE);
        assert_eq!(w.take(&task), 0);
        // Polled by another task: all parts again, with wakers that wake that task.
        let other = Arc::new(Count(AtomicUsize::new(0)));
        let other_task = Waker::from(other.clone());
        assert_eq!(w.take(&other_task), ALL);
        w.of(UP).wake_by_ref();
        assert_eq!(other.0.load(Ordering::Relaxed), 1);
        assert_eq!(count.0.load(Ordering::Relaxed), 4);
    }
}
