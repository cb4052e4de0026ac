//! Helpers for the crate's unit tests.

/// xorshift64: the same cases on every run, many more than one writes by hand.
pub struct Rng(pub u64);

impl Rng {
    /// A number below `n` (0 for `n` = 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}
