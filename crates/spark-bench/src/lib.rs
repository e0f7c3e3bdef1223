//! Benchmarks of the spark client against bare hyper and reqwest on loopback.
//!
//! The `spark-bench` binary runs the scenarios and prints one table (`cargo run --release -p
//! spark-bench -- --seconds 3`); the criterion bench `stack_overhead` times the stack over an
//! in-memory service (`cargo bench -p spark-bench`). This library holds what both share: the
//! fixed answers, the in-memory service and the allocation counter.

pub mod alloc_counter;
pub mod fixtures;
pub mod in_memory;
