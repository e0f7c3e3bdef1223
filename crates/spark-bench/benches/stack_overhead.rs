//! Scenario 4 of the speed issue with criterion: the cost of the stack without network.
//!
//! Each call goes through the full stack over `InMemoryPeople`, a service that answers at once,
//! and is compared with that service alone (`tower::ServiceExt::oneshot`):
//!
//! - `service_alone` against `spark_http_get` (`HttpClient::get("/people/me")`);
//! - `service_and_decode` (body read, serde into `Person`) against `spark_api_me`
//!   (`Client::people().me()`).
//!
//! Criterion measures time; allocations per call are counted afterwards in a loop of their own,
//! with a counting global allocator, and printed.

use std::future::Future;
use std::time::{Duration, Instant};

use criterion::Criterion;
use spark_bench::alloc_counter::{CountingAllocator, count_allocations};
use spark_bench::in_memory::{
    api_client, api_me, http_client, http_get, service_alone, service_and_decode,
};
use tokio::runtime::Runtime;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Calls whose allocations are counted, per variant.
const COUNTED_CALLS: u64 = 10_000;

/// Runs `calls(iterations)` once on `runtime` and returns how long it took.
fn timed<Fut: Future<Output = ()>>(runtime: &Runtime, calls: Fut) -> Duration {
    let started = Instant::now();
    runtime.block_on(calls);
    started.elapsed()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime");
    let http = http_client();
    let api = api_client();

    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("stack_overhead");
    group.bench_function("service_alone", |bencher| {
        bencher.iter_custom(|iterations| timed(&runtime, service_alone(iterations)));
    });
    group.bench_function("spark_http_get", |bencher| {
        bencher.iter_custom(|iterations| timed(&runtime, http_get(&http, iterations)));
    });
    group.bench_function("service_and_decode", |bencher| {
        bencher.iter_custom(|iterations| timed(&runtime, service_and_decode(iterations)));
    });
    group.bench_function("spark_api_me", |bencher| {
        bencher.iter_custom(|iterations| timed(&runtime, api_me(&api, iterations)));
    });
    group.finish();
    criterion.final_summary();

    println!("allocations per call ({COUNTED_CALLS} calls each):");
    let per_call = |allocations: u64| allocations as f64 / COUNTED_CALLS as f64;
    let ((), service) = count_allocations(|| runtime.block_on(service_alone(COUNTED_CALLS)));
    let ((), stack) = count_allocations(|| runtime.block_on(http_get(&http, COUNTED_CALLS)));
    let ((), decode) = count_allocations(|| runtime.block_on(service_and_decode(COUNTED_CALLS)));
    let ((), me) = count_allocations(|| runtime.block_on(api_me(&api, COUNTED_CALLS)));
    for (name, allocations) in [
        ("service_alone", service),
        ("spark_http_get", stack),
        ("service_and_decode", decode),
        ("spark_api_me", me),
    ] {
        println!("  {name:<20} {:>7.1}", per_call(allocations));
    }
    println!(
        "  stack adds {:.1} (spark-http) and {:.1} (spark-api, over serde alone)",
        per_call(stack) - per_call(service),
        per_call(me) - per_call(decode)
    );
}
