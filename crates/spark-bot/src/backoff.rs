//! Reconnection back-off: exponential with full jitter, 1 s doubling to 32 s by default
//! (DESIGN.md, "Real-time events").

use std::time::Duration;

/// The wait before reconnection attempt `attempt` (1 for the first): a random duration in
/// `[0, min(max, min * 2^(attempt - 1))]`, never below `min / 2` so a storm of failures
/// cannot spin.
pub(crate) fn delay(attempt: u32, min: Duration, max: Duration) -> Duration {
    let exponent = attempt.saturating_sub(1).min(16);
    let ceiling = min.saturating_mul(1 << exponent).min(max).max(min);
    let floor = min / 2;
    let span = ceiling.saturating_sub(floor);
    floor + span.mul_f64(fastrand::f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_and_stay_bounded() {
        let (min, max) = (Duration::from_secs(1), Duration::from_secs(32));
        for attempt in 1..40 {
            let wait = delay(attempt, min, max);
            assert!(wait >= min / 2 && wait <= max, "{attempt}: {wait:?}");
        }
        assert!(delay(1, min, max) <= min);
        assert_eq!(delay(3, Duration::ZERO, Duration::ZERO), Duration::ZERO);
    }
}
