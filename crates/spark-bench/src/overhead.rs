//! Scenario 4 in the table, the stack's cost without network: calls through the full stack over
//! [`spark_bench::in_memory::InMemoryPeople`], which answers at once, against that service alone; nanoseconds and
//! allocations per call, on a current-thread runtime. (`benches/stack_overhead.rs` measures the
//! same with criterion.)

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

/// The most a call may spend in the stack, ns.
const TARGET_NS: f64 = 2_000.0;

/// Calls whose allocations are counted (apart from the timed calls).
const COUNTED_CALLS: u64 = 1_000;

/// What one way of calling costs.
struct Cost {
    ns_per_call: f64,
    allocations_per_call: f64,
}

/// Measures `calls` calls of each kind.
pub(crate) fn run(calls: u64) -> Result<Vec<Row>, BoxError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (http, api) = (http_client(), api_client());
    // One call each first, so that a broken stack fails loudly instead of timing errors.
    runtime.block_on(async {
        http.get("/people/me").await?;
        api.people().me().await?;
        Ok::<_, BoxError>(())
    })?;

    let service = measure(&runtime, calls, service_alone);
    let service_decode = measure(&runtime, calls, service_and_decode);
    let stack = measure(&runtime, calls, |n| http_get(&http, n));
    let api_me = measure(&runtime, calls, |n| api_me(&api, n));

    let row = |subject: &str, cost: &Cost| Row {
        scenario: "4 stack overhead".to_owned(),
        subject: subject.to_owned(),
        ns_per_call: Some(Spread::single(cost.ns_per_call)),
        allocations_per_call: Some(cost.allocations_per_call),
        ..Row::default()
    };
    let overhead = |subject: &str, full: &Cost, base: &Cost, base_name: &str| {
        let extra = full.ns_per_call - base.ns_per_call;
        Row {
            scenario: "4 stack overhead".to_owned(),
            subject: subject.to_owned(),
            ns_per_call: Some(Spread::single(extra)),
            allocations_per_call: Some(full.allocations_per_call - base.allocations_per_call),
            ratio: Some(Spread::single(full.ns_per_call / base.ns_per_call)),
            ratio_to: Some(base_name.to_owned()),
            target: Some(format!("< {TARGET_NS} ns")),
            met: Some(extra < TARGET_NS),
            ..Row::default()
        }
    };
    Ok(vec![
        row("service alone (oneshot)", &service),
        row("service + read body + serde Person", &service_decode),
        row("spark-http get, full stack", &stack),
        row("spark-api people().me(), full stack", &api_me),
        overhead(
            "spark-http stack cost (get - service)",
            &stack,
            &service,
            "service alone",
        ),
        overhead(
            "spark-api cost (me - service+serde)",
            &api_me,
            &service_decode,
            "service + serde",
        ),
    ])
}

/// Times `calls` calls made by `calling(calls)` (after a warm-up) and counts the allocations of
/// [`COUNTED_CALLS`] more.
fn measure<F, Fut>(runtime: &Runtime, calls: u64, calling: F) -> Cost
where
    F: Fn(u64) -> Fut,
    Fut: Future<Output = ()>,
{
    runtime.block_on(calling((calls / 10).max(100)));
    let ((), allocations) = count_allocations(|| runtime.block_on(calling(COUNTED_CALLS)));
    let started = Instant::now();
    runtime.block_on(calling(calls));
    let elapsed = started.elapsed();
    Cost {
        ns_per_call: elapsed.as_nanos() as f64 / calls as f64,
        allocations_per_call: allocations as f64 / COUNTED_CALLS as f64,
    }
}
