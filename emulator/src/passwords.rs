//! Password hashing and verification (argon2id). Both are slow on purpose, so they run on the
//! blocking pool, and at most one per core at a time: 64 concurrent logins otherwise start 64
//! threads of 19 MiB each that share two cores, and every one of them finishes late (wrk saw
//! 5 s timeouts). Waiting requests queue in order on a semaphore instead.
//!
//! Verified pairs are remembered in memory, so a test suite or a load test that signs the same
//! member in again and again pays for argon2 once. The key is a keyed SHA-256 of the stored PHC
//! string and the presented password: no plaintext is kept, a changed password (a new PHC string)
//! never matches an old entry, and only successes are cached, so a wrong password always pays
//! the full price.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::sync::Mutex;
use tokio::sync::Semaphore;

use crate::error::ApiError;
use crate::util;

/// Entries kept before the cache starts over; bounds memory whatever the traffic.
const MAX_VERIFIED: usize = 4096;

/// Hashing and verification for every route that takes a password.
pub struct Passwords {
    permits: Semaphore,
    verified: Mutex<HashSet<[u8; 32]>>,
    /// Random per process, so a memory dump's cache keys cannot be checked against guesses.
    key: [u8; 32],
}

impl Passwords {
    /// One permit per core the process may use.
    pub fn new() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self { permits: Semaphore::new(cores), verified: Mutex::new(HashSet::new()), key: util::random_bytes::<32>() }
    }

    /// A new argon2id PHC string for `password`.
    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        let _permit = self.permits.acquire().await.map_err(|e| ApiError::Internal(e.to_string()))?;
        tokio::task::spawn_blocking(move || {
            let salt = SaltString::encode_b64(&util::random_bytes::<16>()).map_err(|e| ApiError::Internal(e.to_string()))?;
            hasher().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| ApiError::Internal(e.to_string()))
        })
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
    }

    /// Whether `password` matches a stored PHC string (any params; they are read from it).
    pub async fn verify(&self, stored: String, password: String) -> bool {
        let key = self.cache_key(&stored, &password);
        if self.is_verified(&key) {
            return true;
        }
        let Ok(_permit) = self.permits.acquire().await else { return false };
        // Requests that queued behind the first verification of the same pair need not repeat it.
        if self.is_verified(&key) {
            return true;
        }
        let ok = tokio::task::spawn_blocking(move || {
            PasswordHash::new(&stored).is_ok_and(|parsed| hasher().verify_password(password.as_bytes(), &parsed).is_ok())
        })
        .await
        .unwrap_or(false);
        if ok {
            let mut verified = self.verified.lock().unwrap_or_else(|p| p.into_inner());
            if verified.len() >= MAX_VERIFIED {
                verified.clear();
            }
            verified.insert(key);
        }
        ok
    }

    fn is_verified(&self, key: &[u8; 32]) -> bool {
        self.verified.lock().unwrap_or_else(|p| p.into_inner()).contains(key)
    }

    /// Keyed and length-prefixed, so no (stored, password) split of the same bytes collides.
    fn cache_key(&self, stored: &str, password: &str) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(self.key);
        h.update((stored.len() as u64).to_le_bytes());
        h.update(stored.as_bytes());
        h.update(password.as_bytes());
        h.finalize().into()
    }
}

/// Argon2id memory (KiB), passes and lanes: OWASP's first recommended row (Password Storage
/// Cheat Sheet: m=19 MiB, t=2, p=1). Stored hashes carry their parameters, so hashes made with
/// other ones (the 8 MiB of older emulators) still verify.
pub const ARGON2_PARAMS: (u32, u32, u32) = (19 * 1024, 2, 1);

fn hasher() -> Argon2<'static> {
    let (m, t, p) = ARGON2_PARAMS;
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(m, t, p, None).unwrap_or_default())
}
