//! A figure measured once per round: its median, judged against the targets, and its spread, the
//! lowest and highest of the rounds (min–max), shown beside it.

use serde::Serialize;

/// One figure over the rounds of a measurement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Spread {
    /// The median of the rounds (the mean of the two middle ones for an even count).
    pub(crate) median: f64,
    /// The lowest round.
    pub(crate) min: f64,
    /// The highest round.
    pub(crate) max: f64,
    /// Each round's figure, in the order measured.
    pub(crate) rounds: Vec<f64>,
}

impl Spread {
    /// The spread of `rounds`, in the order measured; `None` when there are none.
    pub(crate) fn of(rounds: Vec<f64>) -> Option<Spread> {
        let mut sorted = rounds.clone();
        sorted.sort_by(f64::total_cmp);
        let (&min, &max) = (sorted.first()?, sorted.last()?);
        let middle = sorted.len() / 2;
        let median = if sorted.len() % 2 == 1 {
            sorted[middle]
        } else {
            (sorted[middle - 1] + sorted[middle]) / 2.0
        };
        Some(Spread {
            median,
            min,
            max,
            rounds,
        })
    }

    /// A figure measured once.
    pub(crate) fn single(value: f64) -> Spread {
        Spread {
            median: value,
            min: value,
            max: value,
            rounds: vec![value],
        }
    }

    /// `combine` of this figure and `other` round by round (a ratio of two contenders measured in
    /// the same round, a difference, ...); `None` when either has no rounds.
    pub(crate) fn paired(
        &self,
        other: &Spread,
        combine: impl Fn(f64, f64) -> f64,
    ) -> Option<Spread> {
        Spread::of(
            self.rounds
                .iter()
                .zip(&other.rounds)
                .map(|(ours, theirs)| combine(*ours, *theirs))
                .collect(),
        )
    }

    /// `min–max` with `decimals` decimals.
    pub(crate) fn range_text(&self, decimals: usize) -> String {
        format!("{:.decimals$}–{:.decimals$}", self.min, self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_an_odd_count_is_the_middle_round() {
        let spread = Spread::of(vec![3.0, 1.0, 10.0, 2.0, 4.0]).expect("rounds");
        assert_eq!((spread.median, spread.min, spread.max), (3.0, 1.0, 10.0));
        assert_eq!(spread.rounds, [3.0, 1.0, 10.0, 2.0, 4.0]);
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        let spread = Spread::of(vec![4.0, 1.0, 2.0, 8.0]).expect("rounds");
        assert_eq!(spread.median, 3.0);
        assert_eq!(spread.range_text(1), "1.0–8.0");
    }

    #[test]
    fn no_rounds_is_no_spread() {
        assert_eq!(Spread::of(Vec::new()), None);
    }

    #[test]
    fn pairs_are_taken_round_by_round() {
        let ours = Spread::of(vec![90.0, 50.0, 99.0]).expect("rounds");
        let theirs = Spread::of(vec![100.0, 50.0, 90.0]).expect("rounds");
        let ratio = ours.paired(&theirs, |a, b| a / b).expect("rounds");
        assert_eq!(ratio.rounds, [0.9, 1.0, 1.1]);
        assert_eq!(ratio.median, 1.0);
    }
}
