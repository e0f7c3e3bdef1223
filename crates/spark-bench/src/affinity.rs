//! Pinning the run to one CPU, and reading back where each thread may run.
//!
//! On a machine with few CPUs, a client and a server on different CPUs pay a cross-CPU wake-up on
//! every round trip (about 140 µs a round trip against 21 µs on one CPU, on a 2-CPU VM), so an
//! unpinned run measures the scheduler as much as the clients. `main` pins its own thread before
//! any runtime, thread or child process exists: Linux gives a new thread the CPU mask of the thread
//! that creates it, and a child process the mask of the thread that starts it, so every worker of
//! every runtime (the server's and the clients') and the pagination children run on that CPU.
//! [`Placement`] records the `Cpus_allowed_list` read back from `/proc` in each of them, so the
//! table shows that it held.

use std::io;

use serde::{Deserialize, Serialize};

/// Where a run's threads were allowed to run, as read back from `/proc`.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Placement {
    /// The CPU everything was pinned to; `None` with `--no-pin`.
    pub(crate) pinned_cpu: Option<usize>,
    /// Worker threads of each runtime the clients run on (every contender's alike).
    pub(crate) client_threads: usize,
    /// Worker threads of the server's runtime.
    pub(crate) server_threads: usize,
    /// `Cpus_allowed_list` of `/proc/.../status`, by the thread or process it was read in.
    pub(crate) seen: Vec<Seen>,
}

/// One reading of `Cpus_allowed_list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Seen {
    /// The thread or process it was read in (`main thread`, `client worker`, ...).
    pub(crate) place: String,
    /// The list as the kernel prints it (`1`, `0-1`, ...), or `?` where it could not be read.
    pub(crate) cpus: String,
}

impl Placement {
    /// Notes the mask of the calling thread under `place`, unless the same place is noted with the
    /// same mask already.
    pub(crate) fn note_this_thread(&mut self, place: &str) {
        self.note(Seen::this_thread(place));
    }

    /// Notes a reading, unless the same reading is noted already.
    pub(crate) fn note(&mut self, seen: Seen) {
        if !self.seen.contains(&seen) {
            self.seen.push(seen);
        }
    }

    /// The readings that are not the pinned CPU alone (none when the run is not pinned).
    pub(crate) fn mismatches(&self) -> impl Iterator<Item = &Seen> {
        let pinned = self.pinned_cpu.map(|cpu| cpu.to_string());
        self.seen
            .iter()
            .filter(move |seen| pinned.as_ref().is_some_and(|cpu| *cpu != seen.cpus))
    }
}

impl Seen {
    /// The mask of the calling thread, from `/proc/thread-self/status`.
    pub(crate) fn this_thread(place: &str) -> Seen {
        let status = std::fs::read_to_string("/proc/thread-self/status").unwrap_or_default();
        Seen {
            place: place.to_owned(),
            cpus: cpus_allowed_list(&status).unwrap_or("?").to_owned(),
        }
    }
}

/// The `Cpus_allowed_list` field of a `/proc/.../status` text.
pub(crate) fn cpus_allowed_list(status: &str) -> Option<&str> {
    status
        .lines()
        .find_map(|line| line.strip_prefix("Cpus_allowed_list:"))
        .map(str::trim)
}

/// The CPUs the calling thread may run on, in increasing order.
#[cfg(target_os = "linux")]
pub(crate) fn allowed_cpus() -> io::Result<Vec<usize>> {
    use nix::sched::{CpuSet, sched_getaffinity};
    use nix::unistd::Pid;

    let set = sched_getaffinity(Pid::from_raw(0))?;
    Ok((0..CpuSet::count())
        .filter(|cpu| set.is_set(*cpu).unwrap_or(false))
        .collect())
}

/// Restricts the calling thread, and every thread and process it starts from now on, to `cpu`.
#[cfg(target_os = "linux")]
pub(crate) fn pin_this_thread(cpu: usize) -> io::Result<()> {
    use nix::sched::{CpuSet, sched_setaffinity};
    use nix::unistd::Pid;

    let mut set = CpuSet::new();
    set.set(cpu)?;
    sched_setaffinity(Pid::from_raw(0), &set)?;
    Ok(())
}

/// Pinning needs Linux's `sched_setaffinity`; elsewhere the run must say `--no-pin`.
#[cfg(not(target_os = "linux"))]
pub(crate) fn allowed_cpus() -> io::Result<Vec<usize>> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "pinning needs Linux; run with --no-pin",
    ))
}

/// Pinning needs Linux's `sched_setaffinity`; elsewhere the run must say `--no-pin`.
#[cfg(not(target_os = "linux"))]
pub(crate) fn pin_this_thread(_cpu: usize) -> io::Result<()> {
    allowed_cpus().map(drop)
}

/// Pins the calling thread to `cpu`, or when `None` to the last CPU it may run on now; returns
/// the CPU.
pub(crate) fn pin(cpu: Option<usize>) -> Result<usize, String> {
    let allowed =
        allowed_cpus().map_err(|error| format!("cannot read this process's CPUs: {error}"))?;
    let cpu = match cpu {
        Some(cpu) if allowed.contains(&cpu) => cpu,
        Some(cpu) => {
            return Err(format!(
                "--cpu {cpu}: this process may only run on CPUs {allowed:?}"
            ));
        }
        None => *allowed.last().ok_or("this process may run on no CPU")?,
    };
    pin_this_thread(cpu).map_err(|error| format!("cannot pin to CPU {cpu}: {error}"))?;
    Ok(cpu)
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use std::process::Command;

    use super::*;

    #[test]
    fn threads_runtime_workers_and_child_processes_inherit_the_pin() {
        let cpu = *allowed_cpus().expect("allowed CPUs").last().expect("a CPU");
        // Only this test's thread, and what it starts, is pinned; the other tests' threads are not.
        assert_eq!(pin(None), Ok(cpu));
        let expected = cpu.to_string();
        assert_eq!(Seen::this_thread("test").cpus, expected);

        let thread = std::thread::spawn(|| Seen::this_thread("thread").cpus);
        assert_eq!(thread.join().expect("thread"), expected);

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .build()
            .expect("runtime");
        let worker = runtime
            .block_on(async { tokio::spawn(async { Seen::this_thread("worker").cpus }).await })
            .expect("worker task");
        assert_eq!(worker, expected);

        let child = Command::new("cat")
            .arg("/proc/self/status")
            .output()
            .expect("cat");
        let status = String::from_utf8_lossy(&child.stdout);
        assert_eq!(cpus_allowed_list(&status), Some(expected.as_str()));
    }

    #[test]
    fn a_cpu_the_process_may_not_use_is_refused() {
        // One past the last CPU a mask can hold.
        let error = pin(Some(nix::sched::CpuSet::count())).expect_err("no such CPU");
        assert!(error.starts_with("--cpu"), "{error}");
    }

    #[test]
    fn mismatches_are_readings_other_than_the_pinned_cpu() {
        let mut placement = Placement {
            pinned_cpu: Some(1),
            ..Placement::default()
        };
        for (place, cpus) in [("main", "1"), ("child", "0-1"), ("main", "1")] {
            placement.note(Seen {
                place: place.to_owned(),
                cpus: cpus.to_owned(),
            });
        }
        assert_eq!(placement.seen.len(), 2);
        let wrong: Vec<_> = placement.mismatches().map(|seen| &seen.place).collect();
        assert_eq!(wrong, ["child"]);
    }
}
