//! Which VM runs the load aggregator: a lease in Envoy shared data.
//!
//! Envoy runs one copy of the filter's Wasm VM per worker thread plus one on the main thread,
//! and `on_tick` fires in each. The windowed concurrency and the recommendation must be computed
//! once, from the totals of all workers, so one VM holds a lease (`holder id`, `expiry ms`) in
//! shared data (shared by all VMs with the same `vm_id`) and renews it on each tick with a
//! compare-and-swap; the others skip the tick. If the holder stops ticking (its worker is gone),
//! the lease expires after [`LEASE_TICKS`] ticks and another VM takes over, starting its windows
//! afresh. The totals it reads are host metrics, so nothing else is lost.
//!
//! Pure: the host calls are in `root.rs`.

/// A lease lasts this many tick periods past its last renewal.
pub const LEASE_TICKS: u64 = 3;

/// The lease record: who holds it and until when (host wall clock, ms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lease {
    pub holder: u64,
    pub expires_ms: u64,
}

impl Lease {
    /// `holder:expires_ms` in ASCII.
    pub fn encode(&self) -> Vec<u8> {
        format!("{}:{}", self.holder, self.expires_ms).into_bytes()
    }

    /// The record, or `None` when absent or unreadable (treated as expired).
    pub fn decode(bytes: &[u8]) -> Option<Lease> {
        let text = std::str::from_utf8(bytes).ok()?;
        let (holder, expires) = text.split_once(':')?;
        Some(Lease {
            holder: holder.parse().ok()?,
            expires_ms: expires.parse().ok()?,
        })
    }
}

/// What VM `me` should do at `now_ms` given the current record: `Some(new record)` to write
/// (with the CAS token of the read) when it holds the lease or may take it, `None` to skip.
pub fn decide(current: Option<Lease>, me: u64, now_ms: u64, tick_ms: u64) -> Option<Lease> {
    let renewed = Lease {
        holder: me,
        expires_ms: now_ms.saturating_add(tick_ms.saturating_mul(LEASE_TICKS)),
    };
    match current {
        Some(l) if l.holder != me && l.expires_ms > now_ms => None,
        _ => Some(renewed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_decode_round_trip_and_garbage() {
        let l = Lease {
            holder: 7,
            expires_ms: 1_700_000_000_123,
        };
        assert_eq!(Lease::decode(&l.encode()), Some(l));
        for bad in [&b""[..], b"7", b"a:1", b"1:b", b"\xff:1", b"1:2:3"] {
            assert_eq!(Lease::decode(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn holder_renews_others_wait_until_expiry() {
        let held = Some(Lease {
            holder: 1,
            expires_ms: 3_000,
        });
        // The holder renews.
        assert_eq!(
            decide(held, 1, 2_000, 1_000),
            Some(Lease {
                holder: 1,
                expires_ms: 5_000
            })
        );
        // Another VM waits while the lease is live ...
        assert_eq!(decide(held, 2, 2_999, 1_000), None);
        // ... and takes it once expired.
        assert_eq!(
            decide(held, 2, 3_000, 1_000),
            Some(Lease {
                holder: 2,
                expires_ms: 6_000
            })
        );
        // No record: the first VM to tick takes it.
        assert_eq!(decide(None, 9, 0, 1_000).map(|l| l.holder), Some(9));
        // Saturating at the end of time.
        assert_eq!(
            decide(None, 9, u64::MAX, u64::MAX).map(|l| l.expires_ms),
            Some(u64::MAX)
        );
    }
}
