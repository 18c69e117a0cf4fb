//! Short content hashes: stable across runs and platforms, for cache
//! busting and cache keys.

/// FNV-1a, 64 bits, as 10 hex digits: stable across runs and platforms.
pub fn short_hash(bytes: &[u8]) -> String {
    format!("{:010x}", fnv64(bytes) & 0xff_ffff_ffff)
}

/// FNV-1a, 64 bits.
pub fn fnv64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}
