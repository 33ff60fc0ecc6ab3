//! Go duration strings. STUB
