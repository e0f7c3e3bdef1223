//! Remembering the activities already handed on, so a frame replayed after a reconnect (sent
//! but not acknowledged before the socket died) is not handled twice.

use std::collections::{HashSet, VecDeque};

/// The last `capacity` ids seen.
#[derive(Debug)]
pub(crate) struct Recent {
    order: VecDeque<String>,
    seen: HashSet<String>,
    capacity: usize,
}

impl Recent {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            order: VecDeque::new(),
            seen: HashSet::new(),
            capacity: capacity.max(1),
        }
    }

    /// True the first time `id` is offered (among the last `capacity` ids).
    pub(crate) fn first_time(&mut self, id: &str) -> bool {
        if self.seen.contains(id) {
            return false;
        }
        if self.order.len() == self.capacity {
            if let Some(old) = self.order.pop_front() {
                self.seen.remove(&old);
            }
        }
        self.order.push_back(id.to_owned());
        self.seen.insert(id.to_owned());
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_a_window() {
        let mut recent = Recent::new(2);
        assert!(recent.first_time("a"));
        assert!(!recent.first_time("a"));
        assert!(recent.first_time("b"));
        assert!(recent.first_time("c"));
        assert!(recent.first_time("a"), "a fell out of the window");
        assert!(!recent.first_time("c"));
    }
}
