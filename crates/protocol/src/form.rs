//! `application/x-www-form-urlencoded` pairs (WHATWG URL §5): enough to read a callback URL's
//! query or fragment and to write one, without the `url` crate (80 KB gzip on wasm).

/// Decodes one component: `+` is a space, `%XX` a byte; a malformed escape is kept literally,
/// as browsers do. Invalid UTF-8 becomes U+FFFD rather than an error.
pub fn decode(input: &str) -> String {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match (bytes.get(i + 1).and_then(hex), bytes.get(i + 2).and_then(hex)) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: &u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Encodes one component: unreserved characters stay, everything else is `%XX`.
pub fn encode(input: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(input.len());
    for &b in input.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out
}

/// Decoded `(name, value)` pairs of `a=1&b=2`; empty pieces are skipped, a name without `=` has
/// an empty value.
pub fn parse(input: &str) -> Vec<(String, String)> {
    input
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

/// `a=1&b=2` from pairs, each side encoded.
pub fn serialize<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (k, v) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&encode(k));
        out.push('=');
        out.push_str(&encode(v));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_like_urlsearchparams() {
        assert_eq!(decode("a+b%20c%2Bd"), "a b c+d");
        assert_eq!(decode("%E2%9C%93"), "✓");
        assert_eq!(decode("100%"), "100%", "a lone percent stays");
        assert_eq!(decode("%zz%4"), "%zz%4");
        assert_eq!(decode("%FF"), "\u{FFFD}", "invalid UTF-8 is replaced, not an error");
    }

    #[test]
    fn parses_and_serializes_pairs() {
        assert_eq!(
            parse("code=a%2Fb&&state=s&flag"),
            vec![("code".into(), "a/b".into()), ("state".into(), "s".into()), ("flag".into(), String::new())]
        );
        let s = serialize([("redirect_uri", "http://x/cb?a=1"), ("state", "s t")]);
        assert_eq!(s, "redirect_uri=http%3A%2F%2Fx%2Fcb%3Fa%3D1&state=s%20t");
        assert_eq!(parse(&s)[0].1, "http://x/cb?a=1");
    }
}
