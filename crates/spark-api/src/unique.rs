//! Names that do not collide: multipart boundaries and temporary file names.

use std::sync::atomic::{AtomicU64, Ordering};

/// A string unique within this process and, in practice, across processes: the process id, the
/// time in nanoseconds and a process-wide counter, in hex.
pub(crate) fn unique_suffix() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos() as u64);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{:x}{nanos:016x}{count:08x}", std::process::id())
}

#[cfg(test)]
mod tests {
    #[test]
    fn suffixes_differ() {
        let all: std::collections::HashSet<String> =
            (0..1000).map(|_| super::unique_suffix()).collect();
        assert_eq!(all.len(), 1000);
    }
}
