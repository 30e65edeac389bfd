//! PKCE (RFC 7636) with the S256 method only: RFC 9700 §2.1.1 says S256 is the one method that
//! does not expose the verifier, so `plain` is neither sent nor accepted.

use sha2::{Digest, Sha256};

/// How many random octets make a verifier: 32 octets → 43 base64url characters (RFC 7636 §4.1).
pub const VERIFIER_OCTETS: usize = 32;

/// The only challenge method this project speaks.
pub const CHALLENGE_METHOD: &str = "S256";

const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding (RFC 4648 §5), as PKCE and random state strings use it.
pub fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        // A chunk of k octets carries k+1 significant sextets.
        for i in 0..=chunk.len() {
            out.push(char::from(BASE64URL[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// A code verifier from CSPRNG octets. Base64url of whole octets is uniform over its alphabet,
/// so no character is likelier than another (the "unbiased" requirement), with 256 bits of entropy.
pub fn code_verifier(octets: &[u8; VERIFIER_OCTETS]) -> String {
    base64url(octets)
}

/// The S256 challenge of a verifier: base64url(SHA-256(ASCII(verifier))).
pub fn code_challenge(verifier: &str) -> String {
    base64url(&Sha256::digest(verifier.as_bytes()))
}

/// Whether a verifier has the length and alphabet RFC 7636 §4.1 allows (43–128 unreserved characters).
pub fn is_valid_verifier(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~'))
}

/// Server side: does `verifier` answer `challenge`? Compared without early exit so that timing
/// does not reveal how much of a guessed verifier was right.
pub fn verify(verifier: &str, challenge: &str) -> bool {
    if !is_valid_verifier(verifier) {
        return false;
    }
    let expected = code_challenge(verifier);
    expected.len() == challenge.len()
        && expected.bytes().zip(challenge.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 7636 Appendix B.
    const OCTETS: [u8; 32] = [
        116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77,
        105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
    ];
    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    #[test]
    fn rfc7636_appendix_b_vector() {
        assert_eq!(code_verifier(&OCTETS), VERIFIER);
        assert_eq!(code_challenge(VERIFIER), CHALLENGE);
        assert!(verify(VERIFIER, CHALLENGE));
    }

    #[test]
    fn rfc7636_sha256_octets() {
        let digest: [u8; 32] = Sha256::digest(VERIFIER.as_bytes()).into();
        assert_eq!(
            digest,
            [
                19, 211, 30, 150, 26, 26, 216, 236, 47, 22, 177, 12, 76, 152, 46, 8, 118, 168, 120,
                173, 109, 241, 68, 86, 110, 225, 137, 74, 203, 112, 249, 195
            ]
        );
    }

    #[test]
    fn base64url_matches_rfc4648_vectors_without_padding() {
        for (input, want) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64url(input.as_bytes()), want);
        }
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn wrong_or_malformed_verifiers_fail() {
        assert!(!verify("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj", CHALLENGE));
        assert!(!verify("short", CHALLENGE));
        assert!(!verify(&"a".repeat(129), CHALLENGE));
        assert!(!verify("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjX!", CHALLENGE));
        assert!(!verify(VERIFIER, ""));
    }

    #[test]
    fn every_verifier_is_43_valid_characters() {
        for seed in 0..=255u8 {
            let v = code_verifier(&[seed; 32]);
            assert_eq!(v.len(), 43);
            assert!(is_valid_verifier(&v));
        }
    }
}
