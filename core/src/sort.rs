//! The one sort every slice in core, the chart and the playground goes through.
//!
//! Rust's `sort_by`/`sort_unstable` are compiled once per element type and comparison closure:
//! in the playground's wasm that was 121 functions, 63 KB of code after wasm-opt and 22 KB of
//! the gzipped page (measured 2026-12-07 by blanking those bodies in the release build). Here a
//! slice is sorted by sorting its indices (`usize`, one comparison through `&mut dyn FnMut`),
//! so the sorting algorithm exists once; what is left per type is [`permute`], a few swaps.
//!
//! Every sort here is stable: equal elements keep their order (the places that sorted unstably
//! sort plain values, where stable and unstable give the same result).

use std::cmp::Ordering;

/// Sort `v` by `cmp`, stably (as `slice::sort_by`).
pub fn by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = {
        let items: &[T] = v;
        order_of(
            items.len(),
            &mut |a, b| match (items.get(a), items.get(b)) {
                (Some(x), Some(y)) => cmp(x, y),
                _ => Ordering::Equal,
            },
        )
    };
    permute(v, &order);
}

/// Sort `v` by the key `key` gives each element, stably (as `slice::sort_by_key`).
pub fn by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sort `v` in its natural order (as `slice::sort`).
pub fn natural<T: Ord>(v: &mut [T]) {
    by(v, T::cmp);
}

/// The indices `0..len` in sorted order: the one monomorphic sort.
fn order_of(len: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..len).collect();
    idx.sort_by(|&a, &b| cmp(a, b));
    idx
}

/// Rearrange `v` so that its element `k` is the former element `order[k]` (`order` is a
/// permutation of `0..v.len()`).
fn permute<T>(v: &mut [T], order: &[usize]) {
    // `dest[i]`: where the element now at `i` goes.
    let mut dest = vec![0usize; order.len()];
    for (k, &i) in order.iter().enumerate() {
        if let Some(d) = dest.get_mut(i) {
            *d = k;
        }
    }
    for i in 0..v.len().min(dest.len()) {
        // Each swap puts one element at its place, so this ends within len swaps.
        while let Some(&j) = dest.get(i) {
            if j == i || j >= v.len() {
                break;
            }
            v.swap(i, j);
            dest.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_as_the_standard_library_does() {
        let cases: &[&[(i32, char)]] = &[
            &[],
            &[(1, 'a')],
            &[(2, 'a'), (1, 'b')],
            &[(3, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (3, 'e'), (0, 'f')],
            &[
                (5, 'a'),
                (4, 'b'),
                (3, 'c'),
                (2, 'd'),
                (1, 'e'),
                (0, 'f'),
                (1, 'g'),
            ],
            &[(1, 'a'), (1, 'b'), (1, 'c'), (1, 'd')],
        ];
        for case in cases {
            let mut ours = case.to_vec();
            let mut std = case.to_vec();
            by_key(&mut ours, |p| p.0);
            std.sort_by_key(|p| p.0);
            assert_eq!(ours, std, "stable by key: {case:?}");
            let mut ours = case.to_vec();
            let mut std = case.to_vec();
            by(&mut ours, |a, b| b.cmp(a));
            std.sort_by(|a, b| b.cmp(a));
            assert_eq!(ours, std, "by a comparison: {case:?}");
            let mut ours = case.to_vec();
            let mut std = case.to_vec();
            natural(&mut ours);
            std.sort();
            assert_eq!(ours, std, "natural: {case:?}");
        }
    }

    #[test]
    fn a_long_shuffled_slice_comes_out_sorted_and_stable() {
        // A fixed permutation of 0..1000 (multiplying by a unit mod 1000), keys with repeats.
        let mut v: Vec<(u32, u32)> = (0..1000u32).map(|i| ((i * 337) % 1000 / 10, i)).collect();
        let mut std = v.clone();
        by_key(&mut v, |p| p.0);
        std.sort_by_key(|p| p.0);
        assert_eq!(v, std);
        let mut f = vec![3.5, -1.0, f64::NAN, 0.0, -0.0, 2.0];
        by(&mut f, f64::total_cmp);
        assert_eq!(format!("{f:?}"), "[-1.0, -0.0, 0.0, 2.0, 3.5, NaN]");
    }
}
