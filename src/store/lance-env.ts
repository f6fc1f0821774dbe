// Imported before LanceDB loads. Its Rust side logs warnings to stderr (k-means notes on small
// indexes, a coming change in index statistics): vidlens reports what matters itself. A user's own
// LANCE_LOG still wins.
process.env.LANCE_LOG ??= 'error';
process.env.LANCE_INCLUDE_VECTOR_CENTROIDS ??= 'false';
