//! Scenario 4 in the table, the stack's cost without network: calls through the full stack over
//! [`spark_bench::in_memory::InMemoryPeople`], which answers at once, against that service alone
//! sent the same request (built as `get("/people/me")` builds it: `in_memory::me_request`);
//! nanoseconds and allocations per call, on a current-thread runtime, in rounds. The stack's cost is judged on
//! both: its extra nanoseconds (median of the rounds) and its extra allocations per call.
//! (`benches/stack_overhead.rs` measures the same with criterion.)

use std::future::Future;
use std::time::Instant;

use spark_bench::alloc_counter::count_allocations;
use spark_bench::in_memory::{
    api_client, api_me, http_client, http_get, service_alone, service_and_decode,
};
use tokio::runtime::Runtime;

use crate::clients::BoxError;
use crate::report::Row;
use crate::spread::Spread;

/// The most a call may spend in the stack, ns (judged on the median of the rounds).
const TARGET_NS: f64 = 1_000.0;

/// The most allocations a call may make in the stack beyond those of its baseline.
const TARGET_EXTRA_ALLOCATIONS: f64 = 4.0;

/// Calls whose allocations are counted (apart from the timed calls).
const COUNTED_CALLS: u64 = 1_000;

/// What one way of calling costs.
struct Cost {
    /// Nanoseconds per call, each round's.
    ns_per_call: Vec<f64>,
    allocations_per_call: f64,
}

impl Cost {
    fn ns(&self) -> Spread {
        Spread::of(self.ns_per_call.clone()).unwrap_or_else(|| Spread::single(f64::NAN))
    }
}

/// Measures each kind of call in `rounds` rounds of `calls / rounds` timed calls, the kinds one
/// after another in each round.
pub(crate) fn run(calls: u64, rounds: u32) -> Result<Vec<Row>, BoxError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (http, client) = (http_client(), api_client());
    // One call each first, so that a broken stack fails loudly instead of timing errors.
    runtime.block_on(async {
        http.get("/people/me").await?;
        client.people().me().await?;
        Ok::<_, BoxError>(())
    })?;

    let rounds = rounds.max(1);
    let per_round = (calls / u64::from(rounds)).max(1);
    let mut service = prepare(&runtime, calls, service_alone);
    let mut service_decode = prepare(&runtime, calls, service_and_decode);
    let mut stack = prepare(&runtime, calls, |n| http_get(&http, n));
    let mut api = prepare(&runtime, calls, |n| api_me(&client, n));
    for _ in 0..rounds {
        service
            .ns_per_call
            .push(time(&runtime, per_round, service_alone));
        service_decode
            .ns_per_call
            .push(time(&runtime, per_round, service_and_decode));
        stack
            .ns_per_call
            .push(time(&runtime, per_round, |n| http_get(&http, n)));
        api.ns_per_call
            .push(time(&runtime, per_round, |n| api_me(&client, n)));
    }

    let row = |subject: &str, cost: &Cost| Row {
        scenario: "4 stack overhead".to_owned(),
        subject: subject.to_owned(),
        ns_per_call: Some(cost.ns()),
        allocations_per_call: Some(cost.allocations_per_call),
        ..Row::default()
    };
    let overhead = |subject: &str, full: &Cost, base: &Cost, base_name: &str| {
        let extra = full.ns().paired(&base.ns(), |full, base| full - base);
        let extra_allocations = full.allocations_per_call - base.allocations_per_call;
        Row {
            scenario: "4 stack overhead".to_owned(),
            subject: subject.to_owned(),
            met: Some(
                extra.as_ref().is_some_and(|extra| extra.median < TARGET_NS)
                    && extra_allocations <= TARGET_EXTRA_ALLOCATIONS,
            ),
            ns_per_call: extra,
            allocations_per_call: Some(extra_allocations),
            ratio: full.ns().paired(&base.ns(), |full, base| full / base),
            ratio_to: Some(base_name.to_owned()),
            target: Some(format!(
                "< {TARGET_NS} ns, <= {TARGET_EXTRA_ALLOCATIONS} allocs more"
            )),
            ..Row::default()
        }
    };
    Ok(vec![
        row("service alone, same request (oneshot)", &service),
        row("service + read body + serde Person", &service_decode),
        row("spark-http get, full stack", &stack),
        row("spark-api people().me(), full stack", &api),
        overhead(
            "spark-http stack cost (get - service)",
            &stack,
            &service,
            "service alone",
        ),
        overhead(
            "spark-api cost (me - service+serde)",
            &api,
            &service_decode,
            "service + serde",
        ),
    ])
}

/// Warms up `calling` with a tenth of `calls` (at least 100) and counts the allocations of
/// [`COUNTED_CALLS`] more; the timings are added round by round.
fn prepare<F, Fut>(runtime: &Runtime, calls: u64, calling: F) -> Cost
where
    F: Fn(u64) -> Fut,
    Fut: Future<Output = ()>,
{
    runtime.block_on(calling((calls / 10).max(100)));
    let ((), allocations) = count_allocations(|| runtime.block_on(calling(COUNTED_CALLS)));
    Cost {
        ns_per_call: Vec::new(),
        allocations_per_call: allocations as f64 / COUNTED_CALLS as f64,
    }
}

/// Times `calls` calls made by `calling(calls)`; returns nanoseconds per call.
fn time<F, Fut>(runtime: &Runtime, calls: u64, calling: F) -> f64
where
    F: Fn(u64) -> Fut,
    Fut: Future<Output = ()>,
{
    let started = Instant::now();
    runtime.block_on(calling(calls));
    started.elapsed().as_nanos() as f64 / calls as f64
}
