//! Small helpers every route needs: random secrets, their stored hashes, ids and clock.

use sha2::{Digest, Sha256};
use std::time::{SystemTime, UNIX_EPOCH};
use wix_auth_protocol::pkce::base64url;

/// `n` bytes from the OS CSPRNG. Failing to read it is unrecoverable for an auth server,
/// but we still do not panic: a zeroed buffer would be worse, so we fall back to the clock
/// mixed through SHA-256 (only reachable on a broken OS).
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    let pooled = POOL.try_with(|p| p.try_borrow_mut().is_ok_and(|mut p| p.take(&mut buf))).unwrap_or(false);
    if !pooled && getrandom::fill(&mut buf).is_err() {
        let seed = Sha256::digest(now_ms().to_le_bytes());
        for (i, b) in buf.iter_mut().enumerate() {
            *b = seed[i % seed.len()] ^ (i as u8);
        }
    }
    buf
}

/// OS randomness read ahead, per thread: a token grant draws four times, and one `getrandom`
/// system call per draw was a measurable share of its CPU time.
struct Pool {
    buf: [u8; POOL_BYTES],
    used: usize,
}

const POOL_BYTES: usize = 4096;

thread_local! {
    static POOL: std::cell::RefCell<Pool> = const { std::cell::RefCell::new(Pool { buf: [0; POOL_BYTES], used: POOL_BYTES }) };
}

impl Pool {
    /// Fills `out` from the pool, refilling it from the OS when it runs short; `false` if the OS
    /// cannot be read (or `out` is bigger than the pool).
    fn take(&mut self, out: &mut [u8]) -> bool {
        if out.len() > POOL_BYTES - self.used {
            if out.len() > POOL_BYTES || getrandom::fill(&mut self.buf).is_err() {
                return false;
            }
            self.used = 0;
        }
        let taken = &mut self.buf[self.used..self.used + out.len()];
        out.copy_from_slice(taken);
        // Handed-out bytes are secrets in use now: the pool keeps no copy.
        taken.fill(0);
        self.used += out.len();
        true
    }
}

/// An unguessable secret (256 bits) with a readable prefix, e.g. `AQS.…` for refresh tokens.
pub fn secret(prefix: &str) -> String {
    [prefix, &base64url(&random_bytes::<32>())].concat()
}

/// An access or refresh token: a `secret` whose first 6 of 32 bytes are the mint time
/// (big-endian ms), so the store can keep tokens in mint order (`store::token_key`); the other
/// 208 bits are random.
pub fn timed_secret(prefix: &str) -> String {
    let mut b = random_bytes::<32>();
    b[..6].copy_from_slice(&time_prefix());
    [prefix, &base64url(&b)].concat()
}

/// The current time in ms as 6 big-endian bytes (good until the year 10889).
fn time_prefix() -> [u8; 6] {
    let ms = now_ms().to_be_bytes();
    [ms[2], ms[3], ms[4], ms[5], ms[6], ms[7]]
}

/// What the store keeps instead of a secret: hex SHA-256, so a leaked database leaks no tokens.
pub fn hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// Lower-case hex, without a `format!` per byte (this runs several times per token request).
fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    push_hex(&mut out, bytes);
    out
}

fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
}

/// A UUID v7 (RFC 9562: 48-bit millisecond time, then 74 random bits), the id format Wix uses
/// for members, visitors and sessions. Time-ordered ids land at the end of their SQLite indexes
/// instead of on a random page, which keeps token inserts cheap.
pub fn uuid() -> String {
    let mut b = random_bytes::<16>();
    b[..6].copy_from_slice(&time_prefix());
    b[6] = (b[6] & 0x0f) | 0x70;
    b[8] = (b[8] & 0x3f) | 0x80;
    // 8-4-4-4-12 hex digits, written in place (two of these run per anonymous grant).
    let mut out = String::with_capacity(36);
    for (i, group) in [&b[..4], &b[4..6], &b[6..8], &b[8..10], &b[10..]].into_iter().enumerate() {
        if i > 0 {
            out.push('-');
        }
        push_hex(&mut out, group);
    }
    out
}

/// A 6-digit email verification code.
pub fn six_digits() -> String {
    let n = u32::from_le_bytes(random_bytes::<4>()) % 1_000_000;
    format!("{n:06}")
}

/// An RFC 8628 §6.1 user code: 8 letters without vowels or look-alikes, shown as `BCDF-GHJK`.
pub fn user_code() -> String {
    const ALPHABET: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";
    let bytes = random_bytes::<8>();
    let letters: String = bytes.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect();
    format!("{}-{}", &letters[..4], &letters[4..])
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// RFC 3339 UTC timestamp (`2024-01-02T03:04:05.678Z`) of epoch milliseconds, as Wix writes dates.
pub fn rfc3339(ms: i64) -> String {
    let (days, rem) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    let (y, m, d) = civil_from_days(days);
    let (h, min, s, milli) = (rem / 3_600_000, rem / 60_000 % 60, rem / 1000 % 60, rem % 1000);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{milli:03}Z")
}

/// Howard Hinnant's days → civil date algorithm (proleptic Gregorian).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The `scheme://host[:port]` origin of an absolute http(s) URL, lower-cased; `None` otherwise.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    Some(format!("{scheme}://{}", authority.to_ascii_lowercase()))
}

/// A plausible email address: one `@`, something before it, a dotted domain after it, no spaces.
pub fn is_valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(1_663_252_116_123), "2022-09-15T14:28:36.123Z");
        assert_eq!(rfc3339(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn origins_and_emails() {
        assert_eq!(origin_of("http://LocalHost:8080/cb?x#y").as_deref(), Some("http://localhost:8080"));
        assert_eq!(origin_of("javascript:alert(1)"), None);
        assert_eq!(origin_of("http://user@evil/"), None);
        assert!(is_valid_email("a@b.co"));
        for bad in ["", "a", "a@b", "@b.co", "a b@c.de", "a@.de", "a@b@c.de"] {
            assert!(!is_valid_email(bad), "{bad}");
        }
    }

    #[test]
    fn ids_have_their_shapes() {
        let u = uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "7");
        assert!(u.char_indices().all(|(i, c)| if [8, 13, 18, 23].contains(&i) { c == '-' } else { c.is_ascii_hexdigit() }), "{u}");
        std::thread::sleep(std::time::Duration::from_millis(2));
        assert!(uuid() > u, "time-ordered");
        assert_eq!(six_digits().len(), 6);
        assert_eq!(user_code().len(), 9);
        assert_ne!(secret("x."), secret("x."));
        assert_eq!(hash("abc").len(), 64);
    }

    #[test]
    fn pooled_randomness_never_repeats_across_refills() {
        let draws: std::collections::HashSet<[u8; 32]> = (0..500).map(|_| random_bytes::<32>()).collect();
        assert_eq!(draws.len(), 500, "16 000 bytes: the 4 KiB pool refilled several times");
        assert!(draws.iter().all(|d| d.iter().any(|b| *b != 0)));
    }
}
