//! A kept page compressed once, yet sent with a fresh nonce each time.
//!
//! Each segment between the nonces is deflated on its own: every one but the last ends in a
//! sync flush (byte-aligned, not final), the last one is final. A response is the gzip header,
//! the segments with the nonce between them as stored blocks, and a trailer whose CRC-32 is
//! combined from the segments' and the nonce's. A fresh compressor per segment means no
//! segment refers back into another, so any nonce can go between them.

use axum::body::Bytes;
use flate2::{Compress, Compression, FlushCompress, Status};

/// The gzip member header: deflate, no name, no time, unknown OS.
const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];

/// A stored block carries at most this many bytes.
const STORED_MAX: usize = u16::MAX as usize;

#[derive(Debug)]
pub struct Gzipped {
    deflated: Vec<Bytes>,
    /// The CRC-32 of each segment's plain bytes (with their length, which combining needs).
    crcs: Vec<crc32fast::Hasher>,
    /// The plain length of all segments together.
    plain_len: u64,
}

impl Gzipped {
    /// Compresses the plain segments of a page (at least one).
    pub fn compress(segments: &[Bytes]) -> Result<Self, flate2::CompressError> {
        let last = segments.len().saturating_sub(1);
        let mut deflated = Vec::with_capacity(segments.len());
        let mut crcs = Vec::with_capacity(segments.len());
        for (i, segment) in segments.iter().enumerate() {
            let flush = if i == last {
                FlushCompress::Finish
            } else {
                FlushCompress::Sync
            };
            deflated.push(Bytes::from(deflate(segment, flush)?));
            let mut crc = crc32fast::Hasher::new();
            crc.update(segment);
            crcs.push(crc);
        }
        let plain_len = segments.iter().map(|s| s.len() as u64).sum();
        Ok(Self {
            deflated,
            crcs,
            plain_len,
        })
    }

    /// The compressed body with `nonce` between the segments, and its length.
    pub fn with_nonce(&self, nonce: &str) -> (Vec<Bytes>, usize) {
        let stored = Bytes::from(stored_blocks(nonce.as_bytes()));
        let mut nonce_crc = crc32fast::Hasher::new();
        nonce_crc.update(nonce.as_bytes());
        let mut crc = crc32fast::Hasher::new();
        let mut parts = Vec::with_capacity(self.deflated.len() * 2 + 2);
        parts.push(Bytes::from_static(&HEADER));
        for (i, (segment, segment_crc)) in self.deflated.iter().zip(&self.crcs).enumerate() {
            if i > 0 {
                parts.push(stored.clone());
                crc.combine(&nonce_crc);
            }
            parts.push(segment.clone());
            crc.combine(segment_crc);
        }
        let nonces = self.deflated.len().saturating_sub(1) as u64;
        let length = self.plain_len + nonces * nonce.len() as u64;
        let mut trailer = Vec::with_capacity(8);
        trailer.extend_from_slice(&crc.finalize().to_le_bytes());
        // ISIZE is the length modulo 2^32 (RFC 1952).
        trailer.extend_from_slice(&(length as u32).to_le_bytes());
        parts.push(Bytes::from(trailer));
        let total = parts.iter().map(Bytes::len).sum();
        (parts, total)
    }

    pub fn size(&self) -> usize {
        self.deflated.iter().map(Bytes::len).sum()
    }
}

/// Raw deflate of `input` on a compressor of its own, ended by `flush`.
fn deflate(input: &[u8], flush: FlushCompress) -> Result<Vec<u8>, flate2::CompressError> {
    let mut compressor = Compress::new(Compression::default(), false);
    let mut out = Vec::with_capacity(input.len() / 4 + 64);
    loop {
        if out.capacity() - out.len() < 1024 {
            out.reserve(out.capacity().max(1024));
        }
        let consumed = compressor.total_in() as usize;
        let status = compressor.compress_vec(&input[consumed..], &mut out, flush)?;
        let all_in = compressor.total_in() as usize == input.len();
        // Finished when the stream ended (Finish), or when all input is in and the flush left
        // room to spare in the output, so nothing more is pending (Sync).
        let done = match flush {
            FlushCompress::Finish => status == Status::StreamEnd,
            _ => all_in && out.len() < out.capacity(),
        };
        if done {
            return Ok(out);
        }
    }
}

/// `bytes` as stored (uncompressed, not final) blocks. The stream is byte-aligned before them
/// (after a sync flush) and after them.
fn stored_blocks(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 5);
    for chunk in bytes.chunks(STORED_MAX) {
        let len = chunk.len() as u16;
        // BFINAL 0, BTYPE 00, the rest of the byte padding.
        out.push(0);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn gunzip(parts: &[Bytes]) -> String {
        let joined: Vec<u8> = parts.iter().flat_map(|p| p.iter().copied()).collect();
        let mut text = String::new();
        flate2::read::GzDecoder::new(joined.as_slice())
            .read_to_string(&mut text)
            .unwrap();
        // A second member or trailing bytes would mean the stream is not one clean member.
        let mut decoder = flate2::read::GzDecoder::new(joined.as_slice());
        std::io::copy(&mut decoder, &mut std::io::sink()).unwrap();
        assert!(decoder.into_inner().is_empty(), "bytes after the member");
        text
    }

    fn split(text: &str) -> Vec<Bytes> {
        text.split("N0NCE")
            .map(|s| Bytes::from(s.to_owned()))
            .collect()
    }

    #[test]
    fn any_nonce_decompresses_into_the_page_with_that_nonce() {
        let page = format!(
            r#"<script nonce="N0NCE">a</script>{}<script nonce="N0NCE">b</script>"#,
            "<tr><td>row</td></tr>".repeat(5000)
        );
        let gzipped = Gzipped::compress(&split(&page)).unwrap();
        assert!(gzipped.size() < page.len() / 20, "{}", gzipped.size());
        for nonce in ["abc", "0123456789abcdef0123456789abcdef", ""] {
            let (parts, length) = gzipped.with_nonce(nonce);
            assert_eq!(parts.iter().map(Bytes::len).sum::<usize>(), length);
            assert_eq!(gunzip(&parts), page.replace("N0NCE", nonce));
        }
    }

    #[test]
    fn edges_a_nonce_at_either_end_an_empty_page_and_a_long_nonce() {
        for page in [
            "N0NCE",
            "N0NCEN0NCE",
            "",
            "no nonce",
            "N0NCE tail",
            "head N0NCE",
        ] {
            let gzipped = Gzipped::compress(&split(page)).unwrap();
            let (parts, _) = gzipped.with_nonce("xyz");
            assert_eq!(gunzip(&parts), page.replace("N0NCE", "xyz"), "{page:?}");
        }
        let long = "n".repeat(STORED_MAX * 2 + 7);
        let gzipped = Gzipped::compress(&split("a N0NCE b")).unwrap();
        let (parts, _) = gzipped.with_nonce(&long);
        assert_eq!(gunzip(&parts), format!("a {long} b"));
    }

    #[test]
    fn a_segment_larger_than_the_first_output_buffer_is_whole() {
        // Random-looking bytes barely compress, so the output outgrows its first guess.
        let noise: String = (0u32..200_000)
            .map(|i| char::from(b'!' + (i.wrapping_mul(2_654_435_761) >> 27) as u8 % 90))
            .collect();
        let gzipped = Gzipped::compress(&split(&format!("{noise}N0NCE{noise}"))).unwrap();
        let (parts, _) = gzipped.with_nonce("q");
        assert_eq!(gunzip(&parts), format!("{noise}q{noise}"));
    }
}
