//! What the machine can give the model right now: threads, free memory, free disk.
//! Read at the moment of use (not at start-up): another program may be busy.

use std::path::Path;

/// Most threads llama.cpp gets: past ~8 a small model is limited by memory bandwidth.
const MAX_THREADS: usize = 8;

/// Threads for the next generation: the cores not already busy. Measured on this 2-core
/// machine (the issue): with another process running, two threads collapsed to a
/// fraction of one (they wait for each other at every layer), so a busy core is left alone.
pub fn threads_now() -> usize {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let loadavg = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    threads_for(cores, &loadavg)
}

/// `loadavg` is /proc/loadavg ("0.51 1.40 1.84 2/345 9876"). The fourth field's first
/// number is how many threads are runnable right now, this one included; the 1-minute
/// average lags a minute and counts our own last answer, so the instant count decides.
pub fn threads_for(cores: usize, loadavg: &str) -> usize {
    let cores = cores.clamp(1, MAX_THREADS);
    let running = loadavg
        .split_whitespace()
        .nth(3)
        .and_then(|f| f.split('/').next())
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(1);
    let others = running.saturating_sub(1);
    cores.saturating_sub(others).max(1)
}

/// Bytes of memory a new allocation can get without swapping: MemAvailable, or less when
/// a cgroup (container) limit is tighter. None when the system does not say (not Linux).
pub fn memory_available() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let mut available = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemAvailable:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kb| kb * 1024)?;
    let max = std::fs::read_to_string("/sys/fs/cgroup/memory.max").ok();
    let current = std::fs::read_to_string("/sys/fs/cgroup/memory.current").ok();
    if let (Some(max), Some(current)) = (max, current) {
        if let (Ok(max), Ok(current)) = (max.trim().parse::<u64>(), current.trim().parse::<u64>()) {
            available = available.min(max.saturating_sub(current));
        }
    }
    Some(available)
}

/// Bytes free for an unprivileged user on the file system holding `dir`.
pub fn disk_free(dir: &Path) -> std::io::Result<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes())
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "path contains a NUL byte"))?;
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: c is a valid NUL-terminated path and st a properly sized out-parameter.
    if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(st.f_bavail as u64 * st.f_frsize as u64)
}

/// "1.2 GB", "350 MB": sizes in messages a person reads.
pub fn human_bytes(bytes: u64) -> String {
    const MB: f64 = 1_000_000.0;
    let b = bytes as f64;
    if b >= 1000.0 * MB {
        format!("{:.1} GB", b / (1000.0 * MB))
    } else if b >= MB {
        format!("{:.0} MB", b / MB)
    } else {
        format!("{:.0} kB", (b / 1000.0).max(1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_core_is_left_alone() {
        assert_eq!(threads_for(2, "0.10 0.20 0.30 1/300 42"), 2);
        assert_eq!(threads_for(2, "1.90 1.20 0.30 2/300 42"), 1);
        assert_eq!(threads_for(2, "5.00 5.00 5.00 6/300 42"), 1);
        assert_eq!(threads_for(16, "0.00 0.00 0.00 1/300 42"), MAX_THREADS);
        assert_eq!(threads_for(4, "garbage"), 4);
    }

    #[test]
    fn sizes_read_like_a_person_writes_them() {
        assert_eq!(human_bytes(145_000_000), "145 MB");
        assert_eq!(human_bytes(1_230_000_000), "1.2 GB");
    }

    #[test]
    fn this_machine_reports_memory_and_disk() {
        assert!(memory_available().unwrap() > 0);
        assert!(disk_free(Path::new("/")).unwrap() > 0);
    }
}
