//! Demand series. STUB
